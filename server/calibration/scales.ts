/**
 * One common 0–1 scale for judge scores and participants' ratings (pure), so that a bias (judge − person)
 * and a difference between arms mean the same thing on both sides. Every mapping is linear, so it changes
 * neither a rank correlation nor the order of arms, only the units:
 * - participant ratings (survey document quality, overall interaction, in-chat ratings): 1–10 → (x − 1) / 9;
 * - judge document quality (`quality`, 1–10, judge-v1): (x − 1) / 9;
 * - judge interactivity on the released code's anchors (0 / 0.5 / 1): as is;
 * - judge interactivity on the paper's Table 1 scale, stored rescaled as S' = 2 (S − 2.5) ∈ {−3, −1, 1}
 *   (raw 1 / 2 / 3): (S' + 3) / 4, i.e. (raw − 1) / 2.
 * So 0 is the bottom of each instrument and 1 its top; 0.1 = a tenth of the scale's range.
 */
import { METRICS } from '../benchmarks/metrics';

export const RATING_MIN = 1;
export const RATING_MAX = 10;

export function ratingToUnit(rating: number): number {
  return (rating - RATING_MIN) / (RATING_MAX - RATING_MIN);
}

/** Whether a judge's interactivity scores are on the paper's Table 1 scale (label suffix or the score's own record). */
export function isTable1Judge(judgeLabel: string, details?: Record<string, unknown> | null): boolean {
  if (details && typeof details.interactivityScale === 'string') return details.interactivityScale === 'paper-table1';
  return judgeLabel.includes('+itr-table1');
}

/** Width of a judge metric's scale, for converting a difference between arms to the common scale. */
export function judgeScaleWidth(metric: string, judgeLabel: string): number | null {
  if (metric === METRICS.quality) return RATING_MAX - RATING_MIN;
  if (metric === METRICS.interactivity) return isTable1Judge(judgeLabel) ? 4 : 1;
  return null;
}

/** A judge score on the common scale; null for metrics without a defined scale. */
export function judgeToUnit(metric: string, value: number, judgeLabel: string, details?: Record<string, unknown> | null): number | null {
  if (metric === METRICS.quality) return ratingToUnit(value);
  if (metric === METRICS.interactivity) return isTable1Judge(judgeLabel, details) ? (value + 3) / 4 : value;
  return null;
}
