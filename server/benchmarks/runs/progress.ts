/** Reads behind the runs list and a run's page: item counts, progress (ETA, errors, re-scores) and the configuration. */
import { and, count, desc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Database } from '../../../db';
import { schema } from '../../../db';
import { notFound } from '../../services/errors';
import { runConfigSchema, type RunConfig } from '../run-config';
import { runUsageTotals } from '../usage';
import { estimateEta } from './eta';
import { finalizeRunIfDone, rescoreGroupKey } from './lifecycle';

const { benchmarkRuns, benchmarkItems, benchmarkTasks, jobs } = schema;

export interface ItemCounts {
  total: number;
  pending: number;
  running: number;
  completed: number;
  failed: number;
  cancelled: number;
}

async function itemCounts(db: Database, runIds: string[]): Promise<Map<string, ItemCounts>> {
  const out = new Map<string, ItemCounts>();
  if (runIds.length === 0) return out;
  const rows = await db
    .select({ runId: benchmarkItems.runId, status: benchmarkItems.status, n: count() })
    .from(benchmarkItems)
    .where(inArray(benchmarkItems.runId, runIds))
    .groupBy(benchmarkItems.runId, benchmarkItems.status);
  for (const id of runIds) out.set(id, { total: 0, pending: 0, running: 0, completed: 0, failed: 0, cancelled: 0 });
  for (const r of rows) {
    const c = out.get(r.runId)!;
    c[r.status] = r.n;
    c.total += r.n;
  }
  return out;
}

export function isDemoConfig(config: RunConfig): boolean {
  return config.arms.some((a) => a.connectionId === null) || config.simulator.connectionId === null || config.judge.connectionId === null;
}

export async function listRuns(db: Database, opts: { limit?: number } = {}) {
  const runs = await db
    .select()
    .from(benchmarkRuns)
    .orderBy(desc(benchmarkRuns.createdAt))
    .limit(Math.min(opts.limit ?? 100, 500));
  const [counts, usage] = await Promise.all([itemCounts(db, runs.map((r) => r.id)), runUsageTotals(db, runs.map((r) => r.id))]);
  return runs.map((r) => {
    const config = runConfigSchema.safeParse(r.config);
    return {
      id: r.id,
      name: r.name,
      status: r.status,
      error: r.error,
      createdAt: r.createdAt,
      finishedAt: r.finishedAt,
      arms: config.success ? config.data.arms.map((a) => a.label) : [],
      isDemo: config.success ? isDemoConfig(config.data) : false,
      estimatedCostUsd: usage.get(r.id)!.estimatedCostUsd,
      counts: counts.get(r.id)!,
    };
  });
}

export async function getRunProgress(db: Database, runId: string, now = new Date()) {
  let [run] = await db.select().from(benchmarkRuns).where(eq(benchmarkRuns.id, runId));
  if (!run) throw notFound('Benchmark run');
  let counts = (await itemCounts(db, [runId])).get(runId)!;
  // A safety net for a run whose last item finished while its worker died before closing the run.
  if ((run.status === 'queued' || run.status === 'running') && counts.total > 0 && counts.pending + counts.running === 0) {
    await finalizeRunIfDone(db, runId);
    [run] = await db.select().from(benchmarkRuns).where(eq(benchmarkRuns.id, runId));
    counts = (await itemCounts(db, [runId])).get(runId)!;
  }
  if (!run) throw notFound('Benchmark run');

  const recent = await db
    .select({ finishedAt: benchmarkItems.finishedAt })
    .from(benchmarkItems)
    .where(and(eq(benchmarkItems.runId, runId), inArray(benchmarkItems.status, ['completed', 'failed']), isNotNull(benchmarkItems.finishedAt)))
    .orderBy(desc(benchmarkItems.finishedAt))
    .limit(50);
  const live = run.status === 'queued' || run.status === 'running';
  const eta = estimateEta({
    finishedAt: recent.map((r) => r.finishedAt!),
    remaining: live ? counts.pending + counts.running : 0,
    now,
  });

  const errorRows = await db
    .select({
      itemId: benchmarkItems.id,
      status: benchmarkItems.status,
      armKey: benchmarkItems.armKey,
      taskKey: benchmarkTasks.key,
      error: benchmarkItems.error,
    })
    .from(benchmarkItems)
    .innerJoin(benchmarkTasks, eq(benchmarkTasks.id, benchmarkItems.taskId))
    .where(and(eq(benchmarkItems.runId, runId), isNotNull(benchmarkItems.error), inArray(benchmarkItems.status, ['pending', 'running', 'failed'])))
    .orderBy(desc(benchmarkItems.finishedAt))
    .limit(10);

  const [waiting] = await db
    .select({ n: count() })
    .from(benchmarkItems)
    .where(and(eq(benchmarkItems.runId, runId), eq(benchmarkItems.status, 'pending'), isNotNull(benchmarkItems.error)));
  const retrying = waiting?.n ?? 0;

  const rescoreJobs = await db
    .select({ id: jobs.id, status: jobs.status, payload: jobs.payload, lastError: jobs.lastError, createdAt: jobs.createdAt, finishedAt: jobs.finishedAt })
    .from(jobs)
    .where(eq(jobs.groupKey, rescoreGroupKey(runId)))
    .orderBy(desc(jobs.createdAt))
    .limit(20);

  const config = runConfigSchema.safeParse(run.config);
  const usage = (await runUsageTotals(db, [runId])).get(runId)!;
  return {
    run: {
      id: run.id,
      name: run.name,
      status: run.status,
      error: run.error,
      createdAt: run.createdAt,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      isDemo: config.success ? isDemoConfig(config.data) : false,
    },
    counts,
    /** Items waiting for another attempt after a retryable error. */
    retrying,
    throughputPerMinute: eta.perMinute,
    etaSeconds: eta.etaSeconds,
    tokens: { prompt: usage.promptTokens, completion: usage.completionTokens },
    estimatedCostUsd: usage.estimatedCostUsd,
    errors: errorRows.map((e) => ({ itemId: e.itemId, status: e.status, armKey: e.armKey, taskKey: e.taskKey, error: e.error ?? '' })),
    rescores: rescoreJobs.map((j) => ({
      id: j.id,
      status: j.status,
      judge: (j.payload as { label?: string }).label ?? '',
      error: j.lastError,
      createdAt: j.createdAt,
      finishedAt: j.finishedAt,
    })),
  };
}

/** The run's configuration for its page (arm prompts included: staff only). */
export async function getRun(db: Database, runId: string) {
  const [run] = await db.select().from(benchmarkRuns).where(eq(benchmarkRuns.id, runId));
  if (!run) throw notFound('Benchmark run');
  const config = runConfigSchema.parse(run.config);
  return { id: run.id, name: run.name, status: run.status, createdAt: run.createdAt, config, isDemo: isDemoConfig(config) };
}
