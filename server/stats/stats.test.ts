import { describe as suite, expect, it } from 'vitest';
import { cliffsDelta, compareArms, describe, hedgesG, holm, mannWhitneyU, meanCi, welchTTest } from './index';
import { tCdf, tCritical } from './distributions';
import { expectClose, loadGolden } from './__fixtures__/golden';

type Num = number;
interface Golden {
  describe: { name: string; xs: Num[]; expected: Record<string, Num | undefined> & { n: Num } }[];
  twoSample: {
    name: string;
    a: Num[];
    b: Num[];
    welch: { t: Num; df: Num; p: Num };
    mannWhitney: { U: Num; p: Num; method: 'exact' | 'asymptotic' };
    hedges: { g: Num; se: Num; lower: Num; upper: Num } | null;
    cliffsDelta: Num;
  }[];
  holm: { name: string; p: Num[]; expected: Num[] }[];
  tCdf: { x: Num; df: Num; cdf: Num; sf: Num }[];
  tQuantile975: { df: Num; q975: Num }[];
}

const golden = loadGolden<Golden>(new URL('./__fixtures__/golden.json', import.meta.url));

suite('describe (golden: NumPy/SciPy)', () => {
  it.each(golden.describe.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const d = describe(c.xs);
    expect(d.n).toBe(c.expected.n);
    for (const key of ['mean', 'sd', 'se', 'ciLower', 'ciUpper', 'median', 'q1', 'q3', 'iqr', 'min', 'max'] as const) {
      expectClose(d[key], c.expected[key] ?? null, `${c.name} ${key}`);
    }
  });

  it('gives nulls, not NaN, for n = 0 and n = 1', () => {
    expect(describe([])).toEqual({ n: 0, mean: null, sd: null, se: null, ciLower: null, ciUpper: null, median: null, q1: null, q3: null, iqr: null, min: null, max: null });
    expect(describe([4])).toEqual({ n: 1, mean: 4, sd: null, se: null, ciLower: null, ciUpper: null, median: 4, q1: 4, q3: 4, iqr: 0, min: 4, max: 4 });
  });

  it('rejects non-finite input', () => {
    expect(() => describe([1, Number.NaN])).toThrow(TypeError);
    expect(() => describe([1, Number.POSITIVE_INFINITY])).toThrow(TypeError);
  });

  it('meanCi matches describe', () => {
    const c = golden.describe.find((x) => x.name === 'large likert')!;
    const m = meanCi(c.xs);
    expectClose(m.lower, c.expected.ciLower, 'lower');
    expectClose(m.upper, c.expected.ciUpper, 'upper');
    expect(meanCi([3])).toEqual({ n: 1, mean: 3, lower: null, upper: null });
  });
});

suite('two-sample tests (golden: SciPy 1.10)', () => {
  const cases = golden.twoSample.map((c) => [c.name, c] as const);

  it.each(cases)('welch %s', (_name, c) => {
    const r = welchTTest(c.a, c.b);
    expectClose(r.t, c.welch.t, 't');
    expectClose(r.p, c.welch.p, 'p');
    if (c.a.length >= 2 && c.b.length >= 2) expectClose(r.df, c.welch.df, 'df');
    else expect(r.df).toBeNull();
  });

  it.each(cases)('mann-whitney %s', (_name, c) => {
    const r = mannWhitneyU(c.a, c.b);
    expect(r.method).toBe(c.mannWhitney.method);
    expectClose(r.U, c.mannWhitney.U, 'U');
    expectClose(r.p, c.mannWhitney.p, 'p');
  });

  it.each(cases)('hedges g and cliff delta %s', (_name, c) => {
    const h = hedgesG(c.a, c.b);
    if (c.hedges === null) {
      expect(h).toEqual({ g: null, se: null, lower: null, upper: null });
    } else {
      for (const key of ['g', 'se', 'lower', 'upper'] as const) expectClose(h[key], c.hedges[key], key);
    }
    expectClose(cliffsDelta(c.a, c.b), c.cliffsDelta, 'cliff');
  });

  it('covers both exact and asymptotic Mann–Whitney paths', () => {
    const methods = new Set(golden.twoSample.map((c) => c.mannWhitney.method));
    expect(methods).toEqual(new Set(['exact', 'asymptotic']));
  });

  it('returns nulls for empty samples', () => {
    expect(mannWhitneyU([], [1, 2])).toEqual({ U: null, p: null, method: null });
    expect(welchTTest([], [1, 2])).toEqual({ t: null, df: null, p: null });
    expect(cliffsDelta([1], [])).toBeNull();
  });
});

suite('holm (golden: statsmodels algorithm)', () => {
  it.each(golden.holm.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const adjusted = holm(c.p);
    expect(adjusted).toHaveLength(c.expected.length);
    adjusted.forEach((v, i) => expectClose(v, c.expected[i], `p[${i}]`));
  });

  it('rejects values outside [0, 1]', () => {
    expect(() => holm([0.2, 1.5])).toThrow(RangeError);
    expect(() => holm([Number.NaN])).toThrow(RangeError);
  });
});

suite('Student t distribution (golden: scipy.special.stdtr / t.ppf)', () => {
  it('tail probabilities agree to 1e-12 relative, including non-integer df', () => {
    let worst = 0;
    for (const c of golden.tCdf) {
      // Compare whichever tail is the small one: that is where relative accuracy matters for p-values.
      const [actual, expected] = c.x <= 0 ? [tCdf(c.x, c.df), c.cdf] : [tCdf(-c.x, c.df), c.sf];
      if (expected === 0) {
        expect(actual).toBe(0);
        continue;
      }
      worst = Math.max(worst, Math.abs(actual - expected) / expected);
      expectClose(actual, expected, `t cdf x=${c.x} df=${c.df}`, 1e-12);
    }
    expect(worst).toBeLessThan(1e-12);
  });

  it('0.975 quantile agrees to 1e-9', () => {
    for (const c of golden.tQuantile975) expectClose(tCritical(0.975, c.df), c.q975, `df=${c.df}`);
  });
});

suite('compareArms', () => {
  it('orients everything as other vs reference and states the percent difference like the paper', () => {
    const base = [1800, 1650, 1720, 1900, 1580];
    const collab = base.map((s) => s * 0.896);
    const r = compareArms(base, collab);
    expectClose(r.percentDifference, -10.4, 'percent');
    expectClose(r.difference, r.other.mean! - r.reference.mean!, 'difference');
    expect(r.welch.t!).toBeLessThan(0);
    expect(r.hedgesG.g!).toBeLessThan(0);
    expect(r.cliffsDelta!).toBeLessThan(0);
    const direct = welchTTest(collab, base);
    expect(r.welch).toEqual(direct);
    expect(r.mannWhitney).toEqual(mannWhitneyU(collab, base));
  });

  it('matches the golden two-sample values when reference = b and other = a', () => {
    const c = golden.twoSample.find((x) => x.name === 'likert 200 vs 180')!;
    const r = compareArms(c.b, c.a);
    expectClose(r.welch.p, c.welch.p, 'p');
    expectClose(r.mannWhitney.U, c.mannWhitney.U, 'U');
    expectClose(r.hedgesG.g, c.hedges!.g, 'g');
  });

  it('has no percent difference against a zero mean and survives empty arms', () => {
    expect(compareArms([0, 0], [1, 2]).percentDifference).toBeNull();
    const empty = compareArms([], [1, 2, 3]);
    expect(empty.difference).toBeNull();
    expect(empty.welch.p).toBeNull();
    expect(empty.mannWhitney.p).toBeNull();
    expect(compareArms([-10, -12], [-5, -6]).percentDifference).toBeGreaterThan(0);
  });
});
