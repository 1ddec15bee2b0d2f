/**
 * Study judging runs: start (for the study's real completed participants, or one simulated pilot's), cancel,
 * retry failed participants, and the reads behind the Judging page and the transcript viewer.
 * A run, its items and their jobs are written in one transaction (as benchmark runs are), so a run never
 * exists without its work queued, and resuming after a crash is the queue's job.
 *
 * Who may do what: judging spends model calls, like running a study does, so researchers and admins start,
 * cancel and retry; every signed-in staff member reads.
 */
import { randomUUID } from 'node:crypto';
import { and, count, desc, eq, exists, inArray, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, DbExecutor } from '../../db';
import { schema } from '../../db';
import { requireRole } from '../auth/roles';
import { METRIC_INFO, type MetricName } from '../benchmarks/metrics';
import { enqueueJobs, setGroupConcurrency } from '../jobs/queue';
import { nudgeJobs } from '../jobs/runtime';
import { recordAudit } from '../services/audit';
import type { ServiceContext } from '../services/context';
import { badRequest, conflict, notFound, precondition } from '../services/errors';
import { judgeIdentity, studyJudgeConfigSchema, type StudyJudgeConfig } from './config';
import { JUDGE_ITEM_JOB, JUDGE_ITEM_MAX_ATTEMPTS, judgeItemJobPayload } from './jobs';
import { endJudgeRunEarly, finalizeJudgeRunIfDone, judgeRunGroupKey } from './lifecycle';

const { studyJudgeRuns, studyJudgeItems, studyJudgeScores, studyJudgeUsage, participants: P, llmConnections } = schema;

/** Above this a run is more likely a mistake than a plan. */
export const MAX_PARTICIPANTS_PER_JUDGE_RUN = 10_000;

export const startJudgeRunInput = z.object({
  studyId: z.uuid(),
  /** Null or absent: the study's real completed participants; set: that simulated pilot's participants. */
  pilotId: z.uuid().nullish(),
  judge: studyJudgeConfigSchema.shape.judge,
  concurrency: studyJudgeConfigSchema.shape.concurrency,
  pricing: studyJudgeConfigSchema.shape.pricing,
});
export type StartJudgeRunInput = z.input<typeof startJudgeRunInput> & {
  createdById?: string | null;
  /**
   * For server-side callers that may run twice (a retried job): when a queued, running or completed run with the
   * same judge already covers these participants, return it instead of starting another.
   */
  reuseExisting?: boolean;
};

/**
 * The participants a run judges: completed, with at least one complete message; the real ones (no pilot, no
 * previews) or exactly the given pilot's.
 */
function targetParticipants(studyId: string, pilotId: string | null) {
  const C = schema.conversations;
  const M = schema.messages;
  return and(
    eq(P.studyId, studyId),
    // A pilot's participants are whatever that pilot made them; real ones are never previews or pilot participants.
    pilotId ? eq(P.pilotId, pilotId) : and(isNull(P.pilotId), eq(P.isPreview, false)),
    eq(P.outcome, 'completed'),
    exists(
      sql`(select 1 from ${C} join ${M} on ${M.conversationId} = ${C.id} where ${C.participantId} = ${P.id} and ${M.status} = 'complete')`,
    ),
  );
}

async function assertJudgeConnection(db: DbExecutor, judge: StudyJudgeConfig['judge']) {
  if (judge.connectionId === null) return;
  const [found] = await db.select({ id: llmConnections.id }).from(llmConnections).where(eq(llmConnections.id, judge.connectionId));
  if (!found) throw badRequest('The judge connection does not exist (any more).');
}

/**
 * Starts a judging run without a role check: for server-side callers such as the simulated pilot's job
 * handler when a pilot finishes. Staff go through `startJudgeRunAsStaff`.
 */
export async function startStudyJudgeRun(
  db: Database,
  raw: StartJudgeRunInput,
): Promise<{ runId: string; participants: number; judge: string; reused: boolean }> {
  const parsed = startJudgeRunInput.safeParse(raw);
  if (!parsed.success) throw badRequest(parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '));
  const input = parsed.data;
  const pilotId = input.pilotId ?? null;
  const config: StudyJudgeConfig = studyJudgeConfigSchema.parse({ judge: input.judge, concurrency: input.concurrency, pricing: input.pricing });
  const { label, promptVersion } = judgeIdentity(config.judge);
  await assertJudgeConnection(db, config.judge);

  const result = await db.transaction(async (tx) => {
    // The study row lock serializes starts, so two clicks cannot start the same judging twice.
    const [study] = await tx.select({ id: schema.studies.id }).from(schema.studies).where(eq(schema.studies.id, input.studyId)).for('no key update');
    if (!study) throw notFound('The study');
    if (pilotId) {
      const [pilot] = await tx
        .select({ id: schema.studyPilots.id })
        .from(schema.studyPilots)
        .where(and(eq(schema.studyPilots.id, pilotId), eq(schema.studyPilots.studyId, input.studyId)));
      if (!pilot) throw notFound('The pilot');
    }
    const sameJudge = (
      await tx
        .select({ id: studyJudgeRuns.id, status: studyJudgeRuns.status, config: studyJudgeRuns.config })
        .from(studyJudgeRuns)
        .where(
          and(
            eq(studyJudgeRuns.studyId, input.studyId),
            pilotId ? eq(studyJudgeRuns.pilotId, pilotId) : isNull(studyJudgeRuns.pilotId),
            inArray(studyJudgeRuns.status, ['queued', 'running', 'completed']),
          ),
        )
        .orderBy(desc(studyJudgeRuns.createdAt))
    ).filter((r) => (r.config as { judgeLabel?: string }).judgeLabel === label);
    if (raw.reuseExisting && sameJudge[0]) {
      const [items] = await tx.select({ n: count() }).from(studyJudgeItems).where(eq(studyJudgeItems.runId, sameJudge[0].id));
      return { runId: sameJudge[0].id, participants: items?.n ?? 0, judge: label, reused: true };
    }
    if (sameJudge.some((r) => r.status === 'queued' || r.status === 'running'))
      throw conflict('A judging run with this judge is already going for these participants.');

    const targets = await tx.select({ id: P.id }).from(P).where(targetParticipants(input.studyId, pilotId)).orderBy(P.createdAt, P.id);
    if (targets.length === 0)
      throw precondition(pilotId ? 'This pilot has no completed participants to judge.' : 'The study has no completed participants to judge yet.');
    if (targets.length > MAX_PARTICIPANTS_PER_JUDGE_RUN)
      throw badRequest(`This run would judge ${targets.length} participants; the limit is ${MAX_PARTICIPANTS_PER_JUDGE_RUN}.`);

    const [run] = await tx
      .insert(studyJudgeRuns)
      .values({
        studyId: input.studyId,
        pilotId,
        config: { ...config, judgeLabel: label, promptVersion } as unknown as Record<string, unknown>,
        createdById: raw.createdById ?? null,
      })
      .returning({ id: studyJudgeRuns.id });
    const itemIds: string[] = [];
    for (let i = 0; i < targets.length; i += 1000) {
      const rows = await tx
        .insert(studyJudgeItems)
        .values(targets.slice(i, i + 1000).map((t) => ({ runId: run!.id, participantId: t.id })))
        .onConflictDoNothing()
        .returning({ id: studyJudgeItems.id });
      itemIds.push(...rows.map((r) => r.id));
    }
    const group = judgeRunGroupKey(run!.id);
    await setGroupConcurrency(tx, group, config.concurrency);
    await enqueueJobs(
      tx,
      itemIds.map((itemId, i) => ({
        kind: JUDGE_ITEM_JOB,
        payload: judgeItemJobPayload.parse({ runId: run!.id, itemId }),
        maxAttempts: JUDGE_ITEM_MAX_ATTEMPTS,
        key: `study-judge-item:${itemId}`,
        groupKey: group,
        priority: -i,
      })),
    );
    await recordAudit(tx, {
      actorUserId: raw.createdById ?? null,
      action: 'study.judge_run_started',
      targetType: 'study',
      targetId: input.studyId,
      details: { runId: run!.id, pilotId, judge: label, participants: itemIds.length },
    });
    return { runId: run!.id, participants: itemIds.length, judge: label, reused: false };
  });
  nudgeJobs();
  return result;
}

export async function startJudgeRunAsStaff(ctx: ServiceContext, input: StartJudgeRunInput) {
  requireRole(ctx.actor, 'researcher');
  return startStudyJudgeRun(ctx.db, { ...input, createdById: ctx.actor?.id ?? null });
}

async function runOfStudy(db: DbExecutor, studyId: string, runId: string) {
  const [run] = await db.select().from(studyJudgeRuns).where(and(eq(studyJudgeRuns.id, runId), eq(studyJudgeRuns.studyId, studyId)));
  if (!run) throw notFound('The judging run');
  return run;
}

export async function cancelJudgeRun(ctx: ServiceContext, input: { studyId: string; runId: string }): Promise<void> {
  requireRole(ctx.actor, 'researcher');
  const run = await runOfStudy(ctx.db, input.studyId, input.runId);
  const ended = await ctx.db.transaction(async (tx) => {
    const done = await endJudgeRunEarly(tx, run.id, { status: 'cancelled', error: null });
    if (done)
      await recordAudit(tx, { actorUserId: ctx.actor?.id ?? null, action: 'study.judge_run_cancelled', targetType: 'study', targetId: input.studyId, details: { runId: run.id } });
    return done;
  });
  if (!ended) throw precondition(`This judging run has already ${run.status === 'completed' ? 'completed' : `ended (${run.status})`}.`);
}

/**
 * Queues the failed participants of a run again (and, when a terminal error stopped the run, the ones it
 * cancelled). The run is live again until they finish. Concurrent retries serialize on the run row: the
 * second finds nothing failed any more.
 */
export async function retryFailedJudgeItems(ctx: ServiceContext, input: { studyId: string; runId: string }): Promise<{ retried: number }> {
  requireRole(ctx.actor, 'researcher');
  const retried = await ctx.db.transaction(async (tx) => {
    const [run] = await tx
      .select()
      .from(studyJudgeRuns)
      .where(and(eq(studyJudgeRuns.id, input.runId), eq(studyJudgeRuns.studyId, input.studyId)))
      .for('update');
    if (!run) throw notFound('The judging run');
    if (run.status === 'cancelled') throw precondition('This run was cancelled; start a new run instead.');
    const config = studyJudgeConfigSchema.parse(run.config);
    await assertJudgeConnection(tx, config.judge);
    const statuses: ('failed' | 'cancelled')[] = run.status === 'failed' ? ['failed', 'cancelled'] : ['failed'];
    const items = await tx
      .update(studyJudgeItems)
      .set({ status: 'pending', failure: null, finishedAt: null })
      .where(and(eq(studyJudgeItems.runId, run.id), inArray(studyJudgeItems.status, statuses)))
      .returning({ id: studyJudgeItems.id });
    if (items.length === 0) throw precondition('No failed participants to retry in this run.');
    await tx.update(studyJudgeRuns).set({ status: 'running', error: null, finishedAt: null }).where(eq(studyJudgeRuns.id, run.id));
    const group = judgeRunGroupKey(run.id);
    await setGroupConcurrency(tx, group, config.concurrency);
    // A fresh key per retry (the first job's key is taken by its failed row); the run lock keeps it to one.
    const retryTag = randomUUID();
    await enqueueJobs(
      tx,
      items.map(({ id }) => ({
        kind: JUDGE_ITEM_JOB,
        payload: judgeItemJobPayload.parse({ runId: run.id, itemId: id }),
        maxAttempts: JUDGE_ITEM_MAX_ATTEMPTS,
        key: `study-judge-item:${id}:retry:${retryTag}`,
        groupKey: group,
      })),
    );
    await recordAudit(tx, {
      actorUserId: ctx.actor?.id ?? null,
      action: 'study.judge_run_retried',
      targetType: 'study',
      targetId: input.studyId,
      details: { runId: run.id, participants: items.length },
    });
    return items.length;
  });
  nudgeJobs();
  return { retried };
}

export interface JudgeItemCounts {
  total: number;
  pending: number;
  running: number;
  completed: number;
  failed: number;
  cancelled: number;
}

/** The study's judging runs, newest first, with progress, tokens, cost and the latest failures. */
export async function listJudgeRuns(db: Database, studyId: string) {
  const [study] = await db.select({ id: schema.studies.id }).from(schema.studies).where(eq(schema.studies.id, studyId));
  if (!study) throw notFound('The study');
  let runs = await db.select().from(studyJudgeRuns).where(eq(studyJudgeRuns.studyId, studyId)).orderBy(desc(studyJudgeRuns.createdAt)).limit(50);
  const ids = runs.map((r) => r.id);
  if (ids.length === 0) return [];
  const countRows = async () =>
    db
      .select({ runId: studyJudgeItems.runId, status: studyJudgeItems.status, n: count() })
      .from(studyJudgeItems)
      .where(inArray(studyJudgeItems.runId, ids))
      .groupBy(studyJudgeItems.runId, studyJudgeItems.status);
  let counted = await countRows();
  // A safety net for a run whose last item finished while its worker died before closing the run.
  const stale = runs.filter((r) => {
    if (r.status !== 'queued' && r.status !== 'running') return false;
    const mine = counted.filter((c) => c.runId === r.id);
    return mine.length > 0 && mine.every((c) => c.status !== 'pending' && c.status !== 'running');
  });
  if (stale.length > 0) {
    for (const r of stale) await finalizeJudgeRunIfDone(db, r.id);
    runs = await db.select().from(studyJudgeRuns).where(eq(studyJudgeRuns.studyId, studyId)).orderBy(desc(studyJudgeRuns.createdAt)).limit(50);
    counted = await countRows();
  }
  const [usage, failures, pilots] = await Promise.all([
    db
      .select({
        runId: studyJudgeUsage.runId,
        promptTokens: sql<number>`sum(${studyJudgeUsage.promptTokens})`.mapWith(Number),
        completionTokens: sql<number>`sum(${studyJudgeUsage.completionTokens})`.mapWith(Number),
        estimatedCostUsd: sql<number>`sum(${studyJudgeUsage.estimatedCostUsd})`.mapWith(Number),
      })
      .from(studyJudgeUsage)
      .where(inArray(studyJudgeUsage.runId, ids))
      .groupBy(studyJudgeUsage.runId),
    db
      .select({ runId: studyJudgeItems.runId, participantId: studyJudgeItems.participantId, status: studyJudgeItems.status, attempts: studyJudgeItems.attempts, failure: studyJudgeItems.failure, externalId: P.externalId })
      .from(studyJudgeItems)
      .innerJoin(P, eq(P.id, studyJudgeItems.participantId))
      .where(and(inArray(studyJudgeItems.runId, ids), sql`${studyJudgeItems.failure} is not null`))
      .orderBy(desc(studyJudgeItems.finishedAt))
      .limit(200),
    db.select({ id: schema.studyPilots.id, createdAt: schema.studyPilots.createdAt }).from(schema.studyPilots).where(eq(schema.studyPilots.studyId, studyId)),
  ]);
  return runs.map((r) => {
    const counts: JudgeItemCounts = { total: 0, pending: 0, running: 0, completed: 0, failed: 0, cancelled: 0 };
    for (const c of counted) if (c.runId === r.id) {
      counts[c.status] = c.n;
      counts.total += c.n;
    }
    const config = studyJudgeConfigSchema.safeParse(r.config);
    const stored = r.config as { judgeLabel?: string; promptVersion?: string };
    const u = usage.find((x) => x.runId === r.id);
    return {
      id: r.id,
      status: r.status,
      error: r.error,
      pilotId: r.pilotId,
      pilotCreatedAt: pilots.find((p) => p.id === r.pilotId)?.createdAt ?? null,
      judge: stored.judgeLabel ?? '',
      promptVersion: stored.promptVersion ?? '',
      model: config.success ? (config.data.judge.connectionId === null ? 'offline demo-judge' : config.data.judge.model) : '',
      isDemo: config.success ? config.data.judge.connectionId === null : false,
      concurrency: config.success ? config.data.concurrency : null,
      createdAt: r.createdAt,
      startedAt: r.startedAt,
      finishedAt: r.finishedAt,
      counts,
      tokens: { prompt: u?.promptTokens ?? 0, completion: u?.completionTokens ?? 0 },
      estimatedCostUsd: u?.estimatedCostUsd ?? 0,
      priced: config.success && config.data.pricing !== undefined,
      failures: failures
        .filter((f) => f.runId === r.id)
        .slice(0, 10)
        .map((f) => ({ participantId: f.participantId, externalId: f.externalId, status: f.status, attempts: f.attempts, reason: f.failure?.reason ?? '' })),
    };
  });
}

/** What the start form offers: connections, the study's pilots and how many participants each target has. */
export async function judgeRunOptions(db: Database, studyId: string) {
  const [study] = await db.select({ id: schema.studies.id }).from(schema.studies).where(eq(schema.studies.id, studyId));
  if (!study) throw notFound('The study');
  const [connections, pilots, [real]] = await Promise.all([
    db.select({ id: llmConnections.id, name: llmConnections.name, defaultModel: llmConnections.defaultModel }).from(llmConnections).orderBy(llmConnections.name),
    db
      .select({ id: schema.studyPilots.id, status: schema.studyPilots.status, createdAt: schema.studyPilots.createdAt })
      .from(schema.studyPilots)
      .where(eq(schema.studyPilots.studyId, studyId))
      .orderBy(desc(schema.studyPilots.createdAt)),
    db.select({ n: count() }).from(P).where(targetParticipants(studyId, null)),
  ]);
  const pilotCounts = await Promise.all(pilots.map(async (p) => (await db.select({ n: count() }).from(P).where(targetParticipants(studyId, p.id)))[0]?.n ?? 0));
  return {
    connections,
    realParticipants: real?.n ?? 0,
    pilots: pilots.map((p, i) => ({ ...p, participants: pilotCounts[i] ?? 0 })),
  };
}

/** Every judge's scores of one participant, grouped by judge label (newest judging first). */
export async function participantJudgeScores(db: Database, input: { studyId: string; participantId: string }) {
  const [participant] = await db.select({ id: P.id }).from(P).where(and(eq(P.id, input.participantId), eq(P.studyId, input.studyId)));
  if (!participant) throw notFound('The participant');
  const rows = await db
    .select({
      judge: studyJudgeScores.judge,
      promptVersion: studyJudgeScores.promptVersion,
      metric: studyJudgeScores.metric,
      value: studyJudgeScores.value,
      rationale: studyJudgeScores.rationale,
      createdAt: studyJudgeScores.createdAt,
      runId: studyJudgeItems.runId,
      documentSource: studyJudgeItems.documentSource,
      finalDocument: studyJudgeItems.finalDocument,
    })
    .from(studyJudgeScores)
    .innerJoin(studyJudgeItems, eq(studyJudgeItems.id, studyJudgeScores.itemId))
    .where(eq(studyJudgeScores.participantId, input.participantId))
    .orderBy(desc(studyJudgeScores.createdAt), studyJudgeScores.judge, studyJudgeScores.metric);
  const byJudge = new Map<
    string,
    {
      judge: string;
      promptVersion: string;
      runId: string;
      documentSource: string | null;
      finalDocument: string | null;
      judgedAt: Date;
      scores: { metric: string; label: string; value: number; rationale: string | null }[];
    }
  >();
  for (const r of rows) {
    let entry = byJudge.get(r.judge);
    if (!entry) {
      entry = { judge: r.judge, promptVersion: r.promptVersion, runId: r.runId, documentSource: r.documentSource, finalDocument: r.finalDocument, judgedAt: r.createdAt, scores: [] };
      byJudge.set(r.judge, entry);
    }
    entry.scores.push({ metric: r.metric, label: METRIC_INFO[r.metric as MetricName]?.label ?? r.metric, value: r.value, rationale: r.rationale });
  }
  return [...byJudge.values()];
}
