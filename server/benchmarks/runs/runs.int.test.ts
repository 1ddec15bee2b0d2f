/**
 * The run lifecycle through the real queue and workers, with a tiny local item executor (no LLM):
 * statuses, per-run concurrency across workers, retries, terminal stop, cancel, progress, re-score,
 * on Postgres and on PGlite in-process.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { closeDb, getDb, schema, type Database } from '../../../db';
import { openTestPglite } from '../../../db/testing/pglite';
import type { ServiceContext } from '../../services/context';
import { ServiceError } from '../../services/errors';
import { countGroupJobs } from '../../jobs/queue';
import { JobWorker, LEASE_LAPSED } from '../../jobs/worker';
import { builtinTaskIds, ensureBuiltinTaskSet } from '../tasks/builtin';
import type { RunConfigInput } from '../run-config';
import { benchmarkJobDefinitions } from './jobs';
import { runGroupKey } from './lifecycle';
import { cancelRun, createRun, requestRescore } from './commands';
import { getItemDetail, listRunItems } from './items';
import { getRunProgress, listRuns } from './progress';
import { LocalTerminalError, localExecutorDeps, type LocalExecutorOptions } from './testing/local-executor';
import { waitFor } from '../../lib/testing/wait-for';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const demoArm = (key: string) => ({ key, label: key, connectionId: null, model: 'baseline', systemPrompt: '' });

function runsSuite(label: string, open: () => Promise<{ db: Database; close(): Promise<void> }>) {
  describe(`benchmark runs on ${label}`, () => {
    let db: Database;
    let close: () => Promise<void>;
    let ctx: ServiceContext;
    let taskIds: string[];
    const workers: JobWorker[] = [];

    function startWorkers(n: number, opts: LocalExecutorOptions = {}, concurrency = 8) {
      const deps = localExecutorDeps(opts);
      for (let i = 0; i < n; i++) {
        const w = new JobWorker({ db, definitions: benchmarkJobDefinitions(deps), concurrency, pollIntervalMs: 20, retryBaseMs: 5, retryMaxMs: 20, leaseMs: 6000 });
        w.start();
        workers.push(w);
      }
      return deps;
    }
    async function stopWorkers() {
      await Promise.all(workers.splice(0).map((w) => w.stop({ graceMs: 200 })));
    }
    const config = (over: Partial<RunConfigInput> = {}): RunConfigInput => ({
      arms: [demoArm('baseline'), demoArm('collab')],
      taskIds: taskIds.slice(0, 3),
      simulator: { connectionId: null },
      judge: { connectionId: null },
      conversationsPerTask: 2,
      maxTurns: 3,
      seed: 's1',
      concurrency: 4,
      ...over,
    });
    const runStatus = async (runId: string) =>
      (await db.select().from(schema.benchmarkRuns).where(eq(schema.benchmarkRuns.id, runId)))[0]!;

    beforeAll(async () => {
      ({ db, close } = await open());
      const [user] = await db
        .insert(schema.users)
        .values({ email: `runs-${randomUUID()}@test.local`, role: 'admin' })
        .returning();
      ctx = { db, actor: { id: user!.id, email: user!.email, name: null, role: 'admin', via: 'session' } };
      await ensureBuiltinTaskSet(db);
      taskIds = await builtinTaskIds(db);
      // Opening and migrating an in-process PGlite took over a minute on a loaded CI machine.
    }, 240_000);
    // A failed test must not leave its workers claiming the next test's jobs.
    afterEach(stopWorkers, 120_000);
    afterAll(async () => {
      await stopWorkers();
      await close();
    }, 120_000);

    it('rejects an invalid configuration and unknown tasks with clear errors', async () => {
      await expect(createRun(ctx, { name: 'bad', config: { ...config(), concurrency: 0 } })).rejects.toMatchObject({
        code: 'BAD_REQUEST',
        message: expect.stringContaining('concurrency'),
      });
      await expect(createRun(ctx, { name: 'bad', config: config({ taskIds: [randomUUID()] }) })).rejects.toBeInstanceOf(ServiceError);
      await expect(
        createRun(ctx, { name: 'bad', config: config({ arms: [{ ...demoArm('x'), connectionId: randomUUID(), model: 'm' }] }) }),
      ).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('connections do not exist') });
    });

    it('runs every item once through the queue and completes the run, honouring its concurrency across workers', async () => {
      // The guarantee (docs/ARCHITECTURE.md, Jobs): at most `concurrency` attempts run that have not been told to
      // stop. An attempt whose lease lapsed (a stalled machine) is aborted before its job can be claimed again.
      const attempts: { signal: AbortSignal | undefined; ended: boolean }[] = [];
      let maxLive = 0;
      const deps = startWorkers(2, {
        delayMs: 40,
        onStart: (_id, signal) => {
          attempts.push({ signal, ended: false });
          maxLive = Math.max(maxLive, attempts.filter((a) => !a.ended && !a.signal?.aborted).length);
        },
        onEnd: (_id, signal) => {
          for (const a of attempts) if (a.signal === signal) a.ended = true;
        },
      });
      const { runId, items } = await createRun(ctx, { name: 'whole run', config: config({ concurrency: 3 }) });
      expect(items).toBe(12);
      await waitFor(async () => (await runStatus(runId)).status === 'completed');
      await stopWorkers();

      expect(maxLive).toBeLessThanOrEqual(3);
      const run = await runStatus(runId);
      expect(run.startedAt).not.toBeNull();
      expect(run.finishedAt).not.toBeNull();
      expect(run.error).toBeNull();
      const rows = await db.select().from(schema.benchmarkItems).where(eq(schema.benchmarkItems.runId, runId));
      expect(rows).toHaveLength(12);
      expect(new Set(rows.map((r) => `${r.taskId}/${r.armKey}/${r.replicate}`)).size).toBe(12);
      expect(rows.every((r) => r.status === 'completed' && r.conversationId !== null)).toBe(true);
      // Every item ran once, except that an attempt stopped because its lease lapsed is run again.
      const lapsed = attempts.filter((a) => a.signal?.reason === LEASE_LAPSED).length;
      expect([...deps.executed.values()].reduce((sum, n) => sum + n, 0)).toBe(12 + lapsed);
      expect(await countGroupJobs(db, runGroupKey(runId))).toMatchObject({ completed: 12, queued: 0, active: 0 });

      const progress = await getRunProgress(db, runId);
      expect(progress.run.status).toBe('completed');
      expect(progress.run.isDemo).toBe(true);
      expect(progress.counts).toEqual({ total: 12, pending: 0, running: 0, completed: 12, failed: 0, cancelled: 0 });
      expect(progress.etaSeconds).toBe(0);

      const listed = (await listRuns(db)).find((r) => r.id === runId);
      expect(listed).toMatchObject({ status: 'completed', counts: { completed: 12 }, isDemo: true });
      const page = await listRunItems(db, { runId, armKey: 'collab', limit: 5 });
      expect(page.total).toBe(6);
      expect(page.items).toHaveLength(5);
      const detail = await getItemDetail(db, page.items[0]!.id);
      expect(detail.transcript.map((m) => m.role)).toEqual(['user', 'assistant']);
      expect(detail.scores).toEqual([{ judge: 'demo-judge', metric: 'quality', value: 5, rationale: 'fine' }]);
    });

    it('retries retryable failures and fails an item whose attempts run out, while the run completes', async () => {
      let victim: string | null = null;
      startWorkers(1, {
        failure: ({ itemId, attempt }) => {
          victim ??= itemId;
          if (itemId === victim) return new Error('500 from the model (always)');
          return attempt === 1 ? new Error('429 Too Many Requests') : null;
        },
      });
      const { runId } = await createRun(ctx, { name: 'flaky', config: config({ taskIds: taskIds.slice(0, 2), conversationsPerTask: 1 }) });
      await waitFor(async () => (await runStatus(runId)).status === 'completed');
      await stopWorkers();
      const rows = await db.select().from(schema.benchmarkItems).where(eq(schema.benchmarkItems.runId, runId));
      const failed = rows.filter((r) => r.status === 'failed');
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatchObject({ id: victim, attempts: 4, error: '500 from the model (always)' });
      expect(rows.filter((r) => r.status === 'completed').every((r) => r.attempts === 2)).toBe(true);
      const progress = await getRunProgress(db, runId);
      expect(progress.counts).toMatchObject({ completed: 3, failed: 1 });
      expect(progress.errors).toEqual([expect.objectContaining({ itemId: victim, status: 'failed' })]);
    });

    it('stops the whole run with the reason on a terminal error', async () => {
      startWorkers(1, {
        delayMs: 30,
        failure: ({ armKey }) => (armKey === 'collab' ? new LocalTerminalError('401 Incorrect API key provided') : null),
      }, 1);
      const { runId } = await createRun(ctx, { name: 'bad key', config: config({ concurrency: 1 }) });
      await waitFor(async () => (await runStatus(runId)).status === 'failed');
      await waitFor(async () => (await countGroupJobs(db, runGroupKey(runId))).active === 0);
      await stopWorkers();
      const run = await runStatus(runId);
      expect(run.error).toContain('401 Incorrect API key provided');
      expect(run.error).toContain('retrying cannot fix');
      const rows = await db.select().from(schema.benchmarkItems).where(eq(schema.benchmarkItems.runId, runId));
      expect(rows.filter((r) => r.status === 'failed')).toHaveLength(1);
      expect(rows.filter((r) => r.status === 'pending' || r.status === 'running')).toHaveLength(0);
      expect(rows.filter((r) => r.status === 'cancelled').length).toBeGreaterThan(0);
      expect(await countGroupJobs(db, runGroupKey(runId))).toMatchObject({ queued: 0, active: 0 });
    });

    it('cancels a running run: running items are aborted, nothing else starts', async () => {
      const started = new Set<string>();
      startWorkers(1, { delayMs: 5_000, onStart: (id) => started.add(id) });
      const { runId } = await createRun(ctx, { name: 'to cancel', config: config({ concurrency: 2 }) });
      await waitFor(async () => started.size === 2);
      await cancelRun(ctx, runId);
      await expect(cancelRun(ctx, runId)).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
      await waitFor(async () => (await countGroupJobs(db, runGroupKey(runId))).active === 0);
      await sleep(100);
      await stopWorkers();
      expect(started.size).toBe(2);
      const run = await runStatus(runId);
      expect(run.status).toBe('cancelled');
      const rows = await db.select().from(schema.benchmarkItems).where(eq(schema.benchmarkItems.runId, runId));
      expect(rows.every((r) => r.status === 'cancelled')).toBe(true);
    });

    it('re-scores a finished run as a job', async () => {
      startWorkers(1);
      const { runId } = await createRun(ctx, { name: 'rescore', config: config({ taskIds: taskIds.slice(0, 1), conversationsPerTask: 1 }) });
      await expect(requestRescore(ctx, runId, { connectionId: null, model: 'x' })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
      await waitFor(async () => (await runStatus(runId)).status === 'completed');
      await requestRescore(ctx, runId, { connectionId: null, model: 'judge-2' });
      await waitFor(async () => (await getRunProgress(db, runId)).rescores[0]?.status === 'completed');
      await stopWorkers();
      const scores = await db
        .select()
        .from(schema.benchmarkScores)
        .innerJoin(schema.benchmarkItems, eq(schema.benchmarkItems.id, schema.benchmarkScores.itemId))
        .where(eq(schema.benchmarkItems.runId, runId));
      expect(scores.filter((s) => s.benchmark_scores.judge === 'rescore:judge-2')).toHaveLength(2);
    });
  });
}

runsSuite('Postgres', async () => ({ db: await getDb(), close: closeDb }));
runsSuite('PGlite (in-process)', () => openTestPglite(fs.mkdtempSync(path.join(os.tmpdir(), 'runs-pglite-'))));
