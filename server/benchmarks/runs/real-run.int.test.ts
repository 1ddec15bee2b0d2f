/**
 * Whole benchmark runs with the real item executor (benchcore), the real `openai` SDK over HTTP against
 * the fake OpenAI-compatible server, and the real queue on the test Postgres — including a worker
 * process killed with SIGKILL mid-run and a second one finishing the run without duplicates.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, count, eq, sql } from 'drizzle-orm';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../../scripts/fake-openai-server';
import { closeDb, getDb, schema, type Database } from '../../../db';
import { encryptSecret } from '../../lib/secret';
import type { ServiceContext } from '../../services/context';
import { appJobDefinitions } from '../../jobs/definitions';
import { countGroupJobs } from '../../jobs/queue';
import { JobWorker } from '../../jobs/worker';
import { judgeLabelFor } from '../judges';
import type { RunConfigInput } from '../run-config';
import { builtinTaskIds, ensureBuiltinTaskSet } from '../tasks/builtin';
import { runGroupKey } from './lifecycle';
import { createRun } from './commands';
import { getRunProgress } from './progress';
import { fakeBenchmarkResponder } from './testing/fake-benchmark-responder';
import { waitFor } from '../../lib/testing/wait-for';

const API_KEY = 'sk-fake-benchruns-key';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let fake: FakeOpenAIServer;
let db: Database;
let ctx: ServiceContext;
let connectionId: string;
let badConnectionId: string;
let taskIds: string[];
const children: ChildProcess[] = [];

beforeAll(async () => {
  fake = await startFakeOpenAIServer({ apiKey: API_KEY, latencyMs: 20, responder: fakeBenchmarkResponder() });
  db = await getDb();
  await ensureBuiltinTaskSet(db);
  taskIds = await builtinTaskIds(db);
  const tag = randomUUID().slice(0, 8);
  const [good] = await db
    .insert(schema.llmConnections)
    .values({ name: `fake-${tag}`, baseUrl: fake.url, apiKeyEncrypted: encryptSecret(API_KEY), defaultModel: 'fake-model' })
    .returning();
  const [bad] = await db
    .insert(schema.llmConnections)
    .values({ name: `fake-bad-${tag}`, baseUrl: fake.url, apiKeyEncrypted: encryptSecret('sk-wrong-key-1234'), defaultModel: 'fake-model' })
    .returning();
  connectionId = good!.id;
  badConnectionId = bad!.id;
  const [user] = await db.insert(schema.users).values({ email: `real-run-${tag}@test.local`, role: 'admin' }).returning();
  ctx = { db, actor: { id: user!.id, email: user!.email, name: null, role: 'admin', via: 'session' } };
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await fake?.close();
  await closeDb();
});

const arm = (key: string, connection: string) => ({ key, label: key, connectionId: connection, model: 'fake-model', systemPrompt: key === 'collab' ? 'Ask before drafting.' : '' });

function config(over: Partial<RunConfigInput> = {}): RunConfigInput {
  return {
    arms: [arm('base', connectionId), arm('collab', connectionId)],
    taskIds: taskIds.slice(0, 3),
    simulator: { connectionId, model: 'fake-model' },
    judge: { connectionId, model: 'fake-judge' },
    conversationsPerTask: 1,
    maxTurns: 3,
    seed: 'real-run',
    concurrency: 4,
    ...over,
  };
}

async function runRow(runId: string) {
  return (await db.select().from(schema.benchmarkRuns).where(eq(schema.benchmarkRuns.id, runId)))[0]!;
}

/** Every item completed, with exactly one conversation and one score per (judge, metric). */
async function expectExactlyOnce(runId: string, judge: string) {
  const items = await db.select().from(schema.benchmarkItems).where(eq(schema.benchmarkItems.runId, runId));
  expect(items.every((i) => i.status === 'completed' && i.conversationId)).toBe(true);
  const convs = await db
    .select({ itemId: sql<string>`${schema.conversations.metadata}->>'itemId'`, n: count() })
    .from(schema.conversations)
    .where(sql`${schema.conversations.metadata}->>'runId' = ${runId}`)
    .groupBy(sql`${schema.conversations.metadata}->>'itemId'`);
  expect(convs).toHaveLength(items.length);
  expect(convs.every((c) => c.n === 1)).toBe(true);
  for (const item of items) expect(convs.find((c) => c.itemId === item.id)).toBeDefined();
  const scores = await db
    .select({ itemId: schema.benchmarkScores.itemId, metric: schema.benchmarkScores.metric, n: count() })
    .from(schema.benchmarkScores)
    .innerJoin(schema.benchmarkItems, eq(schema.benchmarkItems.id, schema.benchmarkScores.itemId))
    .where(and(eq(schema.benchmarkItems.runId, runId), eq(schema.benchmarkScores.judge, judge)))
    .groupBy(schema.benchmarkScores.itemId, schema.benchmarkScores.metric);
  const perItem = new Map<string, number>();
  for (const s of scores) {
    expect(s.n).toBe(1);
    perItem.set(s.itemId, (perItem.get(s.itemId) ?? 0) + 1);
  }
  expect(perItem.size).toBe(items.length);
  const metricsPerItem = new Set(perItem.values());
  expect(metricsPerItem.size).toBe(1);
  expect([...metricsPerItem][0]).toBeGreaterThanOrEqual(3);
  return items;
}

describe('benchmark runs against the fake OpenAI server', () => {
  it('runs a whole run through the queue: conversations, scores, tokens and cost', async () => {
    const worker = new JobWorker({ db, definitions: appJobDefinitions(), concurrency: 8, pollIntervalMs: 20, retryBaseMs: 5 });
    worker.start();
    try {
      const { runId } = await createRun(ctx, {
        name: 'fake endpoint run',
        config: config({ pricing: { assistant: { input: 1, output: 2 }, simulator: { input: 1, output: 2 }, judge: { input: 3, output: 4 } } }),
      });
      await waitFor(async () => (await runRow(runId)).status === 'completed');
      await expectExactlyOnce(runId, judgeLabelFor({ connectionId, model: 'fake-judge' }));
      const progress = await getRunProgress(db, runId);
      expect(progress.counts).toMatchObject({ total: 6, completed: 6 });
      expect(progress.tokens.prompt).toBeGreaterThan(0);
      expect(progress.tokens.completion).toBeGreaterThan(0);
      expect(progress.estimatedCostUsd).toBeGreaterThan(0);
      expect(progress.run.isDemo).toBe(false);
      // Every request reached the fake endpoint with the decrypted key through the real SDK.
      expect(fake.requests.length).toBeGreaterThan(6 * 4);
      expect(fake.requests.every((r) => r.headers.authorization === `Bearer ${API_KEY}`)).toBe(true);
    } finally {
      await worker.stop({ graceMs: 1000 });
    }
  });

  it('retries 429 and 5xx answers and still finishes every item', async () => {
    const worker = new JobWorker({ db, definitions: appJobDefinitions(), concurrency: 4, pollIntervalMs: 20, retryBaseMs: 5 });
    worker.start();
    try {
      fake.failNext(
        { kind: 'status', status: 429, retryAfterSeconds: 0 },
        { kind: 'status', status: 503 },
        { kind: 'status', status: 500 },
        { kind: 'status', status: 429 },
      );
      const { runId } = await createRun(ctx, { name: 'flaky endpoint', config: config({ taskIds: taskIds.slice(0, 2) }) });
      await waitFor(async () => (await runRow(runId)).status === 'completed');
      await expectExactlyOnce(runId, judgeLabelFor({ connectionId, model: 'fake-judge' }));
      expect(fake.requests.filter((r) => r.failure?.kind === 'status').length).toBeGreaterThanOrEqual(4);
    } finally {
      await worker.stop({ graceMs: 1000 });
    }
  });

  it('stops the run with the reason when an arm is refused (401), without retrying', async () => {
    const worker = new JobWorker({ db, definitions: appJobDefinitions(), concurrency: 2, pollIntervalMs: 20, retryBaseMs: 5 });
    worker.start();
    try {
      const { runId } = await createRun(ctx, {
        name: 'bad key',
        config: config({ arms: [arm('base', connectionId), arm('collab', badConnectionId)], concurrency: 1 }),
      });
      await waitFor(async () => (await runRow(runId)).status === 'failed');
      await waitFor(async () => (await countGroupJobs(db, runGroupKey(runId))).active === 0);
      const run = await runRow(runId);
      expect(run.error).toMatch(/retrying cannot fix/);
      expect(run.error).toMatch(/401|API key/i);
      expect(run.error).not.toContain('sk-wrong-key-1234');
      const items = await db.select().from(schema.benchmarkItems).where(eq(schema.benchmarkItems.runId, runId));
      expect(items.filter((i) => i.status === 'pending' || i.status === 'running')).toHaveLength(0);
      const failed = items.filter((i) => i.status === 'failed');
      expect(failed).toHaveLength(1);
      expect(failed[0]!.armKey).toBe('collab');
      expect(failed[0]!.attempts).toBe(1);
    } finally {
      await worker.stop({ graceMs: 1000 });
    }
  });

  it('resumes after a worker process is killed mid-run, without duplicate conversations or scores', async () => {
    const workerEnv = {
      ...process.env,
      // Short, so the killed worker's items come back soon; the second worker gets a long one (below).
      JOB_LEASE_MS: '3000',
      JOB_POLL_INTERVAL_MS: '50',
      WORKER_CONCURRENCY: '4',
      // A request the fake holds open stays open until the kill (no client timeout, no LLM-layer retry).
      LLM_TIMEOUT_MS: '600000',
      LOG_LEVEL: 'error',
    };
    const startWorker = (leaseMs = '3000') => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/worker.ts'], {
        env: { ...workerEnv, JOB_LEASE_MS: leaseMs },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('exit', (code, signal) => {
        if (code && code !== 0) console.error(`worker exited with ${code} (${signal}):\n${stderr}`);
      });
      children.push(child);
      return child;
    };
    fake.reset();
    const { runId } = await createRun(ctx, {
      name: 'killed worker',
      config: config({ taskIds: taskIds.slice(0, 6), conversationsPerTask: 2, concurrency: 4, maxTurns: 4 }),
    });
    const first = startWorker();
    const completed = async () =>
      (await db.select({ n: count() }).from(schema.benchmarkItems).where(and(eq(schema.benchmarkItems.runId, runId), eq(schema.benchmarkItems.status, 'completed'))))[0]!.n;
    const running = async () =>
      (await db.select({ n: count() }).from(schema.benchmarkItems).where(and(eq(schema.benchmarkItems.runId, runId), eq(schema.benchmarkItems.status, 'running'))))[0]!.n;
    await waitFor(async () => (await completed()) >= 3);
    // Freeze the worker mid-conversation instead of hoping to catch it there: its next four model requests
    // (one per slot) are held open, so exactly the items behind them are running when it is killed.
    const hangsBefore = fake.requests.filter((r) => r.failure?.kind === 'hang').length;
    fake.failNext({ kind: 'hang' }, { kind: 'hang' }, { kind: 'hang' }, { kind: 'hang' });
    await waitFor(async () => fake.requests.filter((r) => r.failure?.kind === 'hang').length - hangsBefore === 4, 90_000);
    expect(await running()).toBe(4);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const interrupted = (
      await db.select({ id: schema.benchmarkItems.id }).from(schema.benchmarkItems).where(and(eq(schema.benchmarkItems.runId, runId), eq(schema.benchmarkItems.status, 'running')))
    ).map((r) => r.id);
    expect(interrupted.length).toBeGreaterThan(0);
    expect((await runRow(runId)).status).toBe('running');

    // A long lease: on a loaded machine a short one could lapse and (correctly) restart an item once more.
    const second = startWorker('30000');
    await waitFor(async () => (await runRow(runId)).status === 'completed', 90_000);
    second.kill('SIGTERM');
    await new Promise((r) => second.once('exit', r));

    const items = await expectExactlyOnce(runId, judgeLabelFor({ connectionId, model: 'fake-judge' }));
    expect(items).toHaveLength(24);
    // The items the killed worker was running were started again, from scratch, by the second one.
    // (At least 2: a lease that lapsed on a stalled machine before the kill counts an attempt too.)
    for (const id of interrupted) expect(items.find((i) => i.id === id)!.attempts).toBeGreaterThanOrEqual(2);
    expect(await countGroupJobs(db, runGroupKey(runId))).toMatchObject({ completed: 24, active: 0, queued: 0 });
  }, 180_000);
});
