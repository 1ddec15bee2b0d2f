/**
 * MR jobs survive a killed worker: a `scripts/worker.ts` child is SIGKILLed while it scores forward samples
 * (real SDK, fake endpoint, Postgres), a second one finishes, and every sample is stored exactly once.
 * On PGlite (one process) the same guarantee is checked with a worker stopped mid-run without grace.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, count, eq, gt, like } from 'drizzle-orm';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../../scripts/fake-openai-server';
import { closeDb, getDb, schema, type Database } from '../../../db';
import { openTestPglite } from '../../../db/testing/pglite';
import { fakeBenchmarkResponder } from '../../benchmarks/runs/testing/fake-benchmark-responder';
import { appJobDefinitions } from '../../jobs/definitions';
import { JobWorker } from '../../jobs/worker';
import { connectedSettings, fakeConnection, rewardRequestBody, userWithToken } from '../testing/fixtures';
import { requestReward } from './api';
import { waitFor } from '../../lib/testing/wait-for';

const API_KEY = 'sk-fake-resume-key';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let fake: FakeOpenAIServer;
const children: ChildProcess[] = [];
beforeAll(async () => {
  fake = await startFakeOpenAIServer({ apiKey: API_KEY, latencyMs: 60, responder: fakeBenchmarkResponder() });
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await fake?.close();
});

async function expectEverySampleOnce(db: Database, evaluationId: string, candidates: number, samples: number) {
  const [ev] = await db.select().from(schema.rewardEvaluations).where(eq(schema.rewardEvaluations.id, evaluationId));
  expect(ev!.status).toBe('scored');
  const rows = await db
    .select({ candidateId: schema.rewardSamples.candidateId, sampleIndex: schema.rewardSamples.sampleIndex, n: count() })
    .from(schema.rewardSamples)
    .where(eq(schema.rewardSamples.evaluationId, evaluationId))
    .groupBy(schema.rewardSamples.candidateId, schema.rewardSamples.sampleIndex);
  expect(rows).toHaveLength(candidates * samples);
  expect(rows.every((r) => r.n === 1)).toBe(true);
  const cands = await db.select().from(schema.rewardCandidates).where(eq(schema.rewardCandidates.evaluationId, evaluationId));
  expect(cands.every((c) => c.mean !== null && c.std !== null)).toBe(true);
}

const retriedJobs = async (db: Database, evaluationId: string) =>
  (
    await db
      .select({ n: count() })
      .from(schema.jobs)
      .where(and(like(schema.jobs.groupKey, `reward-evaluation:${evaluationId}`), gt(schema.jobs.attempts, 1)))
  )[0]!.n;

describe('MR jobs after kill -9 (Postgres, worker child process)', () => {
  it('resumes with no duplicate scores', async () => {
    const db = await getDb();
    try {
      const connectionId = await fakeConnection(db, fake.url, API_KEY);
      const { actor } = await userWithToken(db, 'researcher');
      const candidates = ['Which details matter?', 'Here is a draft.', 'Who reads it?', 'What tone?'];
      const { evaluation } = await requestReward(
        { db, actor },
        rewardRequestBody({ candidates, mode: 'async', seed: 'kill-9', settings: connectedSettings(connectionId, { samples: 3 }) }),
      );
      const workerEnv = { ...process.env, JOB_LEASE_MS: '1500', JOB_POLL_INTERVAL_MS: '50', WORKER_CONCURRENCY: '4', LOG_LEVEL: 'error' };
      const startWorker = () => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/worker.ts'], { env: workerEnv, stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('exit', (code, signal) => {
          if (code && code !== 0) console.error(`worker exited with ${code} (${signal}):\n${stderr}`);
        });
        children.push(child);
        return child;
      };
      const stored = async () => (await db.select({ n: count() }).from(schema.rewardSamples).where(eq(schema.rewardSamples.evaluationId, evaluation.id)))[0]!.n;
      const active = async () =>
        (await db.select({ n: count() }).from(schema.jobs).where(and(eq(schema.jobs.groupKey, `reward-evaluation:${evaluation.id}`), eq(schema.jobs.status, 'active'))))[0]!.n;
      const first = startWorker();
      await waitFor(async () => (await stored()) >= 2 && (await active()) >= 1);
      first.kill('SIGKILL');
      await new Promise((r) => first.once('exit', r));
      expect(await stored()).toBeLessThan(12);
      const second = startWorker();
      await waitFor(async () => (await db.select().from(schema.rewardEvaluations).where(eq(schema.rewardEvaluations.id, evaluation.id)))[0]!.status === 'scored');
      second.kill('SIGTERM');
      await new Promise((r) => second.once('exit', r));
      await expectEverySampleOnce(db, evaluation.id, 4, 3);
      // The samples the killed worker was running were taken over and run again.
      expect(await retriedJobs(db, evaluation.id)).toBeGreaterThan(0);
    } finally {
      await closeDb();
    }
  }, 180_000);
});

describe('MR jobs after an interrupted worker (PGlite, in-process)', () => {
  it('resumes with no duplicate scores', async () => {
    const { db, close } = await openTestPglite(fs.mkdtempSync(path.join(os.tmpdir(), 'mr-resume-')));
    try {
      const connectionId = await fakeConnection(db, fake.url, API_KEY);
      const { actor } = await userWithToken(db, 'researcher');
      // The synchronous path stores its evaluation in one statement on the embedded database too.
      const inline = await requestReward({ db, actor }, rewardRequestBody({ candidates: ['x?'], settings: connectedSettings(connectionId, { samples: 2 }) }));
      expect(inline.status).toBe('scored');
      await expectEverySampleOnce(db, inline.evaluation.id, 1, 2);
      const { evaluation } = await requestReward(
        { db, actor },
        rewardRequestBody({ candidates: ['a?', 'b.', 'c?'], mode: 'async', settings: connectedSettings(connectionId, { samples: 3 }) }),
      );
      const first = new JobWorker({ db, definitions: appJobDefinitions(), concurrency: 3, pollIntervalMs: 20, leaseMs: 2000 });
      first.start();
      await waitFor(async () => (await db.select({ n: count() }).from(schema.rewardSamples).where(eq(schema.rewardSamples.evaluationId, evaluation.id)))[0]!.n >= 1);
      // No grace: running samples are aborted mid-call and handed back, as a crash would leave them.
      await first.stop({ graceMs: 0 });
      const second = new JobWorker({ db, definitions: appJobDefinitions(), concurrency: 3, pollIntervalMs: 20, leaseMs: 2000 });
      second.start();
      try {
        await waitFor(async () => (await db.select().from(schema.rewardEvaluations).where(eq(schema.rewardEvaluations.id, evaluation.id)))[0]!.status === 'scored');
      } finally {
        await second.stop({ graceMs: 500 });
      }
      await expectEverySampleOnce(db, evaluation.id, 3, 3);
    } finally {
      await close();
    }
  }, 120_000);
});
