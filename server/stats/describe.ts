import { tCritical } from './distributions';
import { assertSample, mean, variance, type Maybe } from './shared';

export interface Description {
  n: number;
  mean: Maybe;
  /** Sample standard deviation (ddof = 1). */
  sd: Maybe;
  /** Standard error of the mean, sd / √n. */
  se: Maybe;
  /** 95% confidence interval of the mean, mean ± t(0.975, n − 1) · se. */
  ciLower: Maybe;
  ciUpper: Maybe;
  median: Maybe;
  /** Quartiles by NumPy's default linear interpolation (`np.percentile(x, 25 | 75)`). */
  q1: Maybe;
  q3: Maybe;
  iqr: Maybe;
  min: Maybe;
  max: Maybe;
}

/**
 * NumPy's default ('linear') percentile: position h = (n − 1)·q between the two nearest order statistics.
 * The two interpolation forms mirror NumPy's `_lerp`, which switches form at t = 0.5 for exactness at the ends.
 */
export function quantileLinear(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const t = h - lo;
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

function median(sorted: readonly number[]): number {
  const n = sorted.length;
  const mid = Math.floor(n / 2);
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function describe(xs: readonly number[]): Description {
  assertSample(xs, 'xs');
  const n = xs.length;
  if (n === 0) {
    return { n, mean: null, sd: null, se: null, ciLower: null, ciUpper: null, median: null, q1: null, q3: null, iqr: null, min: null, max: null };
  }
  const sorted = [...xs].sort((a, b) => a - b);
  const m = mean(xs);
  const q1 = quantileLinear(sorted, 0.25);
  const q3 = quantileLinear(sorted, 0.75);
  let sd: Maybe = null;
  let se: Maybe = null;
  let ciLower: Maybe = null;
  let ciUpper: Maybe = null;
  if (n >= 2) {
    sd = Math.sqrt(variance(xs, 1));
    se = sd / Math.sqrt(n);
    const half = tCritical(0.975, n - 1) * se;
    ciLower = m - half;
    ciUpper = m + half;
  }
  return { n, mean: m, sd, se, ciLower, ciUpper, median: median(sorted), q1, q3, iqr: q3 - q1, min: sorted[0]!, max: sorted[n - 1]! };
}

export interface MeanCi {
  n: number;
  mean: Maybe;
  /** Bounds of the t-based 95% CI of the mean; null when n < 2. */
  lower: Maybe;
  upper: Maybe;
}

/** Mean with a t-based 95% CI, e.g. for each point of a per-turn rating curve. */
export function meanCi(xs: readonly number[]): MeanCi {
  const d = describe(xs);
  return { n: d.n, mean: d.mean, lower: d.ciLower, upper: d.ciUpper };
}
