/**
 * The reward endpoint over real Request objects and the real `openai` SDK against the fake endpoint:
 * who may call it, request caps, synchronous answers with evidence, reproducible seeds, and queued
 * requests finished by a worker and polled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../../scripts/fake-openai-server';
import { closeDb, getDb, type Database } from '../../../db';
import { fakeBenchmarkResponder } from '../../benchmarks/runs/testing/fake-benchmark-responder';
import { appJobDefinitions } from '../../jobs/definitions';
import { JobWorker } from '../../jobs/worker';
import { getReward, postReward } from '../http/reward-route';
import { connectedSettings, fakeConnection, rewardRequestBody, userWithToken } from '../testing/fixtures';
import { count, eq } from 'drizzle-orm';
import { schema } from '../../../db';
import { sha256 } from '../../lib/secret';
import { getRewardEvaluation, MAX_REQUEST_BYTES, requestReward } from './api';
import { waitFor } from '../../lib/testing/wait-for';

const API_KEY = 'sk-fake-reward-key';
let fake: FakeOpenAIServer;
let db: Database;
let connectionId: string;
let researcher: string;
let viewer: string;
let admin: string;

beforeAll(async () => {
  fake = await startFakeOpenAIServer({ apiKey: API_KEY, latencyMs: 5, responder: fakeBenchmarkResponder() });
  db = await getDb();
  connectionId = await fakeConnection(db, fake.url, API_KEY);
  researcher = (await userWithToken(db, 'researcher')).token;
  viewer = (await userWithToken(db, 'viewer')).token;
  admin = (await userWithToken(db, 'admin')).token;
});
afterAll(async () => {
  await fake?.close();
  await closeDb();
});

const post = (token: string | null, body: unknown, headers: Record<string, string> = {}) =>
  postReward(
    new Request('http://localhost/api/training/reward', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
    db,
  );
const poll = (token: string | null, id: string) =>
  getReward(new Request(`http://localhost/api/training/reward/${id}`, { headers: token ? { authorization: `Bearer ${token}` } : {} }), db, id);

describe('POST /api/training/reward', () => {
  it('refuses anonymous callers, viewers and revoked-looking tokens', async () => {
    expect((await post(null, rewardRequestBody())).status).toBe(401);
    expect((await post('cst_not-a-real-token', rewardRequestBody())).status).toBe(401);
    const res = await post(viewer, rewardRequestBody());
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    // A disabled user's token and a revoked token stop working at once.
    const disabled = await userWithToken(db, 'researcher');
    expect((await post(disabled.token, rewardRequestBody())).status).toBe(200);
    await db.update(schema.users).set({ disabledAt: new Date() }).where(eq(schema.users.id, disabled.actor.id));
    expect((await post(disabled.token, rewardRequestBody())).status).toBe(401);
    const revoked = await userWithToken(db, 'researcher');
    await db.update(schema.apiTokens).set({ revokedAt: new Date() }).where(eq(schema.apiTokens.userId, revoked.actor.id));
    expect((await post(revoked.token, rewardRequestBody())).status).toBe(401);
  });

  it('caps the request size and rejects malformed requests with a clear 4xx', async () => {
    const big = JSON.stringify(rewardRequestBody({ candidates: ['x'.repeat(MAX_REQUEST_BYTES)] }));
    const declared = await post(researcher, big);
    expect(declared.status).toBe(413);
    // A body whose declared length lies is still cut off while it is read.
    const streamed = await postReward(
      new Request('http://localhost/api/training/reward', {
        method: 'POST',
        headers: { authorization: `Bearer ${researcher}` },
        body: new ReadableStream({
          start(c) {
            for (let i = 0; i < 20; i++) c.enqueue(new TextEncoder().encode('x'.repeat(100_000)));
            c.close();
          },
        }),
        duplex: 'half',
      } as RequestInit),
      db,
    );
    expect(streamed.status).toBe(413);
    expect((await post(researcher, '{not json')).status).toBe(400);
    const endsWithAssistant = await post(researcher, rewardRequestBody({ messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }] }));
    expect(endsWithAssistant.status).toBe(400);
    expect(JSON.stringify(await endsWithAssistant.json())).toContain('must end with a user message');
    const tooMany = await post(researcher, rewardRequestBody({ candidates: Array.from({ length: 17 }, (_, i) => `c${i}`) }));
    expect(tooMany.status).toBe(400);
    const unknownTask = await post(researcher, rewardRequestBody({ task: { taskId: '00000000-0000-4000-8000-000000000000' } }));
    expect(unknownTask.status).toBe(400);
  });

  it('answers a small request at once with MR, spread, components and every sampled continuation (demo labelled)', async () => {
    const res = await post(researcher, rewardRequestBody());
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ status: 'scored', isDemo: true, settings: { window: 2, samples: 3, lambda: 1e-4 } });
    expect(body.candidates).toHaveLength(2);
    for (const c of body.candidates) {
      expect(typeof c.mr).toBe('number');
      expect(c.samples).toHaveLength(3);
      expect(c.mr).toBeCloseTo(c.samples.reduce((a: number, s: { reward: number }) => a + s.reward, 0) / 3, 10);
      expect(c.samples[0].continuation[0].role).toBe('user');
      expect(c.samples[0].components).toHaveProperty('bleu_char');
      expect(c.samples[0].components).toHaveProperty('tokenPenalty');
    }
  });

  it('stores the evaluation, its candidates and every sample before answering: polling returns the same evidence', async () => {
    const res = await post(researcher, rewardRequestBody({ settings: connectedSettings(connectionId) }));
    expect(res.status).toBe(200);
    const answered = await res.json();
    const polled = await (await poll(researcher, answered.id)).json();
    expect(polled.status).toBe('scored');
    expect(polled.finishedAt).not.toBeNull();
    expect(polled.candidates.map((c: { mr: number }) => c.mr)).toEqual(answered.candidates.map((c: { mr: number }) => c.mr));
    expect(polled.candidates.map((c: { samples: unknown[] }) => c.samples)).toEqual(answered.candidates.map((c: { samples: unknown[] }) => c.samples));
    const [token] = await db.select({ lastUsedAt: schema.apiTokens.lastUsedAt }).from(schema.apiTokens).where(eq(schema.apiTokens.tokenHash, sha256(researcher)));
    expect(token!.lastUsedAt).not.toBeNull();
  });

  it('stores the evaluation and hands the samples the time budget could not finish to the queue, which completes it', async () => {
    const { actor } = await userWithToken(db, 'researcher');
    // A zero budget aborts the samples' first HTTP calls to the fake endpoint: nothing finishes inline.
    const result = await requestReward({ db, actor }, rewardRequestBody({ settings: connectedSettings(connectionId), seed: 'budget' }), { syncBudgetMs: 0 });
    expect(result.status).toBe('scoring');
    const jobsQueued = await db.select({ n: count() }).from(schema.jobs).where(eq(schema.jobs.groupKey, `reward-evaluation:${result.evaluation.id}`));
    expect(jobsQueued[0]!.n).toBe(2 * 3);
    const worker = new JobWorker({ db, definitions: appJobDefinitions(), concurrency: 4, pollIntervalMs: 20 });
    worker.start();
    try {
      await waitFor(async () => (await getRewardEvaluation({ db, actor }, result.evaluation.id)).status === 'scored');
    } finally {
      await worker.stop({ graceMs: 500 });
    }
    const done = await getRewardEvaluation({ db, actor }, result.evaluation.id);
    expect(done.candidates.every((c) => c.mr !== null && c.samples.length === 3)).toBe(true);
  });

  it('repeats the same model calls for the same request and seed (fake endpoint)', async () => {
    const body = rewardRequestBody({ candidates: ['Which details matter most to you?'], settings: connectedSettings(connectionId), seed: 'repeat-me' });
    const seedsOf = () =>
      fake.requests
        .map((r) => JSON.stringify({ seed: r.body?.seed ?? null, messages: r.body?.messages }))
        .sort();
    fake.reset();
    const first = await post(researcher, body);
    expect(first.status).toBe(200);
    const firstCalls = seedsOf();
    fake.reset();
    const second = await post(researcher, body);
    expect(second.status).toBe(200);
    expect(seedsOf()).toEqual(firstCalls);
    expect(firstCalls.length).toBeGreaterThan(3 * 4);
    expect(fake.requests.every((r) => typeof r.body?.seed === 'number')).toBe(true);
    const a = await first.json();
    const b = await second.json();
    expect(b.candidates[0].mr).toBe(a.candidates[0].mr);
    expect(a.isDemo).toBe(false);
  });

  it('queues a large request (202 + poll URL) that a worker finishes; only its requester or an admin can read it', async () => {
    const res = await post(researcher, rewardRequestBody({ candidates: ['a?', 'b.', 'c?'], settings: { samples: 3 } }));
    expect(res.status).toBe(202);
    const queued = await res.json();
    expect(queued.status).toBe('scoring');
    expect(res.headers.get('location')).toBe(`/api/training/reward/${queued.id}`);
    const worker = new JobWorker({ db, definitions: appJobDefinitions(), concurrency: 4, pollIntervalMs: 20 });
    worker.start();
    try {
      const deadline = Date.now() + 60_000;
      let view: { status: string; candidates: { mr: number | null; samples: unknown[] }[] } = queued;
      while (view.status === 'scoring' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        view = await (await poll(researcher, queued.id)).json();
      }
      expect(view.status).toBe('scored');
      expect(view.candidates.every((c) => c.mr !== null && c.samples.length === 3)).toBe(true);
    } finally {
      await worker.stop({ graceMs: 500 });
    }
    expect((await poll(admin, queued.id)).status).toBe(200);
    const other = (await userWithToken(db, 'researcher')).token;
    expect((await poll(other, queued.id)).status).toBe(404);
    expect((await poll(null, queued.id)).status).toBe(401);
    expect((await poll(viewer, queued.id)).status).toBe(403);
  });
});
