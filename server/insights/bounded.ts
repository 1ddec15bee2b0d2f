/**
 * Intervals on bounded outcomes (pure). The t-interval from server/stats is what SciPy gives and stays
 * the reference number, but on a 1–10 rating or a non-negative time it can reach past the scale
 * (small n, values piled at an end), which reads as nonsense. The dashboard shows it clipped to the
 * outcome's bounds and says when it did; and it flags samples too small for an interval to mean much.
 */
import type { Description } from '../stats';

export type Bounds = readonly [number, number];

/** Fewer analysed values than this in an arm: the page shows "n too small" next to its figures. */
export const SMALL_SAMPLE_N = 10;

export interface BoundedDescription extends Description {
  /** The interval reached past the outcome's bounds and was clipped to them. */
  ciClipped: boolean;
  /** n < SMALL_SAMPLE_N (including 0 and 1, where there is no interval at all). */
  smallSample: boolean;
}

export function boundDescription(d: Description, [lo, hi]: Bounds): BoundedDescription {
  const smallSample = d.n < SMALL_SAMPLE_N;
  if (d.ciLower === null || d.ciUpper === null) return { ...d, ciClipped: false, smallSample };
  const ciLower = Math.max(lo, d.ciLower);
  const ciUpper = Math.min(hi, d.ciUpper);
  return { ...d, ciLower, ciUpper, ciClipped: ciLower !== d.ciLower || ciUpper !== d.ciUpper, smallSample };
}
