import { describe as suite, expect, it } from 'vitest';
import { kendallTauB, spearman } from './correlation';
import { meanBias, welchDifference } from './difference';
import { tCdf } from './distributions';
import { expectClose, loadGolden } from './__fixtures__/golden';

type Num = number | null;
interface Golden {
  scipy: string;
  correlation: {
    name: string;
    x: number[];
    y: number[];
    spearman: { rho: Num; p: Num; ci: [number, number] | null };
    kendall: { tau: Num; p: Num; method: 'exact' | 'asymptotic' | null; ci: [number, number] | null };
  }[];
  welch: { name: string; a: number[]; b: number[]; estimate: Num; lower: Num; upper: Num; df: Num; t?: number }[];
  bias: { name: string; judge: number[]; human: number[]; n: number; estimate: Num; lower: Num; upper: Num }[];
}

const golden = loadGolden<Golden>(new URL('./__fixtures__/correlation-golden.json', import.meta.url));
const corrCases = golden.correlation.map((c) => [c.name, c] as const);

function expectInterval(actual: { lower: number; upper: number } | null, expected: [number, number] | null, label: string) {
  if (expected === null) return expect(actual, label).toBeNull();
  expect(actual, label).not.toBeNull();
  expectClose(actual!.lower, expected[0], `${label} lower`);
  expectClose(actual!.upper, expected[1], `${label} upper`);
}

suite(`spearman (golden: scipy.stats.spearmanr, SciPy ${golden.scipy})`, () => {
  it.each(corrCases)('%s', (name, c) => {
    const r = spearman(c.x, c.y);
    expect(r.n).toBe(c.x.length);
    expectClose(r.rho, c.spearman.rho, `${name} rho`);
    // SciPy's p is NaN at n = 2 (no degrees of freedom): null here.
    expectClose(r.p, c.spearman.p, `${name} p`);
    expectInterval(r.ci, c.spearman.ci, `${name} ci`);
    if (c.spearman.rho === null) expect(r.undefinedReason).not.toBeNull();
  });
});

suite(`kendallTauB (golden: scipy.stats.kendalltau defaults — variant 'b', method 'auto', SciPy ${golden.scipy})`, () => {
  it.each(corrCases)('%s', (name, c) => {
    const r = kendallTauB(c.x, c.y);
    expectClose(r.tau, c.kendall.tau, `${name} tau`);
    expectClose(r.p, c.kendall.p, `${name} p`);
    expect(r.method).toBe(c.kendall.method);
    expectInterval(r.ci, c.kendall.ci, `${name} ci`);
  });
});

suite('undefined correlations are null with a reason, never NaN', () => {
  it('constant input, too few values and unequal lengths', () => {
    expect(spearman([3, 3, 3], [1, 2, 3])).toMatchObject({ rho: null, p: null, ci: null, undefinedReason: 'constant_x' });
    expect(kendallTauB([1, 2, 3], [4, 4, 4])).toMatchObject({ tau: null, p: null, ci: null, undefinedReason: 'constant_y' });
    expect(spearman([1], [2])).toMatchObject({ rho: null, undefinedReason: 'too_few' });
    expect(kendallTauB([], [])).toMatchObject({ tau: null, undefinedReason: 'too_few' });
    expect(() => spearman([1, 2], [1])).toThrow(RangeError);
    expect(() => kendallTauB([1, Number.NaN], [1, 2])).toThrow(TypeError);
    for (const [, c] of corrCases) {
      for (const v of [...Object.values(spearman(c.x, c.y)), ...Object.values(kendallTauB(c.x, c.y))]) expect(Number.isNaN(v)).toBe(false);
    }
  });
});

suite('welchDifference (golden: diff ± t.ppf(0.975, Welch df) · se; t from scipy.stats.ttest_ind)', () => {
  it.each(golden.welch.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const r = welchDifference(c.a, c.b);
    expectClose(r.estimate, c.estimate, `${name} estimate`);
    expectClose(r.lower, c.lower, `${name} lower`);
    expectClose(r.upper, c.upper, `${name} upper`);
    expectClose(r.df, c.df, `${name} df`);
    if (c.t !== undefined) expectClose(r.estimate! / r.se!, c.t, `${name} t`);
    // The interval is the 95% one: its half-width is the t quantile times se.
    if (r.df !== null) expectClose(tCdf((r.upper! - r.estimate!) / r.se!, r.df), 0.975, `${name} coverage`);
  });
});

suite('meanBias (golden: t interval of judge − human, polished t quantile as stats_golden.py)', () => {
  it.each(golden.bias.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const r = meanBias(c.judge, c.human);
    expect(r.n).toBe(c.n);
    expectClose(r.estimate, c.estimate, `${name} estimate`);
    expectClose(r.lower, c.lower, `${name} lower`);
    expectClose(r.upper, c.upper, `${name} upper`);
  });
});
