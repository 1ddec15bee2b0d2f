import { gammaln, normalCritical, normalSf, tTwoSidedP } from './distributions';
import { assertSample, averageRanks, finiteOrNull, mean, variance, type Maybe } from './shared';

export interface WelchResult {
  /** (mean(a) − mean(b)) / √(s²a/na + s²b/nb); ±Infinity when both variances are 0 and the means differ. */
  t: Maybe;
  /** Welch–Satterthwaite degrees of freedom (non-integer). */
  df: Maybe;
  /** Two-sided p-value. */
  p: Maybe;
}

/**
 * Welch's unequal-variance t-test, equal to `scipy.stats.ttest_ind(a, b, equal_var=False)` (SciPy 1.10),
 * including its edge cases: n < 2 in either sample → all null; both variances 0 → df = 1 (SciPy's
 * fallback), t = ±Infinity with p = 0 when the means differ, t = p = null when they are equal.
 */
export function welchTTest(a: readonly number[], b: readonly number[]): WelchResult {
  assertSample(a, 'a');
  assertSample(b, 'b');
  const n1 = a.length;
  const n2 = b.length;
  if (n1 < 2 || n2 < 2) return { t: null, df: null, p: null };
  const vn1 = variance(a) / n1;
  const vn2 = variance(b) / n2;
  let df = (vn1 + vn2) ** 2 / (vn1 ** 2 / (n1 - 1) + vn2 ** 2 / (n2 - 1));
  if (Number.isNaN(df)) df = 1;
  const t = (mean(a) - mean(b)) / Math.sqrt(vn1 + vn2);
  if (Number.isNaN(t)) return { t: null, df, p: null };
  return { t, df, p: tTwoSidedP(t, df) };
}

export interface MannWhitneyResult {
  /** U statistic of sample a (SciPy's reported statistic): #(a > b) + ½ #(a = b). */
  U: Maybe;
  /** Two-sided p-value. */
  p: Maybe;
  method: 'exact' | 'asymptotic' | null;
}

/**
 * P(U ≤ kMax) under H0 for samples of sizes m and n without ties. The number of arrangements with U = k is
 * the coefficient of q^k in the Gaussian binomial [m + n choose m]_q = ∏_{i=1..m} (1 − q^(n+i)) / (1 − q^i)
 * (the distribution SciPy 1.10's `_MWU` builds with its recursion). Coefficients are computed exactly in
 * BigInt (they exceed 2^53 for, e.g., 8 vs 2000) and only up to kMax, which is all the lower tail needs.
 */
function exactLowerTail(m: number, n: number, kMax: number): number {
  const size = kMax + 1;
  const coefficients = new Array<bigint>(size).fill(0n);
  coefficients[0] = 1n;
  for (let i = 1; i <= Math.min(m, n); i++) {
    const shift = Math.max(m, n) + i;
    for (let k = size - 1; k >= shift; k--) coefficients[k] = coefficients[k]! - coefficients[k - shift]!;
    for (let k = i; k < size; k++) coefficients[k] = coefficients[k]! + coefficients[k - i]!;
  }
  let cumulative = 0n;
  for (const c of coefficients) cumulative += c;
  let total = 1n;
  for (let i = 1; i <= Math.min(m, n); i++) total = (total * BigInt(Math.max(m, n) + i)) / BigInt(i);
  // Each conversion is correctly rounded and both stay far below 2^1024, so the ratio is good to ~1 ulp.
  return Number(cumulative) / Number(total);
}

/**
 * Mann–Whitney U test, equal to `scipy.stats.mannwhitneyu(a, b, alternative='two-sided')` with SciPy 1.10's
 * defaults (use_continuity=True, method='auto'). 'auto' picks the exact null distribution unless *both*
 * samples have more than 8 values or there is any tie (so it is exact whenever either n ≤ 8 and no value
 * repeats); otherwise the normal approximation with tie-corrected variance and a 0.5 continuity correction.
 * Empty samples (which SciPy rejects) give nulls.
 */
export function mannWhitneyU(a: readonly number[], b: readonly number[]): MannWhitneyResult {
  assertSample(a, 'a');
  assertSample(b, 'b');
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) return { U: null, p: null, method: null };
  const { ranks, tieTerm } = averageRanks([...a, ...b]);
  let r1 = 0;
  for (let i = 0; i < n1; i++) r1 += ranks[i]!;
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  const u = Math.max(u1, u2);
  const method = (n1 > 8 && n2 > 8) || tieTerm > 0 ? 'asymptotic' : 'exact';
  let p: number;
  if (method === 'exact') {
    // P(U ≥ u) = P(U ≤ mn − u) by symmetry; without ties u is an integer.
    p = 2 * exactLowerTail(n1, n2, n1 * n2 - u);
  } else {
    const n = n1 + n2;
    const s = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
    const z = (u - (n1 * n2) / 2 - 0.5) / s;
    p = 2 * normalSf(z);
  }
  return { U: u1, p: Math.min(1, Math.max(0, p)), method };
}

export interface HedgesGResult {
  /** Bias-corrected standardized mean difference (a − b) / pooled SD × J. */
  g: Maybe;
  /** Standard error of g: J · √((na + nb)/(na·nb) + d²/(2(na + nb))) (Hedges & Olkin 1985). */
  se: Maybe;
  /** 95% CI, g ± z(0.975) · se. */
  lower: Maybe;
  upper: Maybe;
}

/**
 * Hedges' g with the exact small-sample correction J = Γ(df/2) / (√(df/2) Γ((df − 1)/2)), df = na + nb − 2
 * (the familiar 1 − 3/(4df − 1) is an approximation of it). Positive when a's mean is higher.
 * Null when either sample has fewer than 2 values or the pooled SD is 0.
 */
export function hedgesG(a: readonly number[], b: readonly number[]): HedgesGResult {
  assertSample(a, 'a');
  assertSample(b, 'b');
  const none = { g: null, se: null, lower: null, upper: null };
  const n1 = a.length;
  const n2 = b.length;
  if (n1 < 2 || n2 < 2) return none;
  const df = n1 + n2 - 2;
  const pooledSd = Math.sqrt(((n1 - 1) * variance(a) + (n2 - 1) * variance(b)) / df);
  if (pooledSd === 0) return none;
  const d = (mean(a) - mean(b)) / pooledSd;
  const j = Math.exp(gammaln(df / 2) - gammaln((df - 1) / 2)) / Math.sqrt(df / 2);
  const g = j * d;
  const se = j * Math.sqrt((n1 + n2) / (n1 * n2) + (d * d) / (2 * (n1 + n2)));
  const z = normalCritical(0.975);
  return { g: finiteOrNull(g), se, lower: g - z * se, upper: g + z * se };
}

/**
 * Cliff's delta = (#(a > b) − #(a < b)) / (na·nb), in [−1, 1]; computed from the rank sum as
 * 2·U_a/(na·nb) − 1 so it costs O(n log n) instead of comparing every pair. Null for an empty sample.
 */
export function cliffsDelta(a: readonly number[], b: readonly number[]): Maybe {
  const { U } = mannWhitneyUStatistic(a, b);
  if (U === null) return null;
  return (2 * U) / (a.length * b.length) - 1;
}

function mannWhitneyUStatistic(a: readonly number[], b: readonly number[]): { U: Maybe } {
  assertSample(a, 'a');
  assertSample(b, 'b');
  if (a.length === 0 || b.length === 0) return { U: null };
  const { ranks } = averageRanks([...a, ...b]);
  let r1 = 0;
  for (let i = 0; i < a.length; i++) r1 += ranks[i]!;
  return { U: r1 - (a.length * (a.length + 1)) / 2 };
}
