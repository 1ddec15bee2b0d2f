/**
 * Benchmark runs: start, cancel, progress, re-score, and the reads behind the runs pages.
 * A run, its items and their jobs are written in one transaction, so a run never exists without
 * its work queued (or the other way round), and resuming after a restart is just the queue's job.
 */
import { and, asc, count, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
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
import { runUsageTotals } from '../usage';
import { estimateEta } from './eta';
import { endRunEarly, finalizeRunIfDone, rescoreGroupKey, runGroupKey } from './lifecycle';
import { ITEM_JOB, ITEM_MAX_ATTEMPTS, RESCORE_JOB, itemJobPayload, rescoreJobPayload } from './jobs';

const { benchmarkRuns, benchmarkItems, benchmarkTasks, benchmarkScores, llmConnections, jobs, conversations, messages } =
  schema;

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

export const listItemsInput = z.object({
  runId: z.uuid(),
  status: z.enum(['pending', 'running', 'completed', 'failed', 'cancelled']).optional(),
  armKey: z.string().max(40).optional(),
  taskId: z.uuid().optional(),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(200).default(50),
});

export async function listRunItems(db: Database, input: z.input<typeof listItemsInput>) {
  const q = listItemsInput.parse(input);
  const where = and(
    eq(benchmarkItems.runId, q.runId),
    q.status ? eq(benchmarkItems.status, q.status) : undefined,
    q.armKey ? eq(benchmarkItems.armKey, q.armKey) : undefined,
    q.taskId ? eq(benchmarkItems.taskId, q.taskId) : undefined,
  );
  const [total] = await db.select({ n: count() }).from(benchmarkItems).where(where);
  const rows = await db
    .select({
      id: benchmarkItems.id,
      status: benchmarkItems.status,
      armKey: benchmarkItems.armKey,
      replicate: benchmarkItems.replicate,
      attempts: benchmarkItems.attempts,
      error: benchmarkItems.error,
      taskId: benchmarkItems.taskId,
      taskKey: benchmarkTasks.key,
      documentType: benchmarkTasks.documentType,
      finishedAt: benchmarkItems.finishedAt,
    })
    .from(benchmarkItems)
    .innerJoin(benchmarkTasks, eq(benchmarkTasks.id, benchmarkItems.taskId))
    .where(where)
    .orderBy(asc(benchmarkTasks.key), asc(benchmarkItems.armKey), asc(benchmarkItems.replicate))
    .offset(q.offset)
    .limit(q.limit);
  return { total: total?.n ?? 0, items: rows };
}

/** One item with its task, conversation and every judge's scores and rationales. */
export async function getItemDetail(db: Database, itemId: string) {
  const [row] = await db
    .select({ item: benchmarkItems, task: benchmarkTasks })
    .from(benchmarkItems)
    .innerJoin(benchmarkTasks, eq(benchmarkTasks.id, benchmarkItems.taskId))
    .where(eq(benchmarkItems.id, itemId));
  if (!row) throw notFound('Benchmark item');
  const { item, task } = row;
  const transcript = item.conversationId
    ? await db
        .select({ seq: messages.seq, role: messages.role, content: messages.content, model: messages.model, isDemoModel: messages.isDemoModel })
        .from(messages)
        .where(eq(messages.conversationId, item.conversationId))
        .orderBy(asc(messages.seq))
    : [];
  const [conversation] = item.conversationId
    ? await db.select({ metadata: conversations.metadata }).from(conversations).where(eq(conversations.id, item.conversationId))
    : [];
  const scores = await db
    .select({
      judge: benchmarkScores.judge,
      metric: benchmarkScores.metric,
      value: benchmarkScores.value,
      rationale: benchmarkScores.rationale,
      extractionFailed: sql<boolean>`coalesce(${benchmarkScores.details}->>'fallback' = 'true', false)`,
    })
    .from(benchmarkScores)
    .where(eq(benchmarkScores.itemId, itemId))
    .orderBy(asc(benchmarkScores.judge), asc(benchmarkScores.metric));
  const metadata = (conversation?.metadata ?? null) as Record<string, unknown> | null;
  return {
    item: {
      id: item.id,
      runId: item.runId,
      status: item.status,
      armKey: item.armKey,
      replicate: item.replicate,
      attempts: item.attempts,
      error: item.error,
      failure: item.failure,
      finalDocument: item.finalDocument,
    },
    task: { id: task.id, key: task.key, documentType: task.documentType, brief: task.brief, targetDocument: task.targetDocument },
    conversationMetadata: metadata,
    endReason: typeof metadata?.endReason === 'string' ? metadata.endReason : null,
    /** Judges that could not extract the final document (their BLEU is left out of the results by default). */
    extractionFailedBy: scores.filter((s) => s.metric === 'document_words' && s.extractionFailed).map((s) => s.judge),
    transcript,
    scores: scores.map((s) => ({ judge: s.judge, metric: s.metric, value: s.value, rationale: s.rationale })),
  };
}

/** Everything the new-run form offers: task sets, connections, and arms of existing studies. */
export async function newRunOptions(db: Database) {
  const taskSets = await db
    .select({ id: schema.benchmarkTaskSets.id, name: schema.benchmarkTaskSets.name, builtIn: schema.benchmarkTaskSets.builtIn })
    .from(schema.benchmarkTaskSets)
    .orderBy(desc(schema.benchmarkTaskSets.builtIn), asc(schema.benchmarkTaskSets.name));
  const tasks = await db
    .select({ id: benchmarkTasks.id, taskSetId: benchmarkTasks.taskSetId, key: benchmarkTasks.key, documentType: benchmarkTasks.documentType })
    .from(benchmarkTasks)
    .orderBy(asc(benchmarkTasks.key));
  const connections = await db
    .select({ id: llmConnections.id, name: llmConnections.name, defaultModel: llmConnections.defaultModel })
    .from(llmConnections)
    .orderBy(asc(llmConnections.name));
  const studies = await db
    .select({ id: schema.studies.id, name: schema.studies.name, config: schema.studies.draftConfig })
    .from(schema.studies)
    .orderBy(asc(schema.studies.name));
  return {
    taskSets: taskSets.map((s) => ({ ...s, tasks: tasks.filter((t) => t.taskSetId === s.id).map(({ taskSetId: _, ...t }) => t) })),
    connections,
    studyArms: studies.map((s) => ({ studyId: s.id, studyName: s.name, arms: s.config?.arms ?? [] })),
  };
}

export async function listTaskSets(db: Database) {
  const sets = await db
    .select({
      id: schema.benchmarkTaskSets.id,
      name: schema.benchmarkTaskSets.name,
      description: schema.benchmarkTaskSets.description,
      builtIn: schema.benchmarkTaskSets.builtIn,
      createdAt: schema.benchmarkTaskSets.createdAt,
      tasks: count(benchmarkTasks.id),
    })
    .from(schema.benchmarkTaskSets)
    .leftJoin(benchmarkTasks, eq(benchmarkTasks.taskSetId, schema.benchmarkTaskSets.id))
    .groupBy(schema.benchmarkTaskSets.id)
    .orderBy(desc(schema.benchmarkTaskSets.builtIn), asc(schema.benchmarkTaskSets.name));
  return sets;
}
