/**
 * Benchmark run commands: start, cancel and re-score (admin only). A run, its items and their jobs are written in
 * one transaction, so a run never exists without its work queued (or the other way round), and resuming after a
 * restart is just the queue's job.
 */
import { and, count, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../../db';
import { schema } from '../../../db';
import { enqueueJobs, setGroupConcurrency } from '../../jobs/queue';
import { nudgeJobs } from '../../jobs/runtime';
import { requireRole } from '../../auth/roles';
import { badRequest, notFound, precondition, ServiceError } from '../../services/errors';
import type { ServiceContext } from '../../services/context';
import { recordAudit } from '../../services/audit';
import { judgeLabelFor } from '../judges';
import { judgeConfigSchema, runConfigSchema, type JudgeConfig, type RunConfig } from '../run-config';
import { endRunEarly, rescoreGroupKey, runGroupKey } from './lifecycle';
import { ITEM_JOB, ITEM_MAX_ATTEMPTS, RESCORE_JOB, itemJobPayload, rescoreJobPayload } from './jobs';

const { benchmarkRuns, benchmarkItems, benchmarkTasks, llmConnections, jobs } = schema;

/** Above this a run is more likely a mistake than a plan; split it into several runs. */
export const MAX_ITEMS_PER_RUN = 10_000;

export const createRunInput = z.object({
  name: z.string().trim().min(1, 'Give the run a name').max(120),
  config: runConfigSchema,
});
export type CreateRunInput = z.input<typeof createRunInput>;

async function assertConnectionsExist(db: Database, config: RunConfig): Promise<void> {
  const ids = new Set<string>();
  for (const arm of config.arms) if (arm.connectionId) ids.add(arm.connectionId);
  if (config.simulator.connectionId) ids.add(config.simulator.connectionId);
  if (config.judge.connectionId) ids.add(config.judge.connectionId);
  if (ids.size === 0) return;
  const found = await db.select({ id: llmConnections.id }).from(llmConnections).where(inArray(llmConnections.id, [...ids]));
  const missing = [...ids].filter((id) => !found.some((f) => f.id === id));
  if (missing.length > 0) throw badRequest(`These LLM connections do not exist (any more): ${missing.join(', ')}.`);
}

/**
 * Who may do what: starting, cancelling and re-scoring spend money on model calls, so they are for
 * admins; every signed-in staff member (viewer and up) may read runs, results and conversations.
 */
export async function createRun(ctx: ServiceContext, input: CreateRunInput): Promise<{ runId: string; items: number }> {
  requireRole(ctx.actor, 'admin');
  const parsed = createRunInput.safeParse(input);
  if (!parsed.success) {
    throw badRequest(parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '));
  }
  const { name, config } = parsed.data;
  const total = config.taskIds.length * config.arms.length * config.conversationsPerTask;
  if (total > MAX_ITEMS_PER_RUN)
    throw badRequest(`This run would have ${total} conversations; the limit is ${MAX_ITEMS_PER_RUN}. Use fewer tasks, arms or conversations per task.`);

  const tasks = await ctx.db.select({ id: benchmarkTasks.id }).from(benchmarkTasks).where(inArray(benchmarkTasks.id, config.taskIds));
  if (tasks.length !== config.taskIds.length) throw badRequest('Some selected tasks do not exist (any more). Reload the page and choose again.');
  await assertConnectionsExist(ctx.db, config);

  const runId = await ctx.db.transaction(async (tx) => {
    const [run] = await tx
      .insert(benchmarkRuns)
      .values({ name, config: config as unknown as Record<string, unknown>, createdById: ctx.actor?.id ?? null })
      .returning({ id: benchmarkRuns.id });
    if (!run) throw new Error('run insert returned nothing');
    // Replicate-major order, arms interleaved, so early results already cover every arm and task.
    const values: (typeof benchmarkItems.$inferInsert)[] = [];
    for (let replicate = 0; replicate < config.conversationsPerTask; replicate++)
      for (const taskId of config.taskIds)
        for (const arm of config.arms) values.push({ runId: run.id, taskId, armKey: arm.key, replicate });
    const itemIds: string[] = [];
    for (let i = 0; i < values.length; i += 1000) {
      const rows = await tx
        .insert(benchmarkItems)
        .values(values.slice(i, i + 1000))
        .onConflictDoNothing()
        .returning({ id: benchmarkItems.id });
      itemIds.push(...rows.map((r) => r.id));
    }
    const group = runGroupKey(run.id);
    await setGroupConcurrency(tx, group, config.concurrency);
    await enqueueJobs(
      tx,
      itemIds.map((itemId, i) => ({
        kind: ITEM_JOB,
        payload: itemJobPayload.parse({ runId: run.id, itemId }),
        maxAttempts: ITEM_MAX_ATTEMPTS,
        key: `benchmark-item:${itemId}`,
        groupKey: group,
        // Earlier items first, so a partial run is a balanced sample.
        priority: -i,
      })),
    );
    await recordAudit(tx, {
      actorUserId: ctx.actor?.id ?? null,
      action: 'benchmark.run_started',
      targetType: 'benchmark_run',
      targetId: run.id,
      details: { name, items: itemIds.length, arms: config.arms.map((a) => a.key), tasks: config.taskIds.length, seed: config.seed },
    });
    return run.id;
  });
  nudgeJobs();
  return { runId, items: total };
}

export async function cancelRun(ctx: ServiceContext, runId: string): Promise<void> {
  requireRole(ctx.actor, 'admin');
  const ended = await ctx.db.transaction(async (tx) => {
    const done = await endRunEarly(tx, runId, { status: 'cancelled', error: null });
    if (done) await recordAudit(tx, { actorUserId: ctx.actor?.id ?? null, action: 'benchmark.run_cancelled', targetType: 'benchmark_run', targetId: runId });
    return done;
  });
  if (ended) return;
  const [run] = await ctx.db.select({ status: benchmarkRuns.status }).from(benchmarkRuns).where(eq(benchmarkRuns.id, runId));
  if (!run) throw notFound('Benchmark run');
  throw precondition(`This run has already ${run.status === 'completed' ? 'completed' : `ended (${run.status})`}.`);
}

/** Queues a re-score of the run's completed conversations with another judge. */
export async function requestRescore(ctx: ServiceContext, runId: string, judge: JudgeConfig): Promise<{ jobQueued: boolean }> {
  requireRole(ctx.actor, 'admin');
  const parsedJudge = judgeConfigSchema.parse(judge);
  const [run] = await ctx.db.select().from(benchmarkRuns).where(eq(benchmarkRuns.id, runId));
  if (!run) throw notFound('Benchmark run');
  if (run.status === 'queued' || run.status === 'running')
    throw precondition('Wait until the run has finished (or cancel it) before re-scoring.');
  const [done] = await ctx.db
    .select({ n: count() })
    .from(benchmarkItems)
    .where(and(eq(benchmarkItems.runId, runId), eq(benchmarkItems.status, 'completed')));
  if (!done?.n) throw precondition('This run has no completed conversations to re-score.');
  await assertConnectionsExist(ctx.db, { arms: [], simulator: { connectionId: null }, judge: parsedJudge } as unknown as RunConfig);
  const group = rescoreGroupKey(runId);
  const label = judgeLabelFor(parsedJudge);
  const pending = await ctx.db
    .select({ id: jobs.id, payload: jobs.payload })
    .from(jobs)
    .where(and(eq(jobs.groupKey, group), inArray(jobs.status, ['queued', 'active'])));
  if (pending.some((p) => (p.payload as { label?: string }).label === label))
    throw new ServiceError('CONFLICT', 'A re-score with this judge is already queued or running.');
  await ctx.db.transaction(async (tx) => {
    await setGroupConcurrency(tx, group, 1);
    await enqueueJobs(tx, [
      {
        kind: RESCORE_JOB,
        payload: rescoreJobPayload.parse({ runId, judge: parsedJudge, label }),
        groupKey: group,
        maxAttempts: 3,
      },
    ]);
    await recordAudit(tx, {
      actorUserId: ctx.actor?.id ?? null,
      action: 'benchmark.rescore_requested',
      targetType: 'benchmark_run',
      targetId: runId,
      details: { judge: label, connectionId: parsedJudge.connectionId, model: parsedJudge.model },
    });
  });
  nudgeJobs();
  return { jobQueued: true };
}
