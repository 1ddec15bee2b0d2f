import betainc from '@stdlib/math-base-special-betainc';
import { gammaln, normalSf } from './distributions';

/*
 * Noncentral t distribution (CDF and survival function).
 *
 * Written here because no well-kept npm package has it: @stdlib (already used for the central t and the
 * normal) has no noncentral t, and jStat's series stops at a loose fixed tolerance that misses SciPy by far
 * more than 1e-9. The algorithm is the one SciPy 1.10 reaches through Boost (`non_central_t`): Benton &
 * Krishnamoorthy (2003), a Poisson-weighted series of regularized incomplete beta functions summed outward
 * from the Poisson mode, with each incomplete beta taken from @stdlib's `betainc` (Boost's algorithm too).
 * Accuracy was checked against `scipy.stats.nct` on `__fixtures__/power-golden.json`
 * (`scripts/golden/power_golden.py`): df from 1 to 10^5, noncentrality −40…40, both tails, to 1e-9 absolute,
 * and to 1e-9 relative for upper tails ≥ 1e-100 with δ ≥ 0. Where a tail is reached by reflection (t < 0
 * with δ > 0), the q_j terms alternate in sign and only absolute accuracy (~1e-16) is kept, as in Boost.
 *
 * For t ≥ 0, with x = t²/(t² + ν), y = ν/(t² + ν) and λ = δ²/2:
 *   P(T ≤ t) = Φ(−δ) + ½ Σ_j [ p_j I_x(j + ½, ν/2) + q_j I_x(j + 1, ν/2) ]
 *   P(T > t) =        ½ Σ_j [ p_j I_y(ν/2, j + ½) + q_j I_y(ν/2, j + 1) ]
 *   p_j = e^(−λ) λ^j / j!,   q_j = δ e^(−λ) λ^j / (√2 Γ(j + 3/2))
 * and t < 0 reflects: P(T ≤ t; ν, δ) = P(T > −t; ν, −δ). The survival form is summed directly (not 1 − CDF),
 * so small upper tails — the power of a test — keep their relative digits.
 */

const RELATIVE_TOLERANCE = 1e-17;
const MAX_TERMS = 100_000;

function assertParameters(df: number, nc: number): void {
  if (!(df > 0) || !Number.isFinite(nc)) throw new RangeError(`noncentral t needs df > 0 and a finite noncentrality (got ${df}, ${nc})`);
}

/**
 * ½ Σ_j [p_j B(j + ½) + q_j B(j + 1)], summed from the Poisson mode outward in both directions. A direction
 * stops when the Poisson weight still ahead (bounded by a geometric series; every B is ≤ 1) is below the
 * tolerance relative to the sum so far, so terms far from the mode that carry the mass (small x) are reached.
 */
function poissonBetaSeries(nc: number, beta: (a: number) => number): number {
  const lambda = (nc * nc) / 2;
  const logLambda = lambda > 0 ? Math.log(lambda) : -Infinity;
  const qScale = nc / Math.SQRT2;
  const weights = (j: number): { p: number; q: number } => {
    if (lambda === 0) return { p: j === 0 ? 1 : 0, q: 0 };
    const base = -lambda + j * logLambda;
    return { p: Math.exp(base - gammaln(j + 1)), q: qScale * Math.exp(base - gammaln(j + 1.5)) };
  };
  const term = (j: number): { value: number; weight: number } => {
    const { p, q } = weights(j);
    return { value: p * beta(j + 0.5) + (q === 0 ? 0 : q * beta(j + 1)), weight: p + Math.abs(q) };
  };
  const mode = Math.floor(lambda);
  let sum = 0;
  for (let j = mode, n = 0; n < MAX_TERMS; j++, n++) {
    const { value, weight } = term(j);
    sum += value;
    // Beyond the mode the weights fall at least as fast as the ratio λ/(j + 1) < 1.
    const ratio = lambda / (j + 1);
    const ahead = ratio < 1 ? (weight * ratio) / (1 - ratio) : Infinity;
    if (ahead <= RELATIVE_TOLERANCE * Math.abs(sum) || (weight === 0 && j > mode)) break;
  }
  for (let j = mode - 1, n = 0; j >= 0 && n < MAX_TERMS; j--, n++) {
    const { value, weight } = term(j);
    sum += value;
    // Below the mode p_(j−1)/p_j = j/λ (q has a similar ratio), so the rest is bounded geometrically.
    const ratio = j / lambda;
    const ahead = ratio < 1 ? (weight * ratio) / (1 - ratio) : Infinity;
    if (ahead <= RELATIVE_TOLERANCE * Math.abs(sum) || weight === 0) break;
  }
  return sum / 2;
}

/** P(T ≤ t) for the noncentral t with `df` degrees of freedom (non-integer allowed) and noncentrality `nc`. */
export function nctCdf(t: number, df: number, nc: number): number {
  assertParameters(df, nc);
  if (Number.isNaN(t)) return NaN;
  if (t < 0) return nctSf(-t, df, -nc);
  if (t === Infinity) return 1;
  const x = (t * t) / (t * t + df);
  const value = normalSf(nc) + poissonBetaSeries(nc, (a) => betainc(x, a, df / 2));
  return Math.min(1, Math.max(0, value));
}

/** P(T > t), summed directly (see the header) so that small upper tails stay accurate. */
export function nctSf(t: number, df: number, nc: number): number {
  assertParameters(df, nc);
  if (Number.isNaN(t)) return NaN;
  if (t < 0) return nctCdf(-t, df, -nc);
  if (t === Infinity) return 0;
  const y = df / (t * t + df);
  const value = poissonBetaSeries(nc, (a) => betainc(y, df / 2, a));
  return Math.min(1, Math.max(0, value));
}
