/**
 * Training jobs against an OpenAI-compatible fine-tuning API: the real queue and worker, the real `openai` SDK over
 * HTTP against the fake server's files and fine-tuning endpoints, on the test Postgres (and the happy path on PGlite).
 * Failure paths (401, 429, 5xx, a lost create, job `failed`, giving up and resuming) end with a clear status and lose
 * nothing: the provider job is created once and its id kept.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';

vi.hoisted(() => {
  // Poll fast: the fake advances one step per retrieve, so this only shortens the test, it decides nothing.
  process.env.TRAINING_POLL_INTERVAL_MS = '20';
});

import { closeDb, getDb, schema, type Database } from '../../../db';
import { openTestPglite } from '../../../db/testing/pglite';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../../scripts/fake-openai-server';
import { encryptSecret } from '../../lib/secret';
import type { ServiceContext } from '../../services/context';
import { appJobDefinitions } from '../../jobs/definitions';
import { JobWorker } from '../../jobs/worker';
import { ensureBuiltinTaskSet } from '../../benchmarks/tasks/builtin';
import { lineSchemas } from '../datasets/formats';
import { METADATA_KEY } from './openai-provider';
import { evaluateTrainedModel, registerTrainedModel } from './register';
import { cancelTrainingJob, getTrainingJob, resumeTrainingJob, startTrainingJob } from './service';
import { insertReadyDataset, jobEvents, waitForJob } from './testing/fixtures';

const API_KEY = 'sk-fake-training-key-123';

interface Env {
  db: Database;
  ctx: ServiceContext;
  worker: JobWorker;
  connectionId: string;
  badConnectionId: string;
  close(): Promise<void>;
}

let fake: FakeOpenAIServer;
beforeAll(async () => {
  fake = await startFakeOpenAIServer({ apiKey: API_KEY });
});
afterAll(async () => {
  await fake.close();
});

async function setup(db: Database, close: () => Promise<void>): Promise<Env> {
  const tag = randomUUID().slice(0, 8);
  const [good] = await db
    .insert(schema.llmConnections)
    .values({ name: `ft-${tag}`, baseUrl: fake.url, apiKeyEncrypted: encryptSecret(API_KEY), defaultModel: 'fake-model' })
    .returning();
  const [bad] = await db
    .insert(schema.llmConnections)
    .values({ name: `ft-bad-${tag}`, baseUrl: fake.url, apiKeyEncrypted: encryptSecret('sk-wrong-key-9876'), defaultModel: 'fake-model' })
    .returning();
  const [user] = await db.insert(schema.users).values({ email: `trainer-${tag}@test.local`, role: 'admin' }).returning();
  const worker = new JobWorker({ db, definitions: appJobDefinitions(), concurrency: 8, pollIntervalMs: 20, leaseMs: 5_000, retryBaseMs: 5, retryMaxMs: 50 });
  worker.start();
  return {
    db,
    ctx: { db, actor: { id: user!.id, email: user!.email, name: null, role: 'admin', via: 'session' } },
    worker,
    connectionId: good!.id,
    badConnectionId: bad!.id,
    async close() {
      await worker.stop({ graceMs: 1_000 });
      await close();
    },
  };
}

const providerJobsFor = (jobId: string) => fake.fineTuning.state().jobs.filter((j) => j.metadata?.[METADATA_KEY] === jobId);

function happyPath(name: string, open: () => Promise<Env>) {
  describe(name, () => {
    let env: Env;
    // Opening and migrating an embedded database is slow on a loaded CI machine.
    beforeAll(async () => {
      env = await open();
    }, 240_000);
    afterAll(async () => env.close());

    it('uploads the export, creates a supervised job with the paper defaults, follows it to success, registers and evaluates the model', async () => {
      const { db, ctx } = env;
      const dataset = await insertReadyDataset(db, { conversations: 5, evalEvery: 5 });
      const { jobId } = await startTrainingJob(ctx, { datasetId: dataset.id, method: 'sft', provider: 'openai', connectionId: env.connectionId, baseModel: 'fake-model', seed: 7 });
      const job = await waitForJob(db, jobId, ['succeeded', 'failed', 'cancelled']);
      expect(job.status, job.statusReason ?? '').toBe('succeeded');

      const [providerJob] = providerJobsFor(jobId);
      expect(providerJobsFor(jobId)).toHaveLength(1);
      expect(providerJob!.model).toBe('fake-model');
      expect(providerJob!.seed).toBe(7);
      expect(providerJob!.method).toEqual({ type: 'supervised', supervised: { hyperparameters: { batch_size: 64, n_epochs: 3, learning_rate_multiplier: 'auto' } } });
      expect(job.fineTunedModel).toBe(providerJob!.fine_tuned_model);
      expect(job.providerJobId).toBe(providerJob!.id);
      expect(job.progress).toBe(1);
      expect(job.trainedTokens).toBeGreaterThan(0);

      // The uploaded files are the export's train and eval splits, every line valid OpenAI supervised JSONL.
      const files = fake.fineTuning.state().files;
      const training = files.find((f) => f.id === providerJob!.training_file)!;
      const validation = files.find((f) => f.id === providerJob!.validation_file)!;
      const trainLines = training.content.trim().split('\n');
      expect(trainLines).toHaveLength(4);
      expect(validation.content.trim().split('\n')).toHaveLength(1);
      for (const line of trainLines) expect(lineSchemas['openai-sft'].safeParse(JSON.parse(line)).success).toBe(true);

      // Every provider event stored exactly once, in order, with the status history.
      const events = await jobEvents(db, jobId);
      const providerEvents = events.filter((e) => e.kind === 'provider');
      expect(providerEvents.map((e) => e.providerEventId).sort()).toEqual(fake.fineTuning.state().jobs.find((j) => j.id === providerJob!.id)!.events.map((e) => e.id).sort());
      const statuses = events.filter((e) => e.kind === 'status').map((e) => (e.data as { status: string }).status);
      expect(statuses).toEqual(['preparing', 'submitted', 'running', 'succeeded']);

      const audit = await db.select().from(schema.auditLog).where(eq(schema.auditLog.targetId, jobId));
      expect(audit.map((a) => a.action)).toContain('training_job.started');

      // Register (one click, idempotent) and evaluate against the base model; the run finishes on the fake endpoint.
      const registered = await registerTrainedModel(ctx, { jobId });
      expect(registered).toMatchObject({ connectionId: env.connectionId, model: job.fineTunedModel, created: true });
      expect((await registerTrainedModel(ctx, { jobId })).created).toBe(false);
      const { taskSetId } = await ensureBuiltinTaskSet(db);
      const { runId } = await evaluateTrainedModel(ctx, { trainedModelId: registered.trainedModelId, taskSetId, taskLimit: 1, maxTurns: 2 });
      const [run] = await db.select().from(schema.benchmarkRuns).where(eq(schema.benchmarkRuns.id, runId));
      const arms = (run!.config as { arms: { key: string; connectionId: string | null; model: string }[] }).arms;
      expect(arms.map((a) => [a.key, a.connectionId, a.model])).toEqual([
        ['base', env.connectionId, 'fake-model'],
        ['trained', env.connectionId, job.fineTunedModel],
      ]);
      const deadline = Date.now() + 90_000;
      let status = run!.status;
      while (!['completed', 'failed', 'cancelled'].includes(status) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        status = (await db.select().from(schema.benchmarkRuns).where(eq(schema.benchmarkRuns.id, runId)))[0]!.status;
      }
      expect(status).toBe('completed');
      // The trained model answered the run's conversations under its own model id.
      expect(fake.requests.some((r) => r.path === '/v1/chat/completions' && r.body?.model === job.fineTunedModel)).toBe(true);
      const detail = await getTrainingJob(ctx, jobId);
      expect(detail.runs.map((r) => r.id)).toEqual([runId]);
      expect(detail.trainedModel?.model).toBe(job.fineTunedModel);
    });
  });
}

happyPath('Postgres', async () => setup(await getDb(), async () => {}));

happyPath('PGlite', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'training-pglite-'));
  const handle = await openTestPglite(dir);
  return setup(handle.db, async () => {
    await handle.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('failure paths (Postgres)', () => {
  let env: Env;
  let datasetId: string;
  beforeAll(async () => {
    env = await setup(await getDb(), async () => {});
    datasetId = (await insertReadyDataset(env.db, { conversations: 3 })).id;
  });
  afterAll(async () => {
    await env.close();
    await closeDb();
  });
  const start = (method: 'sft' | 'dpo' = 'sft', connectionId = env.connectionId) =>
    startTrainingJob(env.ctx, { datasetId, method, provider: 'openai', connectionId, baseModel: 'fake-model' }).then((r) => r.jobId);

  it('sends a DPO job with β and the paper\'s DPO epochs, from preference lines', async () => {
    const jobId = await start('dpo');
    const job = await waitForJob(env.db, jobId, ['succeeded', 'failed']);
    expect(job.status).toBe('succeeded');
    const [providerJob] = providerJobsFor(jobId);
    expect(providerJob!.method).toEqual({ type: 'dpo', dpo: { hyperparameters: { batch_size: 64, n_epochs: 8, learning_rate_multiplier: 'auto', beta: 0.1 } } });
    const file = fake.fineTuning.state().files.find((f) => f.id === providerJob!.training_file)!;
    const lines = file.content.trim().split('\n');
    expect(lines).toHaveLength(6);
    for (const line of lines) expect(lineSchemas['openai-dpo'].safeParse(JSON.parse(line)).success).toBe(true);
  });

  it('401: fails at once with the key hint, creates nothing, never shows the key', async () => {
    const jobId = await start('sft', env.badConnectionId);
    const job = await waitForJob(env.db, jobId, ['failed', 'succeeded']);
    expect(job.status).toBe('failed');
    expect(job.statusReason).toMatch(/API key was rejected/);
    expect(job.statusReason).not.toContain('sk-wrong-key-9876');
    expect(job.providerJobId).toBeNull();
    expect(providerJobsFor(jobId)).toHaveLength(0);
  });

  it('429 and 5xx are retried (with Retry-After) and the job still succeeds, created once', async () => {
    fake.fineTuning.failNext(
      { route: 'upload', status: 503 },
      { route: 'create', status: 429, retryAfterSeconds: 0 },
      { route: 'retrieve', status: 500 },
      { route: 'events', status: 502 },
    );
    const jobId = await start();
    const job = await waitForJob(env.db, jobId, ['succeeded', 'failed']);
    expect(job.status, job.statusReason ?? '').toBe('succeeded');
    expect(providerJobsFor(jobId)).toHaveLength(1);
    const warnings = (await jobEvents(env.db, jobId)).filter((e) => e.level === 'warn').map((e) => e.message);
    expect(warnings.some((m) => m.includes('429'))).toBe(true);
    expect(warnings.some((m) => m.includes('500'))).toBe(true);
  });

  it('a create whose answer was lost is found by its tag, not created twice', async () => {
    fake.fineTuning.failNext({ route: 'create', status: 502, afterEffect: true });
    const jobId = await start();
    const job = await waitForJob(env.db, jobId, ['succeeded', 'failed']);
    expect(job.status).toBe('succeeded');
    expect(providerJobsFor(jobId)).toHaveLength(1);
    expect((await jobEvents(env.db, jobId)).some((e) => e.message.includes('created by an earlier attempt'))).toBe(true);
  });

  it('a provider job that fails ends ours as failed with the provider\'s reason', async () => {
    fake.fineTuning.setScript({ outcome: 'fail', error: { code: 'invalid_training_file', message: 'Too few examples in the file.' } });
    try {
      const jobId = await start();
      const job = await waitForJob(env.db, jobId, ['failed', 'succeeded']);
      expect(job.status).toBe('failed');
      expect(job.statusReason).toContain('Too few examples in the file.');
      expect(job.providerStatus).toBe('failed');
    } finally {
      fake.fineTuning.setScript({});
    }
  });

  it('cancel reaches the provider and ends the job as cancelled', async () => {
    fake.fineTuning.setScript({ runningSteps: 100_000 });
    try {
      const jobId = await start();
      await waitForJob(env.db, jobId, ['running']);
      await cancelTrainingJob(env.ctx, jobId);
      const job = await waitForJob(env.db, jobId, ['cancelled', 'failed', 'succeeded']);
      expect(job.status).toBe('cancelled');
      expect(providerJobsFor(jobId)[0]!.status).toBe('cancelled');
      await expect(cancelTrainingJob(env.ctx, jobId)).rejects.toThrow(/already ended/);
    } finally {
      fake.fineTuning.setScript({});
    }
  });

  it('gives up after repeated 5xx with the provider job id kept, and "resume" follows it to success', async () => {
    fake.fineTuning.setScript({ runningSteps: 1 });
    // Queued before the job exists, so the first eight polls are the ones that fail.
    fake.fineTuning.failNext(...Array.from({ length: 8 }, () => ({ route: 'retrieve' as const, status: 503 })));
    try {
      const jobId = await start();
      const failed = await waitForJob(env.db, jobId, ['failed', 'succeeded']);
      expect(failed.status).toBe('failed');
      expect(failed.statusReason).toMatch(/Gave up after 8 attempts.*may still be running/);
      expect(failed.providerJobId).toBe(providerJobsFor(jobId)[0]!.id);
      await resumeTrainingJob(env.ctx, jobId);
      const job = await waitForJob(env.db, jobId, ['succeeded']);
      expect(job.fineTunedModel).toBe(providerJobsFor(jobId)[0]!.fine_tuned_model);
      expect(providerJobsFor(jobId)).toHaveLength(1);
    } finally {
      fake.fineTuning.setScript({});
    }
  });

  it('survives a worker restart: a new worker picks the job up where it was', async () => {
    fake.fineTuning.setScript({ runningSteps: 5 });
    try {
      const jobId = await start();
      await waitForJob(env.db, jobId, ['running']);
      await env.worker.stop({ graceMs: 0 });
      const before = await waitForJob(env.db, jobId, ['running', 'submitted']);
      env.worker = new JobWorker({ db: env.db, definitions: appJobDefinitions(), concurrency: 8, pollIntervalMs: 20, leaseMs: 5_000, retryBaseMs: 5, retryMaxMs: 50 });
      env.worker.start();
      const job = await waitForJob(env.db, jobId, ['succeeded', 'failed']);
      expect(job.status).toBe('succeeded');
      expect(job.providerJobId).toBe(before.providerJobId);
      expect(providerJobsFor(jobId)).toHaveLength(1);
    } finally {
      fake.fineTuning.setScript({});
    }
  });
});
