import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { closeDb, getDb, getDbHandle, schema, type Database } from '../../db';
import { openTestPglite } from '../../db/testing/pglite';
import { RetryableJobError, TerminalJobError } from './errors';
import {
  cancelGroup,
  claimJobs,
  completeJob,
  countGroupJobs,
  enqueueJobs,
  extendLeases,
  holdsLease,
  JOBS_CHANNEL,
  leaseHeld,
  retryJob,
  pruneFinishedJobs,
  setGroupConcurrency,
} from './queue';
import { defineJob, jobInput, JobWorker, LEASE_LAPSED } from './worker';
import { waitFor } from '../lib/testing/wait-for';

const payload = z.object({ n: z.number().int() });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const uniqueKind = (name: string) => `test.${name}.${randomUUID().slice(0, 8)}`;

function queueSuite(label: string, open: () => Promise<{ db: Database; close(): Promise<void> }>) {
  describe(`job queue on ${label}`, () => {
    let db: Database;
    let close: () => Promise<void>;
    const workers: JobWorker[] = [];
    const worker = (opts: ConstructorParameters<typeof JobWorker>[0]) => {
      const w = new JobWorker({ pollIntervalMs: 20, retryBaseMs: 5, retryMaxMs: 20, ...opts });
      workers.push(w);
      w.start();
      return w;
    };

    beforeAll(async () => {
      ({ db, close } = await open());
    });
    afterAll(async () => {
      await Promise.all(workers.map((w) => w.stop({ graceMs: 100 })));
      await close();
    });

    it('enqueues idempotently by key', async () => {
      const kind = uniqueKind('idem');
      const key = `k-${randomUUID()}`;
      expect(await enqueueJobs(db, [{ kind, payload: { n: 1 }, key }])).toBe(1);
      expect(await enqueueJobs(db, [{ kind, payload: { n: 2 }, key }])).toBe(0);
      const rows = await db.select().from(schema.jobs).where(eq(schema.jobs.key, key));
      expect(rows).toHaveLength(1);
      expect(rows[0]?.payload).toEqual({ n: 1 });
    });

    it('retries retryable failures with backoff, then completes', async () => {
      const calls = new Map<number, number>();
      const def = defineJob({
        kind: uniqueKind('retry'),
        payload,
        async handler({ n }) {
          const c = (calls.get(n) ?? 0) + 1;
          calls.set(n, c);
          if (c < 3) throw new RetryableJobError('429 from the model', 10);
        },
      });
      const group = `g-${randomUUID()}`;
      await enqueueJobs(db, [1, 2, 3].map((n) => jobInput(def, { n }, { groupKey: group })));
      worker({ db, definitions: [def], concurrency: 4 });
      await waitFor(async () => (await countGroupJobs(db, group)).completed === 3);
      expect([...calls.values()]).toEqual([3, 3, 3]);
      const rows = await db.select().from(schema.jobs).where(eq(schema.jobs.groupKey, group));
      expect(rows.every((r) => r.attempts === 3 && r.lockedBy === null)).toBe(true);
    });

    it('fails terminal errors at once and exhausted retries after maxAttempts, calling onFailed', async () => {
      const failed: { n: number; error: string }[] = [];
      const def = defineJob({
        kind: uniqueKind('fail'),
        payload,
        maxAttempts: 2,
        async handler({ n }) {
          if (n === 1) throw new TerminalJobError('401 invalid API key');
          throw new Error('socket hang up');
        },
        async onFailed({ n }, { error }) {
          failed.push({ n, error });
        },
      });
      const group = `g-${randomUUID()}`;
      await enqueueJobs(db, [1, 2].map((n) => jobInput(def, { n }, { groupKey: group })));
      worker({ db, definitions: [def], concurrency: 2 });
      await waitFor(async () => failed.length === 2);
      const rows = await db.select().from(schema.jobs).where(eq(schema.jobs.groupKey, group));
      const byN = new Map(rows.map((r) => [(r.payload as { n: number }).n, r]));
      expect(byN.get(1)).toMatchObject({ status: 'failed', attempts: 1, lastError: '401 invalid API key' });
      expect(byN.get(2)).toMatchObject({ status: 'failed', attempts: 2, lastError: 'socket hang up' });
      expect(failed.sort((a, b) => a.n - b.n)).toEqual([
        { n: 1, error: '401 invalid API key' },
        { n: 2, error: 'socket hang up' },
      ]);
    });

    it('honours a group concurrency limit across several workers', async () => {
      let running = 0;
      let maxRunning = 0;
      const def = defineJob({
        kind: uniqueKind('limit'),
        payload,
        async handler() {
          running += 1;
          maxRunning = Math.max(maxRunning, running);
          await sleep(30);
          running -= 1;
        },
      });
      const group = `g-${randomUUID()}`;
      await setGroupConcurrency(db, group, 3);
      await enqueueJobs(db, Array.from({ length: 24 }, (_, n) => jobInput(def, { n }, { groupKey: group })));
      worker({ db, definitions: [def], concurrency: 10 });
      worker({ db, definitions: [def], concurrency: 10 });
      await waitFor(async () => (await countGroupJobs(db, group)).completed === 24);
      expect(maxRunning).toBe(3);
    });

    it('hands a job whose lease ran out to another claim, and the earlier attempt can no longer write (fencing token)', async () => {
      const kind = uniqueKind('lease');
      await enqueueJobs(db, [{ kind, payload: { n: 1 } }]);
      const first = await claimJobs(db, { workerId: 'stalled-worker', kinds: [kind], limit: 5, leaseMs: 60_000 });
      expect(first.jobs).toHaveLength(1);
      expect((await claimJobs(db, { workerId: 'other', kinds: [kind], limit: 5, leaseMs: 100 })).jobs).toHaveLength(0);
      // The lease runs out (set in the database rather than waited for).
      await db.update(schema.jobs).set({ lockedUntil: sql`now() - interval '1 second'` }).where(eq(schema.jobs.kind, kind));
      // Claimed again by the same worker id: only the token tells the attempts apart.
      const second = await claimJobs(db, { workerId: 'stalled-worker', kinds: [kind], limit: 5, leaseMs: 60_000 });
      const [a, b] = [first.jobs[0]!, second.jobs[0]!];
      expect([b.id, b.attempts]).toEqual([a.id, 2]);
      expect(b.lease).toBeGreaterThan(a.lease);
      expect(await extendLeases(db, [a], 60_000)).toEqual([]);
      expect(await retryJob(db, a, 0, 'late')).toBe('lost');
      expect(await completeJob(db, a)).toBe(false);
      expect(await db.transaction((tx) => holdsLease(tx, a))).toBe(false);
      // A domain write guarded by the stale token does nothing; by the current one it lands.
      const guardedWrite = (lease: typeof a) =>
        db.update(schema.jobs).set({ lastError: `written by ${lease.lease}` }).where(and(eq(schema.jobs.id, a.id), leaseHeld(lease))).returning({ id: schema.jobs.id });
      expect(await guardedWrite(a)).toHaveLength(0);
      expect(await guardedWrite(b)).toHaveLength(1);
      expect(await extendLeases(db, [b], 60_000)).toEqual([b.id]);
      expect(await completeJob(db, b)).toBe(true);
      expect(await guardedWrite(b)).toHaveLength(0);
    });

    it('cancelling a group aborts its running job through the lease renewal', async () => {
      let aborted = false;
      let started = false;
      const def = defineJob({
        kind: uniqueKind('cancel'),
        payload,
        async handler(_p, { signal }) {
          started = true;
          await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
          aborted = true;
          throw new Error('aborted');
        },
      });
      const group = `g-${randomUUID()}`;
      await enqueueJobs(db, [0, 1].map((n) => jobInput(def, { n }, { groupKey: group })));
      await setGroupConcurrency(db, group, 1);
      worker({ db, definitions: [def], concurrency: 2, leaseMs: 1500 });
      await waitFor(async () => started);
      expect(await cancelGroup(db, group)).toBe(2);
      await waitFor(async () => aborted);
      expect(await countGroupJobs(db, group)).toMatchObject({ cancelled: 2, active: 0, queued: 0 });
    });

    it('prunes finished jobs older than the retention, never queued ones', async () => {
      const kind = uniqueKind('prune');
      await enqueueJobs(db, [{ kind, payload: { n: 1 } }, { kind, payload: { n: 2 } }]);
      const { jobs: claimed } = await claimJobs(db, { workerId: 'w', kinds: [kind], limit: 1, leaseMs: 10_000 });
      expect(await completeJob(db, claimed[0]!)).toBe(true);
      expect(await pruneFinishedJobs(db, 60_000, { kinds: [kind] })).toBe(0);
      await sleep(20);
      expect(await pruneFinishedJobs(db, 10, { kinds: [kind] })).toBe(1);
      const left = await db.select().from(schema.jobs).where(eq(schema.jobs.kind, kind));
      expect(left.map((j) => j.status)).toEqual(['queued']);
    });

    it('a graceful stop releases an unfinished job without counting the attempt', async () => {
      let started = false;
      const def = defineJob({
        kind: uniqueKind('stop'),
        payload,
        async handler(_p, { signal }) {
          started = true;
          await new Promise<void>((_, reject) => signal.addEventListener('abort', () => reject(new Error('stopped')), { once: true }));
        },
      });
      await enqueueJobs(db, [jobInput(def, { n: 1 })]);
      const w = new JobWorker({ db, definitions: [def], concurrency: 1, pollIntervalMs: 20 });
      w.start();
      await waitFor(async () => started);
      await w.stop({ graceMs: 50 });
      const [row] = await db.select().from(schema.jobs).where(eq(schema.jobs.kind, def.kind));
      expect(row).toMatchObject({ status: 'queued', attempts: 0, lockedBy: null });
    });
  });
}

queueSuite('Postgres', async () => ({ db: await getDb(), close: closeDb }));

describe('job queue wake-ups across processes (Postgres)', () => {
  it('a job enqueued on another connection wakes an idle worker long before its next poll', async () => {
    const handle = await getDbHandle();
    let ran = false;
    const def = defineJob({
      kind: uniqueKind('wake'),
      payload,
      async handler() {
        ran = true;
      },
    });
    const w = new JobWorker({ db: handle.db, definitions: [def], concurrency: 1, pollIntervalMs: 60_000 });
    const unlisten = await handle.listen!(JOBS_CHANNEL, () => w.nudge());
    w.start();
    // Another client, as the web process or another worker would be.
    const other = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    try {
      await sleep(100); // the worker has made its first (empty) claim and now waits for the 60 s poll
      await enqueueJobs(drizzle(other, { schema, casing: 'snake_case' }) as unknown as Database, [jobInput(def, { n: 1 })]);
      await waitFor(async () => ran, 10_000);
      const [row] = await handle.db.select().from(schema.jobs).where(eq(schema.jobs.kind, def.kind));
      await waitFor(async () => (await handle.db.select().from(schema.jobs).where(eq(schema.jobs.kind, def.kind)))[0]?.status === 'completed', 10_000);
      expect(row?.attempts).toBe(1);
    } finally {
      await unlisten();
      await w.stop({ graceMs: 100 });
      await other.end();
    }
  });
});
describe('a lease that cannot be renewed (Postgres)', () => {
  it('stops the attempt before the job can be claimed again, so the group limit holds, and the job is handed back', async () => {
    const db = await getDb();
    const attempts: { n: number; attempt: number; signal: AbortSignal; ended: boolean; liveOthersAtStart: number }[] = [];
    let finish!: () => void;
    const finishAllowed = new Promise<void>((resolve) => (finish = resolve));
    const def = defineJob({
      kind: uniqueKind('lapse'),
      payload,
      async handler({ n }, { signal, attempt }) {
        const liveOthersAtStart = attempts.filter((a) => !a.ended && !a.signal.aborted).length;
        const me = { n, attempt, signal, ended: false, liveOthersAtStart };
        attempts.push(me);
        try {
          await new Promise<void>((resolve, reject) => {
            signal.addEventListener('abort', () => reject(new Error(String(signal.reason))), { once: true });
            void finishAllowed.then(resolve);
          });
        } finally {
          me.ended = true;
        }
      },
    });
    const group = `g-${randomUUID()}`;
    await setGroupConcurrency(db, group, 1);
    await enqueueJobs(db, [jobInput(def, { n: 1 }, { groupKey: group, priority: 1 }), jobInput(def, { n: 2 }, { groupKey: group })]);
    // The worker holding job 1 cannot renew: another connection holds job 1's row lock (as a database
    // that stopped answering would), so its renewals wait while its lease runs out.
    const locker = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    const a = new JobWorker({ db, definitions: [def], concurrency: 1, pollIntervalMs: 20, leaseMs: 1500 });
    let b: JobWorker | null = null;
    let releaseLock!: () => void;
    const lockHeld = new Promise<void>((resolve) => (releaseLock = resolve));
    try {
      a.start();
      await waitFor(async () => attempts.length === 1);
      let locked!: () => void;
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      const lockTx = locker.begin(async (tx) => {
        await tx`select id from jobs where kind = ${def.kind} and payload->>'n' = '1' for update`;
        locked();
        await lockHeld;
      });
      await isLocked;
      b = new JobWorker({ db, definitions: [def], concurrency: 1, pollIntervalMs: 20, leaseMs: 60_000 });
      b.start();
      // Job 2 can only start once job 1's lease has run out in the database.
      await waitFor(async () => attempts.some((x) => x.n === 2));
      const [first, second] = [attempts.find((x) => x.n === 1)!, attempts.find((x) => x.n === 2)!];
      expect(first.signal.aborted).toBe(true);
      expect(first.signal.reason).toBe(LEASE_LAPSED);
      expect(second.liveOthersAtStart).toBe(0);
      releaseLock();
      await lockTx;
      finish();
      await waitFor(async () => (await countGroupJobs(db, group)).completed === 2);
      expect(Math.max(...attempts.map((x) => x.liveOthersAtStart))).toBe(0);
      const rows = await db.select().from(schema.jobs).where(eq(schema.jobs.kind, def.kind));
      expect(rows.find((r) => (r.payload as { n: number }).n === 1)!.attempts).toBe(2);
    } finally {
      releaseLock();
      finish();
      await Promise.all([a.stop({ graceMs: 100 }), b?.stop({ graceMs: 100 })]);
      await locker.end();
    }
  });
});

queueSuite('PGlite', () => openTestPglite(fs.mkdtempSync(path.join(os.tmpdir(), 'jobs-pglite-'))));
