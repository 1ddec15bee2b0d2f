import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import gammaln from '@stdlib/math-base-special-gammaln';

// Tail probabilities are always evaluated on the negative side: stdlib's t CDF returns 1 - p for
// x > 0, which would throw away the digits of small upper-tail probabilities.

/** P(T <= -|t|) for Student's t with `df` degrees of freedom (df may be non-integer). */
export function tLowerTail(t: number, df: number): number {
  return tCdf(-Math.abs(t), df);
}

/** Two-sided p-value of a t statistic, as SciPy's `2 * stdtr(df, -|t|)`. */
export function tTwoSidedP(t: number, df: number): number {
  return 2 * tLowerTail(t, df);
}

function tPdf(x: number, df: number): number {
  const logNorm = gammaln((df + 1) / 2) - gammaln(df / 2) - 0.5 * Math.log(df * Math.PI);
  return Math.exp(logNorm - ((df + 1) / 2) * Math.log1p((x * x) / df));
}

/**
 * Upper quantile of Student's t (probability > 0.5), e.g. tCritical(0.975, df) for a 95% interval.
 * stdlib's quantile is only good to about 1e-9 relative for non-integer df, so its answer is polished
 * with Newton steps on the (accurate to ~1e-15) lower-tail CDF; this lands within a few ulps of SciPy.
 */
export function tCritical(probability: number, df: number): number {
  if (!(probability > 0.5 && probability < 1) || !(df > 0)) return tQuantile(probability, df);
  const tail = 1 - probability;
  let x = tQuantile(probability, df);
  for (let i = 0; i < 4; i++) {
    const step = (tCdf(-x, df) - tail) / tPdf(x, df);
    x += step;
    if (Math.abs(step) <= 1e-15 * Math.abs(x)) break;
  }
  return x;
}

/** Standard normal survival function P(Z > z), evaluated without cancellation for large z. */
export function normalSf(z: number): number {
  return normalCdf(-z, 0, 1);
}

export function normalCritical(probability: number): number {
  return normalQuantile(probability, 0, 1);
}

export { gammaln, tCdf };
