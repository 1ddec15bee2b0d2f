import { tCritical } from './distributions';
import { nctCdf, nctSf } from './noncentral-t';

/**
 * Power and sample size of Welch's two-sided t-test, from the noncentral t distribution with the
 * Welch–Satterthwaite degrees of freedom (the textbook approximation also used by e.g. R's MESS
 * `power_t_test` with unequal SDs; it equals `scipy.stats.nct` evaluated as in `scripts/golden/power_golden.py`).
 *
 *   se = √(sd₁²/n₁ + sd₂²/n₂),  δ = Δ / se,  ν = se⁴ / ((sd₁²/n₁)²/(n₁−1) + (sd₂²/n₂)²/(n₂−1)),
 *   c = t_(1−α/2, ν),  power = P(T > c) + P(T < −c)  with T ~ nct(ν, δ).
 */
export interface WelchPowerInput {
  /** Expected mean difference (other − reference); its sign does not matter for a two-sided test. */
  meanDifference: number;
  /** Standard deviations of the two arms (> 0). */
  sdReference: number;
  sdOther: number;
  nReference: number;
  nOther: number;
  /** Two-sided significance level in (0, 1). */
  alpha: number;
}

export interface WelchPowerDetail {
  power: number;
  df: number;
  noncentrality: number;
  critical: number;
}

function assertPositive(value: number, name: string): void {
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) throw new RangeError(`${name} must be a positive number (got ${String(value)})`);
}

export function welchPowerDetail(input: WelchPowerInput): WelchPowerDetail {
  const { meanDifference, sdReference, sdOther, nReference, nOther, alpha } = input;
  if (!Number.isFinite(meanDifference)) throw new RangeError('meanDifference must be finite');
  assertPositive(sdReference, 'sdReference');
  assertPositive(sdOther, 'sdOther');
  if (!(Number.isInteger(nReference) && nReference >= 2 && Number.isInteger(nOther) && nOther >= 2)) {
    throw new RangeError('group sizes must be integers ≥ 2');
  }
  if (!(alpha > 0 && alpha < 1)) throw new RangeError('alpha must be in (0, 1)');
  const v1 = (sdReference * sdReference) / nReference;
  const v2 = (sdOther * sdOther) / nOther;
  const se = Math.sqrt(v1 + v2);
  const df = (v1 + v2) ** 2 / (v1 ** 2 / (nReference - 1) + v2 ** 2 / (nOther - 1));
  const noncentrality = Math.abs(meanDifference) / se;
  const critical = tCritical(1 - alpha / 2, df);
  const power = nctSf(critical, df, noncentrality) + nctCdf(-critical, df, noncentrality);
  return { power: Math.min(1, power), df, noncentrality, critical };
}

export function welchPower(input: WelchPowerInput): number {
  return welchPowerDetail(input).power;
}

export interface SolveInput {
  meanDifference: number;
  sdReference: number;
  sdOther: number;
  alpha: number;
  /** Target power in (alpha, 1). */
  power: number;
  /** Largest n per arm worth searching; above it the answer is "more than nMax". */
  nMax: number;
}

export interface SolveResult {
  /** Smallest n per arm (equal allocation, n ≥ 2) whose power reaches the target; null when none ≤ nMax does. */
  nPerArm: number | null;
  /** Power at nPerArm (or at nMax when it was not reached). */
  achievedPower: number;
}

/**
 * Smallest n per arm meeting the target power. Power rises with n for a fixed effect, so an exponential
 * bracket then bisection finds the first n at or above the target (the goldens compare it with SciPy
 * evaluated at every n from 2 up).
 */
export function solveWelchN(input: SolveInput): SolveResult {
  const { power: target, nMax } = input;
  if (!(target > input.alpha && target < 1)) throw new RangeError('target power must be between alpha and 1');
  if (!(Number.isInteger(nMax) && nMax >= 2)) throw new RangeError('nMax must be an integer ≥ 2');
  const at = (n: number) => welchPower({ ...input, nReference: n, nOther: n });
  return solveSmallestN(at, target, nMax);
}

/**
 * Shared search: `powerAt` must be non-decreasing in n (approximately is enough for a simulated power).
 * Without a hint the bracket grows 2, 4, 8, …; with one it starts around the hint (±10%, widening), which
 * saves simulated evaluations when the hint is close. Bisection then finds the first n at or above target.
 */
export function solveSmallestN(powerAt: (n: number) => number, target: number, nMax: number, hint?: number): SolveResult {
  const cache = new Map<number, number>();
  const at = (n: number) => {
    let value = cache.get(n);
    if (value === undefined) {
      value = powerAt(n);
      cache.set(n, value);
    }
    return value;
  };
  if (at(2) >= target) return { nPerArm: 2, achievedPower: at(2) };
  let low = 2; // power below target
  let high: number;
  if (hint !== undefined && Number.isFinite(hint) && hint > 2) {
    const start = Math.min(nMax, Math.round(hint));
    if (at(start) >= target) {
      high = start;
      let step = Math.max(1, Math.round(start * 0.1));
      low = Math.max(2, start - step);
      while (low > 2 && at(low) >= target) {
        high = low;
        step *= 2;
        low = Math.max(2, low - step);
      }
    } else {
      low = start;
      let step = Math.max(1, Math.round(start * 0.1));
      high = Math.min(nMax, start + step);
      while (high < nMax && at(high) < target) {
        low = high;
        step *= 2;
        high = Math.min(nMax, high + step);
      }
    }
  } else {
    high = Math.min(nMax, 4);
    while (high < nMax && at(high) < target) {
      low = high;
      high = Math.min(nMax, high * 2);
    }
  }
  if (at(high) < target) return { nPerArm: null, achievedPower: at(high) };
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (at(mid) >= target) high = mid;
    else low = mid;
  }
  return { nPerArm: high, achievedPower: at(high) };
}

/** Participants to recruit per arm so that `n` remain after an expected dropout rate d in [0, 1): ⌈n / (1 − d)⌉. */
export function inflateForDropout(n: number, dropoutRate: number): number {
  if (!(dropoutRate >= 0 && dropoutRate < 1)) throw new RangeError('dropout rate must be in [0, 1)');
  // Rounding guard: 100 / (1 − 0.2) is 125.00000000000001 in floating point and must stay 125.
  const raw = n / (1 - dropoutRate);
  const rounded = Math.round(raw);
  return Math.abs(raw - rounded) < 1e-9 * raw ? rounded : Math.ceil(raw);
}

export type AlphaAdjustment = 'none' | 'bonferroni' | 'holm';

/**
 * Per-comparison α for planning m tests. Bonferroni: α/m for every test. Holm tests the k-th smallest
 * p-value (k = 0…m−1) at α/(m − k); for planning we assume the p-values order like the standardized
 * effects, so the largest effect is planned at α/m, the next at α/(m − 1), … (the analysis side,
 * `holm.ts`, adjusts the observed p-values instead). `strengths` are |standardized effects|.
 */
export function plannedAlphas(alpha: number, strengths: readonly number[], adjustment: AlphaAdjustment): number[] {
  const m = strengths.length;
  if (adjustment === 'none' || m <= 1) return strengths.map(() => alpha);
  if (adjustment === 'bonferroni') return strengths.map(() => alpha / m);
  const order = strengths.map((_, i) => i).sort((i, j) => strengths[j]! - strengths[i]! || i - j);
  const result = new Array<number>(m);
  order.forEach((index, rank) => {
    result[index] = alpha / (m - rank);
  });
  return result;
}
