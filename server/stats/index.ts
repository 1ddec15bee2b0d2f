export { describe, meanCi, quantileLinear, type Description, type MeanCi } from './describe';
export { welchTTest, mannWhitneyU, hedgesG, cliffsDelta, type WelchResult, type MannWhitneyResult, type HedgesGResult } from './two-sample';
export { holm } from './holm';
export { compareArms, type ArmComparison } from './compare';
export { tTwoSidedP, tCritical, normalSf } from './distributions';
export type { Maybe } from './shared';
export {
  pairedTTest,
  wilcoxonSignedRank,
  clusterBootstrap,
  type PairedTTestResult,
  type WilcoxonResult,
  type PairedObservation,
  type ClusterBootstrapResult,
  type BootstrapInterval,
} from './paired';
export { spearman, kendallTauB, type SpearmanResult, type KendallResult, type CorrelationInterval, type UndefinedReason } from './correlation';
export { welchDifference, meanBias, type DifferenceInterval } from './difference';
