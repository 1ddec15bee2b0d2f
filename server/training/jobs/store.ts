/**
 * Database steps shared by the providers: events, status changes and the next queue step of a training job.
 * A job is driven by `training.step` queue jobs (steps.ts); each carries the job's `step_seq` at the time it was
 * enqueued, and scheduling a new step bumps it, so exactly one chain of steps is live per job.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { DbExecutor } from '../../../db';
import { schema } from '../../../db';
import { enqueueJobs } from '../../jobs/queue';
import { withoutNul } from '../../lib/text';

const { trainingJobs, trainingJobEvents, trainingDownloadTokens } = schema;

export type TrainingJobRow = typeof trainingJobs.$inferSelect;
export type TrainingJobStatus = TrainingJobRow['status'];
export const TERMINAL_STATUSES: readonly TrainingJobStatus[] = ['succeeded', 'failed', 'cancelled'];
export const isTerminal = (status: TrainingJobStatus) => TERMINAL_STATUSES.includes(status);

export const STEP_KIND = 'training.step';
export const stepGroupKey = (jobId: string) => `training-job:${jobId}`;

export async function loadJob(db: DbExecutor, jobId: string): Promise<TrainingJobRow | undefined> {
  const [row] = await db.select().from(trainingJobs).where(eq(trainingJobs.id, jobId));
  return row;
}

export interface EventInput {
  kind: 'status' | 'provider' | 'callback' | 'log';
  message: string;
  level?: string;
  data?: Record<string, unknown> | null;
  providerEventId?: string | null;
  occurredAt?: Date;
}

/** Stores events; a provider event already stored (same id) is skipped. */
export async function addEvents(db: DbExecutor, jobId: string, events: EventInput[]): Promise<void> {
  if (events.length === 0) return;
  await db
    .insert(trainingJobEvents)
    .values(
      events.map((e) => ({
        jobId,
        kind: e.kind,
        level: e.level ?? 'info',
        message: withoutNul(e.message).slice(0, 4000),
        data: e.data ?? null,
        providerEventId: e.providerEventId ?? null,
        occurredAt: e.occurredAt ?? new Date(),
      })),
    )
    .onConflictDoNothing();
}

/**
 * Moves a job to a new status unless it already ended (a late poll never revives a cancelled job), with a
 * status event. Returns false when the job had already ended.
 */
export async function setStatus(
  db: DbExecutor,
  jobId: string,
  status: TrainingJobStatus,
  fields: Partial<typeof trainingJobs.$inferInsert> = {},
  message?: string,
): Promise<boolean> {
  const terminal = isTerminal(status);
  const updated = await db
    .update(trainingJobs)
    .set({ ...fields, status, ...(terminal ? { finishedAt: new Date() } : {}) })
    .where(and(eq(trainingJobs.id, jobId), sql`${trainingJobs.status} not in ('succeeded', 'failed', 'cancelled')`))
    .returning({ previous: trainingJobs.status });
  if (updated.length === 0) return false;
  await addEvents(db, jobId, [
    { kind: 'status', level: status === 'failed' ? 'error' : 'info', message: message ?? `Status: ${status}`, data: { status, reason: fields.statusReason ?? null } },
  ]);
  if (terminal) await revokeDownloadTokens(db, jobId);
  return true;
}

export async function revokeDownloadTokens(db: DbExecutor, jobId: string): Promise<void> {
  await db
    .update(trainingDownloadTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(trainingDownloadTokens.jobId, jobId), isNull(trainingDownloadTokens.revokedAt)));
}

/**
 * Enqueues the job's next step (after `delayMs`) if `expectedSeq` is still current, in one transaction with the
 * bump; returns false when another step was scheduled meanwhile (then that chain carries on).
 */
export async function scheduleStep(db: DbExecutor, jobId: string, expectedSeq: number | null, delayMs = 0): Promise<boolean> {
  const run = async (tx: DbExecutor) => {
    const bumped = await tx
      .update(trainingJobs)
      .set({ stepSeq: sql`${trainingJobs.stepSeq} + 1` })
      .where(and(eq(trainingJobs.id, jobId), ...(expectedSeq === null ? [] : [eq(trainingJobs.stepSeq, expectedSeq)])))
      .returning({ seq: trainingJobs.stepSeq });
    const seq = bumped[0]?.seq;
    if (seq === undefined) return false;
    await enqueueJobs(tx, [
      { kind: STEP_KIND, payload: { trainingJobId: jobId, seq }, key: `training-step:${jobId}:${seq}`, groupKey: stepGroupKey(jobId), maxAttempts: 8, delayMs },
    ]);
    return true;
  };
  // Inside a caller's transaction this is a savepoint; the bump and the enqueue commit with the caller's change.
  return db.transaction(run);
}

export async function jobsByIds(db: DbExecutor, ids: string[]): Promise<TrainingJobRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(trainingJobs).where(inArray(trainingJobs.id, ids));
}
