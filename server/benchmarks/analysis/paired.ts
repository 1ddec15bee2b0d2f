/**
 * The paired analysis of a benchmark run (pure): every arm against a chosen reference arm on the same
 * task, replicate and seed. Only complete pairs count (both conversations finished and scored for the
 * metric); how many were dropped is reported with each comparison. Holm's correction runs across the
 * directional outcomes of one arm's comparison, separately for the t-test and the Wilcoxon p-values.
 */
import { clusterBootstrap, holm, pairedTTest, wilcoxonSignedRank } from '../../stats';
import type { Maybe } from '../../stats';
import { METRIC_INFO, type MetricName } from '../metrics';

/** One finished-or-not conversation of the run, with the scores of the judge being shown. */
export interface AnalysisItem {
  itemId: string;
  armKey: string;
  taskId: string;
  replicate: number;
  status: string;
  /** Scores by metric (only completed items have any). */
  scores: Partial<Record<string, number>>;
}

export interface Interval {
  estimate: Maybe;
  lower: Maybe;
  upper: Maybe;
}

export interface MetricComparison {
  metric: MetricName;
  direction: 'higher' | 'lower' | 'none';
  /** Complete pairs used, and the task × replicate units of the run that had no complete pair for this metric. */
  pairs: number;
  droppedPairs: number;
  /** Mean of other − reference over pairs, with the t-based CI and the cluster-bootstrap CI (over tasks). */
  meanDifference: Maybe;
  tCi: { lower: Maybe; upper: Maybe };
  bootstrapCi: { lower: Maybe; upper: Maybe };
  tP: Maybe;
  wilcoxonP: Maybe;
  wilcoxonMethod: 'exact' | 'approx' | null;
  /** Holm-adjusted across this arm's directional outcomes; null for descriptive metrics. */
  tPHolm: Maybe;
  wilcoxonPHolm: Maybe;
  /**
   * (mean other − mean reference) / |mean reference| over the pairs, with its bootstrap CI. Oriented so that
   * positive = better (a reduction counts as better where lower is better); raw change for descriptive metrics.
   */
  relativeImprovement: Interval;
}

export interface ArmComparisonResult {
  armKey: string;
  metrics: MetricComparison[];
}

function pairKey(taskId: string, replicate: number): string {
  return `${taskId}\u0000${replicate}`;
}

export function directionOf(metric: MetricName): 'higher' | 'lower' | 'none' {
  return METRIC_INFO[metric].direction;
}

/**
 * Compares each arm with the reference on every metric. `seed` seeds the bootstrap (the run's seed, so the
 * numbers are the same on every load); `resamples` defaults to 2000.
 */
export function pairedComparisons(
  items: readonly AnalysisItem[],
  input: { armKeys: readonly string[]; referenceArmKey: string; metrics: readonly MetricName[]; seed: number; resamples?: number },
): ArmComparisonResult[] {
  const units = new Set(items.map((i) => pairKey(i.taskId, i.replicate)));
  const byArm = new Map<string, Map<string, AnalysisItem>>();
  for (const item of items) {
    if (item.status !== 'completed') continue;
    const arm = byArm.get(item.armKey) ?? new Map<string, AnalysisItem>();
    arm.set(pairKey(item.taskId, item.replicate), item);
    byArm.set(item.armKey, arm);
  }
  const reference = byArm.get(input.referenceArmKey) ?? new Map<string, AnalysisItem>();

  return input.armKeys
    .filter((k) => k !== input.referenceArmKey)
    .map((armKey) => {
      const other = byArm.get(armKey) ?? new Map<string, AnalysisItem>();
      const metrics = input.metrics.map((metric): MetricComparison => {
        const ref: number[] = [];
        const oth: number[] = [];
        const observations: { cluster: string; reference: number; other: number }[] = [];
        // Sorted by key so sums (and the bootstrap) do not depend on the order rows came from the database.
        for (const key of [...reference.keys()].sort()) {
          const r = reference.get(key)!.scores[metric];
          const o = other.get(key)?.scores[metric];
          if (r === undefined || o === undefined) continue;
          ref.push(r);
          oth.push(o);
          observations.push({ cluster: reference.get(key)!.taskId, reference: r, other: o });
        }
        const direction = directionOf(metric);
        const t = pairedTTest(oth, ref);
        const w = wilcoxonSignedRank(oth, ref);
        const boot = clusterBootstrap(observations, { seed: input.seed, resamples: input.resamples });
        const rel = boot.relativeChange;
        const relativeImprovement: Interval =
          direction === 'lower'
            ? { estimate: negate(rel.estimate), lower: negate(rel.upper), upper: negate(rel.lower) }
            : { estimate: rel.estimate, lower: rel.lower, upper: rel.upper };
        return {
          metric,
          direction,
          pairs: ref.length,
          droppedPairs: units.size - ref.length,
          meanDifference: t.meanDifference,
          tCi: { lower: t.ciLower, upper: t.ciUpper },
          bootstrapCi: { lower: boot.meanDifference.lower, upper: boot.meanDifference.upper },
          tP: t.p,
          wilcoxonP: w.p,
          wilcoxonMethod: w.method,
          tPHolm: null,
          wilcoxonPHolm: null,
          relativeImprovement,
        };
      });
      applyHolm(metrics, 'tP', 'tPHolm');
      applyHolm(metrics, 'wilcoxonP', 'wilcoxonPHolm');
      return { armKey, metrics };
    });
}

function negate(x: Maybe): Maybe {
  return x === null ? null : -x;
}

/** Holm across the directional outcomes that have a p-value; descriptive metrics are not hypotheses here. */
function applyHolm(metrics: MetricComparison[], from: 'tP' | 'wilcoxonP', to: 'tPHolm' | 'wilcoxonPHolm'): void {
  const family = metrics.filter((m) => m.direction !== 'none' && m[from] !== null);
  const adjusted = holm(family.map((m) => m[from]!));
  family.forEach((m, i) => (m[to] = adjusted[i]!));
}
