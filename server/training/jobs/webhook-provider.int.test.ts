/**
 * The external-trainer webhook over real HTTP: a local "launcher" receives our signed request, downloads the dataset
 * with its token from the app's route handler, and reports back through the signed callback route. Forged, stale and
 * replayed callbacks are refused; the download token is single-purpose, expiring and revoked when the job ends.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { closeDb, getDb, schema, type Database } from '../../../db';
import { env } from '../../env';
import type { ServiceContext } from '../../services/context';
import { appJobDefinitions } from '../../jobs/definitions';
import { JobWorker } from '../../jobs/worker';
import { lineSchemas } from '../datasets/formats';
import { datasetDownloadResponse, trainerCallbackResponse } from './http';
import { registerTrainedModel } from './register';
import { cancelTrainingJob, startTrainingJob } from './service';
import { NONCE_HEADER, signatureFor, signedHeaders, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from './signature';
import { insertReadyDataset, jobEvents, waitForJob } from './testing/fixtures';

const SECRET = randomBytes(32).toString('hex');

interface TrainerRequest {
  headers: Headers;
  raw: string;
  body: { event: string; jobId: string; dataset?: { format: string; download: { url: string; token: string } }; callbackUrl?: string; hyperparameters?: Record<string, unknown> };
}

let db: Database;
let ctx: ServiceContext;
let worker: JobWorker;
let app: http.Server;
let trainer: http.Server;
let appUrl: string;
const received: TrainerRequest[] = [];
const trainerAnswers: number[] = [];

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

beforeAll(async () => {
  db = await getDb();
  // The app's two trainer-facing route handlers, served over HTTP without Next.
  app = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', appUrl);
      const match = /^\/api\/training\/jobs\/([^/]+)\/(dataset|callback)$/.exec(url.pathname);
      if (!match) return res.writeHead(404).end();
      const raw = req.method === 'POST' ? await readBody(req) : undefined;
      const request = new Request(url, { method: req.method, headers: req.headers as Record<string, string>, body: raw });
      const response = match[2] === 'dataset' ? await datasetDownloadResponse(db, request, match[1]!) : await trainerCallbackResponse(db, request, match[1]!);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    })().catch((err: unknown) => res.writeHead(500).end(String(err)));
  });
  appUrl = await listen(app);
  trainer = http.createServer((req, res) => {
    void readBody(req).then((raw) => {
      const headers = new Headers(req.headers as Record<string, string>);
      received.push({ headers, raw, body: JSON.parse(raw) as TrainerRequest['body'] });
      res.writeHead(trainerAnswers.shift() ?? 202, { 'content-type': 'application/json' }).end('{"accepted":true}');
    });
  });
  const trainerUrl = await listen(trainer);
  // server/env.ts is read once at start; these tests configure the trainer the way the environment would.
  env.TRAINING_WEBHOOK_URL = `${trainerUrl}/launch`;
  env.TRAINING_WEBHOOK_SECRET = SECRET;
  env.TRAINING_PUBLIC_URL = appUrl;
  const tag = randomUUID().slice(0, 8);
  const [user] = await db.insert(schema.users).values({ email: `webhook-${tag}@test.local`, role: 'researcher' }).returning();
  ctx = { db, actor: { id: user!.id, email: user!.email, name: null, role: 'researcher', via: 'session' } };
  worker = new JobWorker({ db, definitions: appJobDefinitions(), concurrency: 4, pollIntervalMs: 20, leaseMs: 5_000, retryBaseMs: 5, retryMaxMs: 50 });
  worker.start();
});

afterAll(async () => {
  await worker.stop({ graceMs: 1_000 });
  await new Promise((r) => app.close(r));
  await new Promise((r) => trainer.close(r));
  await closeDb();
});

async function callback(jobId: string, body: Record<string, unknown>, opts: { headers?: Record<string, string>; raw?: string } = {}) {
  const raw = opts.raw ?? JSON.stringify({ jobId, ...body });
  const headers = opts.headers ?? signedHeaders(SECRET, raw);
  const response = await fetch(`${appUrl}/api/training/jobs/${jobId}/callback`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: raw });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, raw, headers };
}

async function startWebhookJob(method: 'sft' | 'dpo' = 'sft') {
  const dataset = await insertReadyDataset(db, { conversations: 3 });
  const { jobId } = await startTrainingJob(ctx, { datasetId: dataset.id, method, provider: 'webhook', baseModel: 'meta-llama/Llama-3.1-8B-Instruct' });
  return jobId;
}

const requestFor = (jobId: string, event = 'training.requested') => received.find((r) => r.body.jobId === jobId && r.body.event === event);

describe('external trainer webhook', () => {
  it('sends a signed request with a token download link; the trainer downloads, reports progress and the model; the model registers', async () => {
    const jobId = await startWebhookJob();
    await waitForJob(db, jobId, ['submitted']);
    const request = requestFor(jobId)!;
    expect(verifySignature(SECRET, request.headers, request.raw).ok).toBe(true);
    expect(request.body.dataset!.format).toBe('trl-sft');
    expect(request.body.callbackUrl).toBe(`${appUrl}/api/training/jobs/${jobId}/callback`);
    expect(request.body.hyperparameters).toMatchObject({ learningRate: 1e-5, batchSize: 64, epochs: 3, lora: { rank: 32, alpha: 16, dropout: 0.1 } });

    const { url, token } = request.body.dataset!.download;
    const download = await fetch(`${url}?split=all`, { headers: { authorization: `Bearer ${token}` } });
    expect(download.status).toBe(200);
    const lines = (await download.text()).trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(lineSchemas['trl-sft'].safeParse(JSON.parse(line)).success).toBe(true);
    expect((await fetch(url, { headers: { authorization: 'Bearer ctd_not-a-token' } })).status).toBe(401);
    expect((await fetch(url)).status).toBe(401);

    const progress = await callback(jobId, { event: 'progress', progress: 0.5, message: 'epoch 1/3 done' });
    expect(progress.status).toBe(200);
    let job = await waitForJob(db, jobId, ['running']);
    expect(job.progress).toBe(0.5);

    // The same request again (same nonce and timestamp) is a replay.
    const replay = await callback(jobId, {}, { raw: progress.raw, headers: progress.headers });
    expect(replay.status).toBe(409);
    // A body changed under a valid header set, or signed with another secret, is forged.
    expect((await callback(jobId, {}, { raw: progress.raw.replace('0.5', '0.9'), headers: signedHeaders(SECRET, progress.raw) })).status).toBe(401);
    expect((await callback(jobId, { event: 'progress', progress: 0.9 }, { headers: signedHeaders('another-secret-another-secret-xx', JSON.stringify({ jobId, event: 'progress', progress: 0.9 })) })).status).toBe(401);
    // Correctly signed, but outside the ±5 minute window.
    const staleRaw = JSON.stringify({ jobId, event: 'progress', progress: 0.9 });
    expect((await callback(jobId, {}, { raw: staleRaw, headers: signedHeaders(SECRET, staleRaw, Date.now() - 10 * 60_000) })).status).toBe(401);
    // A model endpoint that is plain http to another host is refused.
    expect((await callback(jobId, { event: 'succeeded', model: { baseUrl: 'http://gpu.example.com/v1', model: 'm' } })).status).toBe(400);
    job = await waitForJob(db, jobId, ['running']);
    expect(job.progress).toBe(0.5);

    const done = await callback(jobId, { event: 'succeeded', model: { baseUrl: 'https://serving.example.com/v1', model: 'collabllm-sft-1' }, costUsd: 12.5, trainedTokens: 1000 });
    expect(done.status).toBe(200);
    job = await waitForJob(db, jobId, ['succeeded']);
    expect(job).toMatchObject({ fineTunedModel: 'collabllm-sft-1', costUsd: 12.5, trainedTokens: 1000, progress: 1 });
    // The download link dies with the job, and a late callback cannot change the outcome.
    expect((await fetch(url, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    expect((await callback(jobId, { event: 'failed', message: 'late' })).status).toBe(409);

    const registered = await registerTrainedModel(ctx, { jobId });
    const [connection] = await db.select().from(schema.llmConnections).where(eq(schema.llmConnections.id, registered.connectionId!));
    expect(connection).toMatchObject({ baseUrl: 'https://serving.example.com/v1', defaultModel: 'collabllm-sft-1', apiKeyEncrypted: null });
    const kinds = (await jobEvents(db, jobId)).map((e) => e.kind);
    expect(kinds.filter((k) => k === 'callback')).toHaveLength(2);
  });

  it('a token is single-purpose: it cannot download another job\'s dataset, and expires', async () => {
    const first = await startWebhookJob('dpo');
    const second = await startWebhookJob();
    await waitForJob(db, first, ['submitted']);
    await waitForJob(db, second, ['submitted']);
    const a = requestFor(first)!.body.dataset!.download;
    const b = requestFor(second)!.body.dataset!.download;
    expect((await fetch(b.url, { headers: { authorization: `Bearer ${a.token}` } })).status).toBe(401);
    const dpo = await fetch(`${a.url}?token=${encodeURIComponent(a.token)}`);
    expect(dpo.status).toBe(200);
    for (const line of (await dpo.text()).trim().split('\n')) expect(lineSchemas['trl-dpo'].safeParse(JSON.parse(line)).success).toBe(true);
    await db.update(schema.trainingDownloadTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(schema.trainingDownloadTokens.jobId, first));
    expect((await fetch(a.url, { headers: { authorization: `Bearer ${a.token}` } })).status).toBe(401);
  });

  it('retries a trainer that answers 5xx, fails clearly on a 4xx, and sends a signed cancel', async () => {
    trainerAnswers.push(503);
    const retried = await startWebhookJob();
    await waitForJob(db, retried, ['submitted']);
    expect(received.filter((r) => r.body.jobId === retried)).toHaveLength(2);

    trainerAnswers.push(422);
    const refused = await startWebhookJob();
    const failed = await waitForJob(db, refused, ['failed', 'submitted']);
    expect(failed.status).toBe('failed');
    expect(failed.statusReason).toMatch(/trainer refused the request \(422\)/);

    await cancelTrainingJob(ctx, retried);
    const cancelled = await waitForJob(db, retried, ['cancelled']);
    expect(cancelled.status).toBe('cancelled');
    const cancel = requestFor(retried, 'training.cancel')!;
    expect(verifySignature(SECRET, cancel.headers, cancel.raw).ok).toBe(true);
  });

  it('refuses malformed signatures and unknown jobs', async () => {
    const jobId = await startWebhookJob();
    await waitForJob(db, jobId, ['submitted']);
    const raw = JSON.stringify({ jobId, event: 'progress', progress: 0.1 });
    expect((await callback(jobId, {}, { raw, headers: {} })).status).toBe(401);
    const ts = String(Math.floor(Date.now() / 1000));
    const headers = { [TIMESTAMP_HEADER]: ts, [NONCE_HEADER]: 'short', [SIGNATURE_HEADER]: signatureFor(SECRET, ts, 'short', raw) };
    expect((await callback(jobId, {}, { raw, headers })).status).toBe(401);
    const other = randomUUID();
    const otherRaw = JSON.stringify({ jobId: other, event: 'progress' });
    expect((await callback(other, {}, { raw: otherRaw })).status).toBe(404);
    // A body for another job under this job's URL.
    expect((await callback(jobId, {}, { raw: otherRaw })).status).toBe(400);
  });
});
