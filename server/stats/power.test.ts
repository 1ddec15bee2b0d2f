import { describe as suite, expect, it } from 'vitest';
import { loadGolden } from './__fixtures__/golden';
import { nctCdf, nctSf } from './noncentral-t';
import { inflateForDropout, plannedAlphas, solveWelchN, welchPowerDetail } from './power';

interface Golden {
  nct: { x: number; df: number; nc: number; cdf: number; sf: number }[];
  welchPower: {
    meanDifference: number; sdReference: number; sdOther: number; nReference: number; nOther: number; alpha: number;
    power: number; df: number; noncentrality: number; critical: number;
  }[];
  solve: {
    meanDifference: number; sdReference: number; sdOther: number; alpha: number; power: number; nMax: number;
    nPerArm: number | null; achievedPower: number;
  }[];
}

const golden = loadGolden<Golden>(new URL('./__fixtures__/power-golden.json', import.meta.url));
const TOLERANCE = 1e-9;

function within(actual: number, expected: number, label: string): void {
  if (!(Math.abs(actual - expected) <= TOLERANCE)) throw new Error(`${label}: expected ${expected}, got ${actual} (diff ${Math.abs(actual - expected)})`);
}

suite('noncentral t (golden: scipy.stats.nct, SciPy 1.10 / Boost)', () => {
  it(`matches CDF and SF to ${TOLERANCE} on ${golden.nct.length} cases`, () => {
    for (const c of golden.nct) {
      within(nctCdf(c.x, c.df, c.nc), c.cdf, `cdf(${c.x}; ${c.df}, ${c.nc})`);
      within(nctSf(c.x, c.df, c.nc), c.sf, `sf(${c.x}; ${c.df}, ${c.nc})`);
    }
  });

  it('keeps relative accuracy for upper tails of a positive noncentrality (the power path)', () => {
    for (const c of golden.nct.filter((g) => g.x >= 0 && g.nc >= 0 && g.sf > 1e-100 && g.sf < 0.5)) {
      const actual = nctSf(c.x, c.df, c.nc);
      expect(Math.abs(actual - c.sf) / c.sf, `sf(${c.x}; ${c.df}, ${c.nc})`).toBeLessThan(1e-9);
    }
  });

  it('rejects impossible parameters', () => {
    expect(() => nctCdf(1, 0, 1)).toThrow(RangeError);
    expect(() => nctSf(1, 3, Number.NaN)).toThrow(RangeError);
  });
});

suite('Welch power (golden: SciPy nct with Welch–Satterthwaite df)', () => {
  it.each(golden.welchPower.map((c) => [`Δ=${c.meanDifference} sd=${c.sdReference}/${c.sdOther} n=${c.nReference}/${c.nOther} α=${c.alpha}`, c] as const))('%s', (_name, c) => {
    const detail = welchPowerDetail(c);
    within(detail.power, c.power, 'power');
    expect(Math.abs(detail.df - c.df) / c.df).toBeLessThan(1e-12);
    within(detail.noncentrality, c.noncentrality, 'noncentrality');
    within(detail.critical, c.critical, 'critical');
  });

  it('has power α at no effect, whatever n', () => {
    for (const n of [2, 10, 1000]) within(welchPowerDetail({ meanDifference: 0, sdReference: 1, sdOther: 2, nReference: n, nOther: n, alpha: 0.05 }).power, 0.05, `n=${n}`);
  });
});

suite('required n per arm (golden: brute-force search over SciPy power)', () => {
  it.each(golden.solve.map((c) => [`Δ=${c.meanDifference} sd=${c.sdReference}/${c.sdOther} α=${c.alpha} power=${c.power}`, c] as const))('%s', (_name, c) => {
    const result = solveWelchN(c);
    expect(result.nPerArm).toBe(c.nPerArm);
    within(result.achievedPower, c.achievedPower, 'achieved power');
  });
});

suite('dropout and α adjustment', () => {
  it('inflates n by ⌈n / (1 − d)⌉ without floating-point overshoot', () => {
    expect(inflateForDropout(100, 0.2)).toBe(125);
    expect(inflateForDropout(64, 0.15)).toBe(76); // 75.29…
    expect(inflateForDropout(10, 0)).toBe(10);
    expect(inflateForDropout(7, 0.5)).toBe(14);
    expect(() => inflateForDropout(10, 1)).toThrow(RangeError);
  });

  it('splits α by Bonferroni or by Holm steps ordered by effect', () => {
    expect(plannedAlphas(0.05, [0.2, 0.5], 'none')).toEqual([0.05, 0.05]);
    expect(plannedAlphas(0.05, [0.2, 0.5], 'bonferroni')).toEqual([0.025, 0.025]);
    expect(plannedAlphas(0.06, [0.2, 0.5, 0.3], 'holm')).toEqual([0.06, 0.02, 0.03]);
  });
});
