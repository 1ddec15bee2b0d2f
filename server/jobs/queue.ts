/**
 * A small durable job queue on the `jobs` table, shared by the web process and any number of
 * `npm run worker` processes on one Postgres, and by the single process on embedded PGlite.
 *
 * Why not pg-boss 10 (tried first, then removed):
 * - On PGlite it fails at start with "cannot insert multiple commands into a prepared statement":
 *   pg-boss sends multi-statement SQL (BEGIN; SET LOCAL …; COMMIT) without parameters through its
 *   `db.executeSql` adapter, which PGlite's `query` (extended protocol) rejects; routing such SQL
 *   through PGlite's `exec` would work, so that part alone was fixable.
 * - It has no concurrency limit per group of jobs, and a benchmark run's concurrency must hold
 *   across every worker process.
 * - Its active jobs have a fixed expiry and no heartbeat, so crash recovery has to wait longer than
 *   the longest conversation could ever take; here a lease is renewed while a job runs, so a killed
 *   worker's jobs come back within one lease.
 * - Its jobs live outside our Drizzle transactions; here a run, its items and their jobs are
 *   inserted in one transaction, so a run never exists without its jobs or the other way round.
 * What it takes to get the same guarantees is small: claim with FOR UPDATE SKIP LOCKED, a lease,
 * a per-group row lock for the limit, and retry bookkeeping, all on the Drizzle query builder.
 *
 * All times come from the database clock (`now()`), so machines with skewed clocks agree.
 */
import { and, asc, desc, eq, inArray, isNull, lt, lte, or, sql, count } from 'drizzle-orm';
import type { Database, DbExecutor } from '../../db';
import { schema } from '../../db';

const { jobs, jobGroups } = schema;

export type JobStatus = (typeof schema.jobStatus.enumValues)[number];

export interface EnqueueInput {
  kind: string;
  payload: Record<string, unknown>;
  /** Idempotency key: enqueueing the same key twice keeps the first job. */
  key?: string;
  groupKey?: string;
  priority?: number;
  maxAttempts?: number;
  delayMs?: number;
}

/** One attempt's hold on a job: the job id and the fencing token its claim received. */
export interface JobLease {
  id: string;
  lease: number;
}

export interface ClaimedJob extends JobLease {
  kind: string;
  payload: Record<string, unknown>;
  groupKey: string | null;
  attempts: number;
  maxAttempts: number;
}

const millis = (ms: number) => sql`now() + ${Math.max(0, Math.round(ms))} * interval '1 millisecond'`;

/** Workers LISTEN here; enqueueing NOTIFYs, so idle workers claim at once instead of at their next poll. */
export const JOBS_CHANNEL = 'collab_jobs';

/**
 * Inserts jobs (skipping keys that already exist); returns how many were new. Wakes the workers of every
 * process on commit (NOTIFY is transactional: a rolled-back enqueue wakes nobody).
 */
export async function enqueueJobs(db: DbExecutor, inputs: EnqueueInput[]): Promise<number> {
  let inserted = 0;
  // Chunks keep each statement well under Postgres's 65,535 bind parameters.
  for (let i = 0; i < inputs.length; i += 1000) {
    const rows = await db
      .insert(jobs)
      .values(
        inputs.slice(i, i + 1000).map((input) => ({
          kind: input.kind,
          payload: input.payload,
          key: input.key ?? null,
          groupKey: input.groupKey ?? null,
          priority: input.priority ?? 0,
          maxAttempts: input.maxAttempts ?? 5,
          runAfter: input.delayMs ? millis(input.delayMs) : sql`now()`,
        })),
      )
      .onConflictDoNothing({ target: jobs.key })
      .returning({ id: jobs.id });
    inserted += rows.length;
  }
  if (inserted > 0) await db.execute(sql`select pg_notify(${JOBS_CHANNEL}, '')`);
  return inserted;
}

export async function setGroupConcurrency(db: DbExecutor, key: string, concurrency: number): Promise<void> {
  await db
    .insert(jobGroups)
    .values({ key, concurrency })
    .onConflictDoUpdate({ target: jobGroups.key, set: { concurrency } });
}

/** Queued and due, or active with a lease that ran out (its worker died). */
const claimable = () =>
  or(
    and(eq(jobs.status, 'queued'), lte(jobs.runAfter, sql`now()`)),
    and(eq(jobs.status, 'active'), lt(jobs.lockedUntil, sql`now()`)),
  );

/**
 * Claims up to `limit` jobs of the given kinds for one worker. Groups are served oldest work first;
 * a group's row is locked while its free slots are counted, so two workers cannot both fill the
 * same last slot. Jobs whose lease expired after their last allowed attempt come back in
 * `exhausted` (already marked failed) so the caller can run their failure hook.
 */
export async function claimJobs(
  db: Database,
  opts: { workerId: string; kinds: string[]; limit: number; leaseMs: number },
): Promise<{ jobs: ClaimedJob[]; exhausted: ClaimedJob[] }> {
  if (opts.limit <= 0 || opts.kinds.length === 0) return { jobs: [], exhausted: [] };
  return db.transaction(async (tx) => {
    const groups = await tx
      .select({ groupKey: jobs.groupKey })
      .from(jobs)
      .where(and(inArray(jobs.kind, opts.kinds), claimable()))
      .groupBy(jobs.groupKey)
      .orderBy(sql`min(${jobs.createdAt})`)
      .limit(20);

    const claimed: ClaimedJob[] = [];
    for (const { groupKey } of groups) {
      const remaining = opts.limit - claimed.length;
      if (remaining <= 0) break;
      let take = remaining;
      if (groupKey !== null) {
        const [locked] = await tx
          .select({ concurrency: jobGroups.concurrency })
          .from(jobGroups)
          .where(eq(jobGroups.key, groupKey))
          .for('update', { skipLocked: true });
        if (locked) {
          const [active] = await tx
            .select({ n: count() })
            .from(jobs)
            .where(and(eq(jobs.groupKey, groupKey), eq(jobs.status, 'active'), sql`${jobs.lockedUntil} >= now()`));
          take = Math.min(remaining, locked.concurrency - (active?.n ?? 0));
        } else {
          const [exists] = await tx.select({ key: jobGroups.key }).from(jobGroups).where(eq(jobGroups.key, groupKey));
          // Another worker is claiming for this group right now; it will fill the free slots.
          if (exists) take = 0;
        }
      }
      if (take <= 0) continue;
      // Pick (skipping rows other workers are claiming) and take in one statement.
      const picked = tx
        .select({ id: jobs.id })
        .from(jobs)
        .where(
          and(
            inArray(jobs.kind, opts.kinds),
            groupKey === null ? isNull(jobs.groupKey) : eq(jobs.groupKey, groupKey),
            claimable(),
          ),
        )
        .orderBy(desc(jobs.priority), asc(jobs.createdAt))
        .limit(take)
        .for('update', { skipLocked: true });
      const rows = await tx
        .update(jobs)
        .set({
          status: 'active',
          attempts: sql`${jobs.attempts} + 1`,
          lease: sql`${jobs.lease} + 1`,
          lockedBy: opts.workerId,
          lockedUntil: millis(opts.leaseMs),
          startedAt: sql`coalesce(${jobs.startedAt}, now())`,
        })
        .where(inArray(jobs.id, picked))
        .returning({
          id: jobs.id,
          kind: jobs.kind,
          payload: jobs.payload,
          groupKey: jobs.groupKey,
          attempts: jobs.attempts,
          maxAttempts: jobs.maxAttempts,
          lease: jobs.lease,
          priority: jobs.priority,
          createdAt: jobs.createdAt,
        });
      // RETURNING has no order; run them in the order they were picked.
      rows.sort((a, b) => b.priority - a.priority || a.createdAt.getTime() - b.createdAt.getTime());
      claimed.push(...rows.map(({ priority: _p, createdAt: _c, ...job }) => job));
    }
    if (claimed.length === 0) return { jobs: [], exhausted: [] };

    const exhausted = claimed.filter((j) => j.attempts > j.maxAttempts);
    if (exhausted.length > 0) {
      await tx
        .update(jobs)
        .set({
          status: 'failed',
          lockedBy: null,
          lockedUntil: null,
          finishedAt: sql`now()`,
          lastError: 'The worker running this job stopped responding too many times.',
        })
        .where(inArray(jobs.id, exhausted.map((j) => j.id)));
    }
    return { jobs: claimed.filter((j) => j.attempts <= j.maxAttempts), exhausted };
  });
}

/** Renews the leases this worker still holds; returns the ids it still owns. */
export async function extendLeases(db: Database, leases: JobLease[], leaseMs: number): Promise<string[]> {
  if (leases.length === 0) return [];
  const rows = await db
    .update(jobs)
    .set({ lockedUntil: millis(leaseMs) })
    .where(and(or(...leases.map(held)), eq(jobs.status, 'active')))
    .returning({ id: jobs.id, lease: jobs.lease });
  return rows.map((r) => r.id);
}

const held = (lease: JobLease) => and(eq(jobs.id, lease.id), eq(jobs.lease, lease.lease));
const ownedActive = (lease: JobLease) => and(held(lease), eq(jobs.status, 'active'));

/**
 * A condition for a handler's own writes (in SQL): true while this attempt's claim is the job's latest and the
 * job is still active. A write guarded by it cannot land after the job was claimed again, cancelled or finished.
 */
export function leaseHeld(lease: JobLease) {
  return sql`exists (select 1 from ${jobs} where ${jobs.id} = ${lease.id} and ${jobs.lease} = ${lease.lease} and ${jobs.status} = 'active')`;
}

/** Locks the job row and tells whether this attempt still holds it (for fencing a multi-statement transaction). */
export async function holdsLease(tx: DbExecutor, lease: JobLease): Promise<boolean> {
  const [row] = await tx.select({ id: jobs.id }).from(jobs).where(ownedActive(lease)).for('update');
  return row !== undefined;
}

/** Returns false when the job was no longer ours (cancelled, or claimed again after our lease lapsed). */
export async function completeJob(db: DbExecutor, lease: JobLease): Promise<boolean> {
  const rows = await db
    .update(jobs)
    .set({ status: 'completed', lockedBy: null, lockedUntil: null, finishedAt: sql`now()`, lastError: null })
    .where(ownedActive(lease))
    .returning({ id: jobs.id });
  return rows.length > 0;
}

export async function failJob(db: DbExecutor, lease: JobLease, error: string): Promise<boolean> {
  const rows = await db
    .update(jobs)
    .set({ status: 'failed', lockedBy: null, lockedUntil: null, finishedAt: sql`now()`, lastError: error })
    .where(ownedActive(lease))
    .returning({ id: jobs.id });
  return rows.length > 0;
}

/** Schedules another attempt, or fails the job when its attempts are used up. */
export async function retryJob(
  db: DbExecutor,
  lease: JobLease,
  delayMs: number,
  error: string,
): Promise<'retrying' | 'failed' | 'lost'> {
  const [row] = await db
    .update(jobs)
    .set({
      status: sql`case when ${jobs.attempts} < ${jobs.maxAttempts} then 'queued'::job_status else 'failed'::job_status end`,
      runAfter: millis(delayMs),
      finishedAt: sql`case when ${jobs.attempts} < ${jobs.maxAttempts} then null else now() end`,
      lockedBy: null,
      lockedUntil: null,
      lastError: error,
    })
    .where(ownedActive(lease))
    .returning({ status: jobs.status });
  if (!row) return 'lost';
  return row.status === 'queued' ? 'retrying' : 'failed';
}

/** Hands a job back without counting the attempt (graceful shutdown). */
export async function releaseJob(db: DbExecutor, lease: JobLease): Promise<boolean> {
  const rows = await db
    .update(jobs)
    .set({
      status: 'queued',
      attempts: sql`greatest(${jobs.attempts} - 1, 0)`,
      lockedBy: null,
      lockedUntil: null,
      runAfter: sql`now()`,
    })
    .where(ownedActive(lease))
    .returning({ id: jobs.id });
  return rows.length > 0;
}

/** Cancels a group's queued and running jobs; running ones notice at their next lease renewal. */
export async function cancelGroup(db: DbExecutor, groupKey: string): Promise<number> {
  const rows = await db
    .update(jobs)
    .set({ status: 'cancelled', lockedBy: null, lockedUntil: null, finishedAt: sql`now()` })
    .where(and(eq(jobs.groupKey, groupKey), inArray(jobs.status, ['queued', 'active'])))
    .returning({ id: jobs.id });
  return rows.length;
}

export async function countGroupJobs(db: DbExecutor, groupKey: string): Promise<Record<JobStatus, number>> {
  const rows = await db
    .select({ status: jobs.status, n: count() })
    .from(jobs)
    .where(eq(jobs.groupKey, groupKey))
    .groupBy(jobs.status);
  const counts: Record<JobStatus, number> = { queued: 0, active: 0, completed: 0, failed: 0, cancelled: 0 };
  for (const r of rows) counts[r.status] = r.n;
  return counts;
}

/**
 * Deletes jobs that finished more than `olderThanMs` ago; their outcome lives on in the domain rows
 * (a benchmark item keeps its status and error). Keeps the table small for the claim queries.
 */
export async function pruneFinishedJobs(db: DbExecutor, olderThanMs: number, opts: { kinds?: string[] } = {}): Promise<number> {
  const rows = await db
    .delete(jobs)
    .where(
      and(
        inArray(jobs.status, ['completed', 'failed', 'cancelled']),
        opts.kinds ? inArray(jobs.kind, opts.kinds) : undefined,
        lt(jobs.finishedAt, sql`now() - ${Math.round(olderThanMs)} * interval '1 millisecond'`),
      ),
    )
    .returning({ id: jobs.id });
  return rows.length;
}
