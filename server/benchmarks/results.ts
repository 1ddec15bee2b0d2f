/**
 * Results of a benchmark run: per-arm means with 95% CIs (stats module), relative improvement against a
 * reference arm (the paper's Table 1 "Rel. Improv." row), a per-task breakdown; re-scoring stored
 * conversations with another judge; JSONL export of conversations and scores.
 */
import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import type { Database } from '../../db';
import { benchmarkItems, benchmarkRuns, benchmarkScores, benchmarkTasks, conversations, messages } from '../../db/schema';
import { notFound } from '../services/errors';
import { describe } from '../stats';
import { judgeLabelFor, resolveJudge } from './judges';
import { METRIC_INFO, UNSCORABLE_METRIC, type MetricName } from './metrics';
import { BenchmarkError } from './errors';
import { parseRunConfig, type JudgeConfig } from './run-config';
import { recordRunUsage, runUsageTotals } from './usage';
import { conversationSeed, requestSeed } from './persona';
import type { TranscriptMessage } from './simulator-prompt';
import { judgeInputFor } from './types';

/** Metrics in the order of the results table. */
export const RESULT_METRICS: MetricName[] = [
  'bleu_char',
  'bleu_word',
  'quality',
  'interactivity',
  'tokens_read',
  'tokens_typed',
  'clarifying_questions',
  'turns',
  'document_words',
];

export interface MetricSummary {
  n: number;
  mean: number | null;
  sd: number | null;
  ciLower: number | null;
  ciUpper: number | null;
}

export interface ArmSummary {
  armKey: string;
  label: string;
  metrics: Partial<Record<MetricName, MetricSummary>>;
}

export interface RelativeImprovement {
  armKey: string;
  metric: MetricName;
  /**
   * Positive = better than the reference (a reduction counts as improvement where lower is better; the raw
   * change for descriptive metrics); null when the reference mean is 0 or missing.
   */
  value: number | null;
}

export interface TaskBreakdown {
  taskId: string;
  taskKey: string;
  documentType: string;
  arms: { armKey: string; metrics: Partial<Record<MetricName, { n: number; mean: number | null }>> }[];
}

export interface ResultsSummary {
  referenceArmKey: string;
  metrics: MetricName[];
  arms: ArmSummary[];
  relativeImprovements: RelativeImprovement[];
  perTask: TaskBreakdown[];
}

export interface ScoreRow {
  armKey: string;
  taskId: string;
  metric: string;
  value: number;
}

function isMetric(m: string): m is MetricName {
  return m in METRIC_INFO;
}

/** Pure aggregation of score rows (one judge) into the results layout. */
export function summarizeScores(
  rows: readonly ScoreRow[],
  input: {
    arms: readonly { key: string; label: string }[];
    referenceArmKey?: string;
    tasks?: readonly { id: string; key: string; documentType: string }[];
  },
): ResultsSummary {
  const referenceArmKey = input.referenceArmKey ?? input.arms[0]?.key ?? '';
  const present = new Set(rows.map((r) => r.metric));
  const metrics = RESULT_METRICS.filter((m) => present.has(m));
  const values = (armKey: string, metric: string, taskId?: string) =>
    rows.filter((r) => r.armKey === armKey && r.metric === metric && (taskId === undefined || r.taskId === taskId)).map((r) => r.value);

  const arms: ArmSummary[] = input.arms.map((arm) => {
    const summary: ArmSummary = { armKey: arm.key, label: arm.label, metrics: {} };
    for (const metric of metrics) {
      const d = describe(values(arm.key, metric));
      summary.metrics[metric] = { n: d.n, mean: d.mean, sd: d.sd, ciLower: d.ciLower, ciUpper: d.ciUpper };
    }
    return summary;
  });

  const reference = arms.find((a) => a.armKey === referenceArmKey);
  const relativeImprovements: RelativeImprovement[] = [];
  for (const arm of arms) {
    if (arm.armKey === referenceArmKey) continue;
    for (const metric of metrics) {
      const ref = reference?.metrics[metric]?.mean ?? null;
      const mine = arm.metrics[metric]?.mean ?? null;
      let value: number | null = null;
      if (ref !== null && mine !== null && ref !== 0 && isMetric(metric)) {
        const change = (mine - ref) / Math.abs(ref);
        value = METRIC_INFO[metric].direction === 'lower' ? -change : change;
      }
      relativeImprovements.push({ armKey: arm.armKey, metric, value });
    }
  }

  const tasks = input.tasks ?? [...new Set(rows.map((r) => r.taskId))].map((id) => ({ id, key: id, documentType: '' }));
  const perTask: TaskBreakdown[] = tasks.map((task) => ({
    taskId: task.id,
    taskKey: task.key,
    documentType: task.documentType,
    arms: input.arms.map((arm) => {
      const m: TaskBreakdown['arms'][number]['metrics'] = {};
      for (const metric of metrics) {
        const v = values(arm.key, metric, task.id);
        m[metric] = { n: v.length, mean: v.length ? v.reduce((a, b) => a + b, 0) / v.length : null };
      }
      return { armKey: arm.key, metrics: m };
    }),
  }));

  return { referenceArmKey, metrics, arms, relativeImprovements, perTask };
}

export interface RunResults extends ResultsSummary {
  runId: string;
  /** The judge whose scores are shown, and every judge that scored this run. */
  judge: string | null;
  judges: string[];
  items: { total: number; completed: number; failed: number; pending: number };
}

export async function runResults(db: Database, runId: string, opts: { judge?: string; referenceArmKey?: string } = {}): Promise<RunResults> {
  const [run] = await db.select().from(benchmarkRuns).where(eq(benchmarkRuns.id, runId));
  if (!run) throw notFound('Benchmark run');
  const config = parseRunConfig(run.config);
  const judgeRows = await db
    .selectDistinct({ judge: benchmarkScores.judge })
    .from(benchmarkScores)
    .innerJoin(benchmarkItems, eq(benchmarkItems.id, benchmarkScores.itemId))
    .where(eq(benchmarkItems.runId, runId));
  const judges = judgeRows.map((r) => r.judge).sort();
  const preferred = opts.judge ?? judgeLabelFor(config.judge);
  const judge = judges.includes(preferred) ? preferred : (judges[0] ?? null);

  const rows = judge
    ? await db
        .select({ armKey: benchmarkItems.armKey, taskId: benchmarkItems.taskId, metric: benchmarkScores.metric, value: benchmarkScores.value })
        .from(benchmarkScores)
        .innerJoin(benchmarkItems, eq(benchmarkItems.id, benchmarkScores.itemId))
        .where(and(eq(benchmarkItems.runId, runId), eq(benchmarkScores.judge, judge), eq(benchmarkItems.status, 'completed')))
    : [];
  const tasks = await db
    .select({ id: benchmarkTasks.id, key: benchmarkTasks.key, documentType: benchmarkTasks.documentType })
    .from(benchmarkTasks)
    .where(inArray(benchmarkTasks.id, config.taskIds))
    .orderBy(asc(benchmarkTasks.key));
  const statusRows = await db.select({ status: benchmarkItems.status }).from(benchmarkItems).where(eq(benchmarkItems.runId, runId));
  const count = (s: string) => statusRows.filter((r) => r.status === s).length;

  const summary = summarizeScores(rows, {
    arms: config.arms,
    referenceArmKey: opts.referenceArmKey ?? config.referenceArmKey,
    tasks,
  });
  return {
    runId,
    judge,
    judges,
    items: { total: statusRows.length, completed: count('completed'), failed: count('failed'), pending: statusRows.length - count('completed') - count('failed') },
    ...summary,
  };
}

async function loadTranscript(db: Database, conversationId: string): Promise<TranscriptMessage[]> {
  const rows = await db
    .select({ role: messages.role, content: messages.content })
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), eq(messages.status, 'complete')))
    .orderBy(asc(messages.seq));
  return rows.filter((r): r is TranscriptMessage => r.role === 'user' || r.role === 'assistant');
}

/**
 * Scores every completed item of a run again with another judge, from the stored conversations (nothing
 * is regenerated). Rows go under the new judge's label; re-running with the same judge replaces them.
 * A conversation this judge cannot score (unparseable output after its retries) gets a marker row
 * (`UNSCORABLE_METRIC`) instead of stopping the re-score, so the run's accounting can show it.
 */
export async function rescoreRun(
  db: Database,
  runId: string,
  judgeConfig: JudgeConfig,
  opts: { signal?: AbortSignal } = {},
): Promise<{ judge: string; rescored: number; unscorable: number }> {
  const [run] = await db.select().from(benchmarkRuns).where(eq(benchmarkRuns.id, runId));
  if (!run) throw notFound('Benchmark run');
  const config = parseRunConfig(run.config);
  const judge = await resolveJudge(db, judgeConfig);
  const items = await db
    .select({ item: benchmarkItems, task: benchmarkTasks })
    .from(benchmarkItems)
    .innerJoin(benchmarkTasks, eq(benchmarkTasks.id, benchmarkItems.taskId))
    .where(and(eq(benchmarkItems.runId, runId), eq(benchmarkItems.status, 'completed')))
    .orderBy(asc(benchmarkItems.id));
  let rescored = 0;
  let unscorable = 0;
  for (const { item, task } of items) {
    if (!item.conversationId) continue;
    const history = await loadTranscript(db, item.conversationId);
    // The judge seed of the original scoring, so a re-score with the same judge is as repeatable as the first.
    const seed = judge.isDemo ? undefined : requestSeed(conversationSeed(config.seed, task.id, item.replicate), 'judge');
    const judged = await judge.judge(judgeInputFor(history, task), { signal: opts.signal, seed }).catch(async (err: unknown) => {
      if (!(err instanceof BenchmarkError && err.detail?.reason === 'judge_unparseable')) throw err;
      const marker = { value: 1, rationale: err.message, details: { reason: err.detail.reason }, createdAt: new Date() };
      await db
        .insert(benchmarkScores)
        .values({ itemId: item.id, judge: judge.label, metric: UNSCORABLE_METRIC, ...marker })
        .onConflictDoUpdate({ target: [benchmarkScores.itemId, benchmarkScores.judge, benchmarkScores.metric], set: marker });
      return null;
    });
    if (!judged) {
      unscorable++;
      continue;
    }
    await db.transaction(async (tx) => {
      await tx.delete(benchmarkScores).where(and(eq(benchmarkScores.itemId, item.id), eq(benchmarkScores.judge, judge.label), eq(benchmarkScores.metric, UNSCORABLE_METRIC)));
      for (const s of judged.scores) {
        const values = { value: s.value, rationale: s.rationale ?? null, details: s.details ?? null, createdAt: new Date() };
        await tx
          .insert(benchmarkScores)
          .values({ itemId: item.id, judge: judge.label, metric: s.metric, ...values })
          .onConflictDoUpdate({ target: [benchmarkScores.itemId, benchmarkScores.judge, benchmarkScores.metric], set: values });
      }
      await recordRunUsage(tx, { runId, itemId: item.id, pricing: config.pricing, usage: { judge: judged.usage } });
    });
    rescored++;
  }
  return { judge: judge.label, rescored, unscorable };
}

const EXPORT_PAGE = 100;

/**
 * The run as JSONL: a header line, then one line per item with its task, conversation and all scores
 * (every judge). Connection ids and model names are included for provenance; API keys never are (the
 * run configuration does not hold any).
 */
export async function* exportRunJsonl(db: Database, runId: string): AsyncGenerator<string> {
  const [run] = await db.select().from(benchmarkRuns).where(eq(benchmarkRuns.id, runId));
  if (!run) throw notFound('Benchmark run');
  yield JSON.stringify({
    type: 'run',
    id: run.id,
    name: run.name,
    status: run.status,
    config: run.config,
    ...(await runUsageTotals(db, [run.id])).get(run.id),
    createdAt: run.createdAt,
    finishedAt: run.finishedAt,
  });
  let after: string | null = null;
  for (;;) {
    const page: { item: typeof benchmarkItems.$inferSelect; task: typeof benchmarkTasks.$inferSelect }[] = await db
      .select({ item: benchmarkItems, task: benchmarkTasks })
      .from(benchmarkItems)
      .innerJoin(benchmarkTasks, eq(benchmarkTasks.id, benchmarkItems.taskId))
      .where(after ? and(eq(benchmarkItems.runId, runId), gt(benchmarkItems.id, after)) : eq(benchmarkItems.runId, runId))
      .orderBy(asc(benchmarkItems.id))
      .limit(EXPORT_PAGE);
    if (page.length === 0) return;
    const itemIds = page.map((p) => p.item.id);
    const convIds = page.map((p) => p.item.conversationId).filter((id): id is string => id !== null);
    const scoreRows = await db.select().from(benchmarkScores).where(inArray(benchmarkScores.itemId, itemIds));
    const convRows = convIds.length ? await db.select().from(conversations).where(inArray(conversations.id, convIds)) : [];
    const messageRows = convIds.length
      ? await db.select().from(messages).where(inArray(messages.conversationId, convIds)).orderBy(asc(messages.conversationId), asc(messages.seq))
      : [];
    for (const { item, task } of page) {
      const conv = convRows.find((c) => c.id === item.conversationId);
      const scores: Record<string, Record<string, { value: number; rationale: string | null }>> = {};
      for (const s of scoreRows.filter((r) => r.itemId === item.id)) {
        (scores[s.judge] ??= {})[s.metric] = { value: s.value, rationale: s.rationale };
      }
      yield JSON.stringify({
        type: 'item',
        itemId: item.id,
        status: item.status,
        armKey: item.armKey,
        replicate: item.replicate,
        attempts: item.attempts,
        error: item.error,
        failure: item.failure,
        task: { id: task.id, key: task.key, documentType: task.documentType, brief: task.brief, targetDocument: task.targetDocument },
        finalDocument: item.finalDocument,
        conversation: conv
          ? {
              id: conv.id,
              assistantConfig: conv.assistantConfig,
              metadata: conv.metadata,
              messages: messageRows
                .filter((m) => m.conversationId === conv.id)
                .map((m) => ({
                  seq: m.seq,
                  role: m.role,
                  content: m.content,
                  model: m.model,
                  promptTokens: m.promptTokens,
                  completionTokens: m.completionTokens,
                })),
            }
          : null,
        scores,
      });
    }
    after = page[page.length - 1]!.item.id;
  }
}
