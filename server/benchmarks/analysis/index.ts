/**
 * A run's analysis for the results page and the Table-1 downloads: per-arm summaries (one judge's
 * scores), the paired comparison of every arm with a chosen reference, the accounting of every planned
 * conversation, the Table-1 view and per-arm value distributions for the charts. Scores are read by
 * judge label generically; BLEU of conversations whose final document the judge could not extract is
 * left out unless `includeExtractionFailures`.
 */
import { createHash } from 'node:crypto';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../../../db';
import { benchmarkItems, benchmarkRuns, benchmarkScores, benchmarkTasks, conversations } from '../../../db/schema';
import { notFound } from '../../services/errors';
import { judgeLabelFor } from '../judges';
import { METRICS, UNSCORABLE_METRIC, type MetricName } from '../metrics';
import { summarizeScores, type ResultsSummary } from '../results';
import { parseRunConfig } from '../run-config';
import { accountForItems, type ArmAccounting } from './accounting';
import { pairedComparisons, type AnalysisItem, type ArmComparisonResult } from './paired';
import { buildTable1, type Table1 } from './table1';

export { table1Csv, table1Latex, escapeLatex } from './table1';

const BLEU_METRICS = new Set<string>([METRICS.bleuChar, METRICS.bleuWord]);
/** Points per arm and metric sent for the distribution charts (evenly spaced order statistics beyond it). */
const MAX_POINTS = 400;
export const BOOTSTRAP_RESAMPLES = 2000;

export interface AnalysisOptions {
  judge?: string;
  referenceArmKey?: string;
  includeExtractionFailures?: boolean;
}

export interface RunAnalysis extends ResultsSummary {
  runId: string;
  judge: string | null;
  judges: string[];
  includeExtractionFailures: boolean;
  /** Finished conversations whose BLEU was left out (extraction failed and not included). */
  bleuExcluded: number;
  bootstrap: { seed: number; resamples: number; clusters: 'task' };
  comparisons: ArmComparisonResult[];
  accounting: ArmAccounting[];
  table1: Table1;
  /** Sorted values per arm and metric (at most MAX_POINTS evenly spaced order statistics). */
  distributions: { armKey: string; metric: MetricName; values: number[] }[];
}

/** The bootstrap's 32-bit seed, from the run's seed: the same intervals on every load and every machine. */
export function bootstrapSeed(runSeed: string): number {
  return createHash('sha256').update(`${runSeed}:bootstrap`).digest().readUInt32BE(0);
}

function thin(sorted: number[]): number[] {
  if (sorted.length <= MAX_POINTS) return sorted;
  return Array.from({ length: MAX_POINTS }, (_, i) => sorted[Math.round((i * (sorted.length - 1)) / (MAX_POINTS - 1))]!);
}

export async function runAnalysis(db: Database, runId: string, opts: AnalysisOptions = {}): Promise<RunAnalysis> {
  const [run] = await db.select().from(benchmarkRuns).where(eq(benchmarkRuns.id, runId));
  if (!run) throw notFound('Benchmark run');
  const config = parseRunConfig(run.config);
  const armKeys = config.arms.map((a) => a.key);
  const referenceArmKey = opts.referenceArmKey && armKeys.includes(opts.referenceArmKey) ? opts.referenceArmKey : (config.referenceArmKey ?? armKeys[0] ?? '');
  const includeExtractionFailures = opts.includeExtractionFailures ?? false;

  const inRun = eq(benchmarkItems.runId, runId);
  const extractionFailed = sql<boolean>`coalesce(${benchmarkScores.details}->>'fallback' = 'true', false)`;
  const [judgeRows, itemRows, tasks, fallbackRows] = await Promise.all([
    db.selectDistinct({ judge: benchmarkScores.judge }).from(benchmarkScores).innerJoin(benchmarkItems, eq(benchmarkItems.id, benchmarkScores.itemId)).where(inRun),
    db
      .select({
        id: benchmarkItems.id,
        armKey: benchmarkItems.armKey,
        taskId: benchmarkItems.taskId,
        replicate: benchmarkItems.replicate,
        status: benchmarkItems.status,
        failure: benchmarkItems.failure,
        endReason: sql<string | null>`${conversations.metadata}->>'endReason'`,
      })
      .from(benchmarkItems)
      .leftJoin(conversations, eq(conversations.id, benchmarkItems.conversationId))
      .where(inRun),
    db
      .select({ id: benchmarkTasks.id, key: benchmarkTasks.key, documentType: benchmarkTasks.documentType })
      .from(benchmarkTasks)
      .where(inArray(benchmarkTasks.id, config.taskIds))
      .orderBy(asc(benchmarkTasks.key)),
    db
      .select({
        judge: benchmarkScores.judge,
        armKey: benchmarkItems.armKey,
        extractionFailed: sql<number>`count(*) filter (where ${benchmarkScores.metric} = ${METRICS.documentWords} and ${extractionFailed})`.mapWith(Number),
        unscored: sql<number>`count(*) filter (where ${benchmarkScores.metric} = ${UNSCORABLE_METRIC})`.mapWith(Number),
      })
      .from(benchmarkScores)
      .innerJoin(benchmarkItems, eq(benchmarkItems.id, benchmarkScores.itemId))
      .where(and(inRun, eq(benchmarkItems.status, 'completed'), inArray(benchmarkScores.metric, [METRICS.documentWords, UNSCORABLE_METRIC])))
      .groupBy(benchmarkScores.judge, benchmarkItems.armKey),
  ]);
  const judges = judgeRows.map((r) => r.judge).sort();
  const preferred = opts.judge ?? judgeLabelFor(config.judge);
  const judge = judges.includes(preferred) ? preferred : (judges[0] ?? null);

  const scoreRows = judge
    ? await db
        .select({ itemId: benchmarkScores.itemId, metric: benchmarkScores.metric, value: benchmarkScores.value, extractionFailed })
        .from(benchmarkScores)
        .innerJoin(benchmarkItems, eq(benchmarkItems.id, benchmarkScores.itemId))
        .where(and(inRun, eq(benchmarkScores.judge, judge), eq(benchmarkItems.status, 'completed')))
    : [];

  const failedExtraction = new Set(scoreRows.filter((s) => s.metric === METRICS.documentWords && s.extractionFailed).map((s) => s.itemId));
  const scoresByItem = new Map<string, Partial<Record<string, number>>>();
  for (const s of scoreRows) {
    if (!includeExtractionFailures && BLEU_METRICS.has(s.metric) && failedExtraction.has(s.itemId)) continue;
    const m = scoresByItem.get(s.itemId) ?? {};
    m[s.metric] = s.value;
    scoresByItem.set(s.itemId, m);
  }
  const items: AnalysisItem[] = itemRows.map((i) => ({ itemId: i.id, armKey: i.armKey, taskId: i.taskId, replicate: i.replicate, status: i.status, scores: scoresByItem.get(i.id) ?? {} }));
  const completed = items.filter((i) => i.status === 'completed');

  const summary = summarizeScores(
    completed.flatMap((i) => Object.entries(i.scores).map(([metric, value]) => ({ armKey: i.armKey, taskId: i.taskId, metric, value: value! }))),
    { arms: config.arms, referenceArmKey, tasks },
  );
  const comparisons = pairedComparisons(items, { armKeys, referenceArmKey, metrics: summary.metrics, seed: bootstrapSeed(config.seed), resamples: BOOTSTRAP_RESAMPLES });
  const accounting = accountForItems(
    itemRows.map((i) => ({ armKey: i.armKey, status: i.status, endReason: i.endReason, failure: i.failure, extractionFailed: failedExtraction.has(i.id) })),
    { armKeys, perJudge: fallbackRows },
  );
  const distributions = config.arms.flatMap((arm) =>
    summary.metrics.map((metric) => ({
      armKey: arm.key,
      metric,
      values: thin(
        completed
          .filter((i) => i.armKey === arm.key && i.scores[metric] !== undefined)
          .map((i) => i.scores[metric]!)
          .sort((a, b) => a - b),
      ),
    })),
  );

  return {
    runId,
    judge,
    judges,
    includeExtractionFailures,
    bleuExcluded: includeExtractionFailures ? 0 : completed.filter((i) => failedExtraction.has(i.itemId)).length,
    bootstrap: { seed: bootstrapSeed(config.seed), resamples: BOOTSTRAP_RESAMPLES, clusters: 'task' },
    ...summary,
    comparisons,
    accounting,
    table1: buildTable1({ arms: summary.arms, referenceArmKey, comparisons }),
    distributions,
  };
}
