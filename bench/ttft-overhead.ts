/**
 * Added time to first token: what the platform costs between a participant pressing Send and the first
 * streamed character arriving, compared with calling the same local OpenAI-compatible endpoint directly.
 *
 *   direct   = fetch POST /v1/chat/completions (stream) → first content chunk
 *   platform = POST participant.sendMessage (stores the message, starts the detached generation)
 *              → GET participant.reply (SSE) → first text event
 * Both go through tRPC's real fetch adapter, superjson and SSE framing, Postgres writes and the llm layer's
 * `openai` SDK call. Not included: Next.js routing and the browser (the context is built without NextAuth,
 * which needs a Next request scope). Each pair runs back to back; overhead = platform − direct per pair.
 *
 * Usage: npx tsx bench/ttft-overhead.ts [--iterations 200] [--ttft-ms 40]
 * Needs Postgres on 127.0.0.1:5432 (a throwaway database is created and dropped).
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { createTestDatabase, dropTestDatabase } from '../db/testing/test-database';

const { values } = parseArgs({
  options: { iterations: { type: 'string', default: '200' }, 'ttft-ms': { type: 'string', default: '40' } },
});
const iterations = Number(values.iterations);
const fakeTtftMs = Number(values['ttft-ms']);

const databaseUrl = await createTestDatabase('collab_bench_ttft');
process.env.DATABASE_URL = databaseUrl;
process.env.AUTH_SECRET ??= 'bench-secret-at-least-16-chars';
process.env.LOG_LEVEL = 'error';

// Imported after DATABASE_URL is set: server/env.ts reads the environment once, at import.
const { getDb, closeDb, schema } = await import('../db');
const { eq } = await import('drizzle-orm');
const { appRouter } = await import('../server/api/root');
const { createInnerContext } = await import('../server/api/trpc');
const { fetchRequestHandler } = await import('@trpc/server/adapters/fetch');
const { startFakeOpenAIServer } = await import('../scripts/fake-openai-server');
const { createTestConnection, createTestStudy, demoArm, testStudyConfig } = await import('../server/participants/testing/fixtures');
const { waitForGeneration } = await import('../server/participants/generation-hub');
const superjson = (await import('superjson')).default;

const fake = await startFakeOpenAIServer({ ttftMs: fakeTtftMs, tokenDelayMs: 1 });
const db = await getDb();

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}
const sortNum = (xs: number[]) => [...xs].sort((a, b) => a - b);

async function readUntil(body: ReadableStream<Uint8Array>, predicate: (text: string) => boolean): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) throw new Error('stream ended before the first token');
      text += decoder.decode(value, { stream: true });
      if (predicate(text)) return;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

async function directTtft(): Promise<number> {
  const start = performance.now();
  const res = await fetch(`${fake.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'bench-model', stream: true, messages: [{ role: 'user', content: 'hello there' }] }),
  });
  await readUntil(res.body!, (t) => /"content":"[^"]/.test(t));
  return performance.now() - start;
}

const connection = await createTestConnection(db, fake.url);
const config = testStudyConfig({
  arms: [demoArm('collabllm', { connectionId: connection.id, model: 'bench-model' })],
  minTurns: 1,
  maxTurns: 200,
  ratingInterval: 50,
  messagesPerMinute: 120,
});
const { slug } = await createTestStudy(db, { config });

let jar = new Map<string, string>();
const handle = (req: Request) =>
  fetchRequestHandler({ endpoint: '/api/trpc', req, router: appRouter, createContext: () => createInnerContext({ db, cookies: jar }) });
const caller = () => appRouter.createCaller(createInnerContext({ db, cookies: jar }));

async function newParticipant() {
  jar = new Map();
  const c = caller();
  await c.participant.enter({ slug, query: {} });
  await c.participant.consent({ slug, accept: true, consentVersion: config.consent.version });
  await c.participant.finishInstructions({ slug });
  await c.participant.submitSetup({ slug, topicId: config.topics[0]!.id, answers: Object.fromEntries(config.topicQuestions.map((q) => [q.id, 'x'])) });
}

async function platformTtft(i: number): Promise<{ ms: number; sendMs: number; messageId: string }> {
  const start = performance.now();
  const sendRes = await handle(
    new Request('http://bench/api/trpc/participant.sendMessage', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(superjson.serialize({ slug, clientMessageId: `bench-${i}-${Date.now()}`, content: 'hello there' })),
    }),
  );
  const sent = superjson.deserialize<{ assistantMessageId: string }>((await sendRes.json()).result.data);
  const sendMs = performance.now() - start;
  const input = encodeURIComponent(JSON.stringify(superjson.serialize({ slug, messageId: sent.assistantMessageId })));
  const streamRes = await handle(new Request(`http://bench/api/trpc/participant.reply?input=${input}`, { headers: { accept: 'text/event-stream' } }));
  await readUntil(streamRes.body!, (t) => /"type":"text"[^}]*"text":"[^"]/.test(t));
  return { ms: performance.now() - start, sendMs, messageId: sent.assistantMessageId };
}

const direct: number[] = [];
const platform: number[] = [];
const overhead: number[] = [];
const sendOnly: number[] = [];
const llmLayerTtft: number[] = [];
const warmup = 10;
for (let i = 0; i < iterations + warmup; i++) {
  if (i % 40 === 0) await newParticipant();
  const d = await directTtft();
  const p = await platformTtft(i);
  await waitForGeneration(p.messageId);
  if (i < warmup) continue;
  const [row] = await db.select({ ttftMs: schema.messages.ttftMs }).from(schema.messages).where(eq(schema.messages.id, p.messageId));
  sendOnly.push(p.sendMs);
  llmLayerTtft.push(row?.ttftMs ?? NaN);
  direct.push(d);
  platform.push(p.ms);
  overhead.push(p.ms - d);
}

const fmt = (xs: number[]) => {
  const s = sortNum(xs);
  return { median: +percentile(s, 50).toFixed(2), p90: +percentile(s, 90).toFixed(2), p99: +percentile(s, 99).toFixed(2) };
};
const result = {
  date: new Date().toISOString(),
  machine: `${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()}`,
  /** 1/5/15-minute load averages at the end: other processes on a shared machine inflate every round trip. */
  loadAverage: os.loadavg().map((l) => +l.toFixed(2)),
  iterations,
  fakeTtftMs,
  directMs: fmt(direct),
  platformMs: fmt(platform),
  overheadMs: fmt(overhead),
  /** Breakdown: the sendMessage round trip alone, and the llm layer's own TTFT as stored on the reply row. */
  sendMessageMs: fmt(sendOnly),
  llmLayerTtftMs: fmt(llmLayerTtft),
  target: 'overhead median ≤ 10 ms, p99 ≤ 50 ms',
};
console.log(JSON.stringify(result, null, 2));

await fake.close();
await closeDb();
await dropTestDatabase(databaseUrl);
