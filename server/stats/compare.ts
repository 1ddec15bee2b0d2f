import { describe, type Description } from './describe';
import { cliffsDelta, hedgesG, mannWhitneyU, welchTTest, type HedgesGResult, type MannWhitneyResult, type WelchResult } from './two-sample';
import type { Maybe } from './shared';

export interface ArmComparison {
  reference: Description;
  other: Description;
  /** mean(other) − mean(reference). */
  difference: Maybe;
  /**
   * 100 · (mean(other) − mean(reference)) / |mean(reference)|: the paper's way of stating results
   * ("−10.4% time vs Base"); the absolute value keeps the sign equal to the direction of the
   * difference when the reference mean is negative. Null when the reference mean is 0 or missing.
   */
  percentDifference: Maybe;
  /** All tests and effect sizes are oriented as (other, reference): positive = other is higher. */
  welch: WelchResult;
  mannWhitney: MannWhitneyResult;
  hedgesG: HedgesGResult;
  cliffsDelta: Maybe;
}

export function compareArms(reference: readonly number[], other: readonly number[]): ArmComparison {
  const ref = describe(reference);
  const oth = describe(other);
  const difference = ref.mean !== null && oth.mean !== null ? oth.mean - ref.mean : null;
  const percentDifference = difference !== null && ref.mean !== null && ref.mean !== 0 ? (100 * difference) / Math.abs(ref.mean) : null;
  return {
    reference: ref,
    other: oth,
    difference,
    percentDifference,
    welch: welchTTest(other, reference),
    mannWhitney: mannWhitneyU(other, reference),
    hedgesG: hedgesG(other, reference),
    cliffsDelta: cliffsDelta(other, reference),
  };
}
