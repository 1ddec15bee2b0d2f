/**
 * Interval estimates for differences (pure), used by the calibration report.
 *
 * `welchDifference(a, b)`: mean(a) − mean(b) with the Welch–Satterthwaite t interval, the interval that
 * belongs to `scipy.stats.ttest_ind(a, b, equal_var=False)` (SciPy ≥ 1.11 reports it as
 * `confidence_interval()`; SciPy 1.10, our reference, computes it as diff ± t.ppf(0.975, df) · se, which is
 * what the goldens do). Same edge cases as `welchTTest`: n < 2 in either sample → all null; both variances 0
 * → no interval (SciPy's df fallback would give a zero-width interval that claims certainty).
 *
 * `meanBias(judge, human)`: the mean paired difference judge − human with its one-sample t interval
 * (`describe`'s SciPy t interval of the differences).
 */
import { describe } from './describe';
import { tCritical } from './distributions';
import { assertSample, mean, variance, type Maybe } from './shared';

export interface DifferenceInterval {
  estimate: Maybe;
  lower: Maybe;
  upper: Maybe;
  n: number;
}

export function welchDifference(a: readonly number[], b: readonly number[]): DifferenceInterval & { df: Maybe; se: Maybe } {
  assertSample(a, 'a');
  assertSample(b, 'b');
  const n = a.length + b.length;
  if (a.length === 0 || b.length === 0) return { estimate: null, lower: null, upper: null, df: null, se: null, n };
  const estimate = mean(a) - mean(b);
  if (a.length < 2 || b.length < 2) return { estimate, lower: null, upper: null, df: null, se: null, n };
  const va = variance(a) / a.length;
  const vb = variance(b) / b.length;
  const se = Math.sqrt(va + vb);
  if (se === 0) return { estimate, lower: null, upper: null, df: null, se: 0, n };
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  const half = tCritical(0.975, df) * se;
  return { estimate, lower: estimate - half, upper: estimate + half, df, se, n };
}

export function meanBias(judge: readonly number[], human: readonly number[]): DifferenceInterval {
  assertSample(judge, 'judge');
  assertSample(human, 'human');
  if (judge.length !== human.length) throw new RangeError('judge and human must have the same length');
  const d = describe(judge.map((j, i) => j - human[i]!));
  return { estimate: d.mean, lower: d.ciLower, upper: d.ciUpper, n: d.n };
}
