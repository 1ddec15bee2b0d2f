import { describe as suite, expect, it } from 'vitest';
import { clusterBootstrap, mulberry32, pairedTTest, wilcoxonSignedRank, type PairedObservation } from './paired';
import { expectClose, loadGolden } from './__fixtures__/golden';

type Num = number | null;
interface Golden {
  paired: {
    name: string;
    a: number[];
    b: number[];
    ttest: { n: number; meanDifference: Num; se: Num; df: Num; t: Num; p: Num; ciLower: Num; ciUpper: Num; scipyCi?: [number, number] };
    wilcoxon: { statistic: Num; p: Num; method: 'exact' | 'approx' | null; zeros: number; ranked: number };
  }[];
  bootstrap: {
    name: string;
    observations: PairedObservation[];
    seed: number;
    resamples: number;
    expected: {
      clusters: number;
      meanDifference: { estimate: Num; lower: Num; upper: Num; undefinedResamples: number };
      relativeChange: { estimate: Num; lower: Num; upper: Num; undefinedResamples: number };
    };
  }[];
  mulberry32: { seed: number; first: number[] };
}

const golden = loadGolden<Golden>(new URL('./__fixtures__/paired-golden.json', import.meta.url));
const cases = golden.paired.map((c) => [c.name, c] as const);

suite('pairedTTest (golden: scipy.stats.ttest_rel, SciPy 1.10)', () => {
  it.each(cases)('%s', (_name, c) => {
    const r = pairedTTest(c.a, c.b);
    expect(r.n).toBe(c.ttest.n);
    for (const key of ['meanDifference', 'se', 'df', 't', 'p', 'ciLower', 'ciUpper'] as const) expectClose(r[key], c.ttest[key], `${c.name} ${key}`);
    // SciPy's own confidence_interval uses t.ppf (good to ~1e-9 relative): its half-width agrees to 1e-8.
    if (c.ttest.scipyCi && r.ciLower !== null && r.ciUpper !== null && Number.isFinite(c.ttest.scipyCi[0])) {
      expectClose((r.ciUpper - r.ciLower) / 2, (c.ttest.scipyCi[1] - c.ttest.scipyCi[0]) / 2, 'scipy ci half-width', 1e-8);
    }
  });

  it('never returns NaN and rejects unequal lengths', () => {
    for (const [, c] of cases) for (const v of Object.values(pairedTTest(c.a, c.b))) expect(Number.isNaN(v)).toBe(false);
    expect(() => pairedTTest([1, 2], [1])).toThrow(RangeError);
  });
});

suite('wilcoxonSignedRank (golden: scipy.stats.wilcoxon defaults, SciPy 1.10)', () => {
  it.each(cases)('%s', (_name, c) => {
    const r = wilcoxonSignedRank(c.a, c.b);
    expect(r.method).toBe(c.wilcoxon.method);
    expect(r.zeros).toBe(c.wilcoxon.zeros);
    expect(r.ranked).toBe(c.wilcoxon.ranked);
    expectClose(r.statistic, c.wilcoxon.statistic, `${c.name} statistic`);
    expectClose(r.p, c.wilcoxon.p, `${c.name} p`);
  });

  it('the goldens cover each of SciPy’s branches', () => {
    const names = golden.paired.map((c) => c.name);
    expect(golden.paired.some((c) => c.wilcoxon.method === 'exact' && c.a.length === 50)).toBe(true);
    expect(golden.paired.some((c) => c.wilcoxon.method === 'approx' && c.a.length === 51 && c.wilcoxon.zeros === 0)).toBe(true);
    expect(golden.paired.some((c) => c.wilcoxon.method === 'approx' && c.a.length <= 50 && c.wilcoxon.zeros > 0)).toBe(true);
    expect(names).toContain('exact with half-integer R+');
    expect(wilcoxonSignedRank([1, 2], [1, 2])).toEqual({ statistic: null, p: null, method: null, zeros: 2, ranked: 0 });
  });
});

suite('clusterBootstrap (golden: independent Python implementation)', () => {
  it('mulberry32 draws the reference stream', () => {
    const next = mulberry32(golden.mulberry32.seed);
    expect(golden.mulberry32.first.map(() => next())).toEqual(golden.mulberry32.first);
  });

  it.each(golden.bootstrap.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = clusterBootstrap(c.observations, { seed: c.seed, resamples: c.resamples });
    expect(r.clusters).toBe(c.expected.clusters);
    for (const stat of ['meanDifference', 'relativeChange'] as const) {
      expect(r[stat].undefinedResamples).toBe(c.expected[stat].undefinedResamples);
      for (const key of ['estimate', 'lower', 'upper'] as const) expectClose(r[stat][key], c.expected[stat][key], `${c.name} ${stat}.${key}`);
    }
  });

  it('is reproducible, independent of input order, and gives no interval for one cluster', () => {
    const obs = golden.bootstrap[0]!.observations;
    const a = clusterBootstrap(obs, { seed: 11, resamples: 300 });
    expect(clusterBootstrap([...obs].reverse(), { seed: 11, resamples: 300 }).meanDifference.lower).toBeCloseTo(a.meanDifference.lower!, 12);
    expect(clusterBootstrap(obs, { seed: 12, resamples: 300 }).meanDifference.lower).not.toBe(a.meanDifference.lower);
    const one = clusterBootstrap([{ cluster: 'x', reference: 1, other: 2 }], { seed: 1 });
    expect(one.meanDifference).toEqual({ estimate: 1, lower: null, upper: null, undefinedResamples: 0 });
    expect(clusterBootstrap([], { seed: 1 }).meanDifference.estimate).toBeNull();
  });
});
