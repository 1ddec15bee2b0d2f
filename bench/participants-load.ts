/**
 * Many participants at once through the real HTTP API of the built app.
 *
 * Builds the app (`next build` into its own folder), serves it with `next start` on a throwaway
 * Postgres database, points a three-arm study at the local fake OpenAI-compatible server with no
 * artificial delay (so every millisecond measured is the platform's: Next.js routing, tRPC,
 * superjson, Postgres writes, the llm layer's `openai` SDK call, SSE), and lets N simulated
 * participants run the whole flow concurrently: enter (Prolific link) → consent → instructions →
 * setup → M messages, each followed by streaming the reply over SSE (ratings when due) → finish
 * chat → survey. Every participant is its own tRPC client with its own cookie.
 *
 * Reports throughput, latency percentiles (send acknowledged, first streamed text, full reply),
 * errors (must be 0), lost messages (every sent message and a complete reply must be stored; must
 * be 0) and the resulting arm balance. Bounded by --participants and --time-limit-s.
 *
 * Usage: npx tsx bench/participants-load.ts [--participants 200] [--messages 8] [--port 3471]
 *        [--think-ms 0] [--time-limit-s 600] [--skip-build]
 * --think-ms 0 is a saturation test: every participant sends again the moment a reply ends, so latency
 * is mostly queueing (Little's law); a human-like pause (e.g. 30000) measures latency below saturation.
 * Needs Postgres on 127.0.0.1:5432 (a throwaway database is created and dropped).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import { setMaxListeners } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { createTRPCClient, httpLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { EventSource } from 'eventsource';
import superjson from 'superjson';
import { createTestDatabase, dropTestDatabase } from '../db/testing/test-database';
import type { AppRouter } from '../server/api/root';

const { values: args } = parseArgs({
  options: {
    participants: { type: 'string', default: '200' },
    messages: { type: 'string', default: '8' },
    port: { type: 'string', default: '3471' },
    'time-limit-s': { type: 'string', default: '600' },
    /** Mean pause before each message (uniform in 0.5–1.5 × this); 0 = closed-loop saturation test. */
    'think-ms': { type: 'string', default: '0' },
    'skip-build': { type: 'boolean', default: false },
  },
});
const participantCount = Number(args.participants);
const messagesPerParticipant = Number(args.messages);
const port = Number(args.port);
const timeLimitMs = Number(args['time-limit-s']) * 1000;
const thinkMs = Number(args['think-ms']);
if (!Number.isFinite(thinkMs) || thinkMs < 0) throw new Error('--think-ms must be a non-negative number');
if (![participantCount, messagesPerParticipant, port, timeLimitMs].every((n) => Number.isInteger(n) && n > 0))
  throw new Error('--participants, --messages, --port and --time-limit-s must be positive integers');

const AUTH_SECRET = 'bench-secret-at-least-16-characters';
const distDir = '.next-bench-load';
const baseUrl = `http://127.0.0.1:${port}`;
const serverLog = `/tmp/collab-bench-load-${process.pid}.log`;

const databaseUrl = await createTestDatabase('collab_bench_load');
process.env.DATABASE_URL = databaseUrl;
process.env.AUTH_SECRET = AUTH_SECRET;
process.env.LOG_LEVEL = 'error';

// Imported after the environment is set: server/env.ts reads it once, at import.
const { getDb, closeDb, schema } = await import('../db');
const { encryptSecret } = await import('../server/lib/secret');
const { studyConfigSchema } = await import('../server/studies/config');
const { startFakeOpenAIServer } = await import('../scripts/fake-openai-server');
const { and, eq, inArray, like } = await import('drizzle-orm');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
const summarize = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s[s.length - 1] ?? Number.NaN };
};

let server: ChildProcess | null = null;
const fake = await startFakeOpenAIServer({ apiKey: 'bench-key' });

async function cleanup() {
  if (server?.pid && server.exitCode === null) {
    const exited = new Promise((r) => server!.once('exit', r));
    // npx → next → next-server: signal the whole process group, or the server outlives the bench.
    process.kill(-server.pid, 'SIGTERM');
    await exited;
  }
  await fake.close();
  await closeDb();
  await dropTestDatabase(databaseUrl);
}

async function setUpStudy() {
  const db = await getDb();
  const [connection] = await db
    .insert(schema.llmConnections)
    .values({ name: 'bench fake endpoint', baseUrl: fake.url, apiKeyEncrypted: encryptSecret('bench-key'), defaultModel: 'fake-model' })
    .returning();
  const arm = (key: string, systemPrompt: string) => ({
    key,
    label: key,
    connectionId: connection!.id,
    model: 'fake-model',
    systemPrompt,
  });
  const config = studyConfigSchema.parse({
    title: 'Load test study',
    consent: { version: '1', text: 'Load test consent.' },
    instructions: 'Write a short document with the assistant.',
    documentTypes: [{ key: 'blog-post', label: 'Blog post' }],
    topics: [{ id: 'cities', label: 'Cities' }],
    topicQuestions: [
      { id: 'audience', prompt: 'Who is it for?' },
      { id: 'point', prompt: 'What is the main point?' },
    ],
    arms: [arm('baseline', ''), arm('proactive', 'Ask clarifying questions.'), arm('collabllm', 'Collaborate.')],
    minTurns: messagesPerParticipant,
    maxTurns: Math.max(messagesPerParticipant, 30),
    ratingInterval: 3,
    // One message per reply round trip; far below this with no think time, so the limit is not what is measured.
    messagesPerMinute: 120,
    blindingOptions: ['A', 'B', 'C'],
    attentionChecks: [{ id: 'check1', prompt: 'Select "Blue".', options: ['Red', 'Blue'], correctOption: 'Blue' }],
    completionCodes: { completed: 'DONE1', noConsent: 'NOC1', failedChecks: 'FAIL1', timedOut: 'TIME1' },
  });
  const slug = `load-${crypto.randomBytes(3).toString('hex')}`;
  const [study] = await db
    .insert(schema.studies)
    .values({ slug, name: 'Load test', status: 'running', draftConfig: config, assignmentSeed: crypto.randomUUID() })
    .returning();
  const [version] = await db.insert(schema.studyVersions).values({ studyId: study!.id, version: 1, config }).returning();
  await db.update(schema.studies).set({ currentVersionId: version!.id }).where(eq(schema.studies.id, study!.id));
  return { slug, studyId: study!.id, config };
}

function startServer(): ChildProcess {
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    AUTH_SECRET,
    NEXTAUTH_URL: baseUrl,
    NEXT_DIST_DIR: distDir,
    LOG_LEVEL: 'warn',
  } as NodeJS.ProcessEnv;
  if (!args['skip-build']) {
    console.log(`building into ${distDir}…`);
    const build = spawnSync('npx', ['next', 'build'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    if (build.status !== 0) throw new Error('next build failed');
  }
  const out = fs.openSync(serverLog, 'w');
  return spawn('npx', ['next', 'start', '-p', String(port), '-H', '127.0.0.1'], { env, stdio: ['ignore', out, out], detached: true });
}

async function waitForHealth() {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${baseUrl}/api/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`server did not become healthy; see ${serverLog}`);
}

/** A browser stand-in: its own cookie jar shared by plain requests and the SSE connection. */
function participantClient() {
  const cookies = new Map<string, string>();
  const withCookies = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const headers = new Headers(init?.headers);
    if (cookies.size > 0) headers.set('cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(input, { ...init, headers });
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(';', 1)[0]!;
      const i = pair.indexOf('=');
      if (i > 0) cookies.set(pair.slice(0, i).trim(), pair.slice(i + 1).trim());
    }
    return res;
  };
  const url = `${baseUrl}/api/trpc`;
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url,
          transformer: superjson,
          EventSource,
          eventSourceOptions: () => ({ fetch: withCookies }),
        }),
        false: httpLink({ url, transformer: superjson, fetch: withCookies }),
      }),
    ],
  });
}

interface MessageTiming {
  ackMs: number;
  firstTextMs: number;
  replyMs: number;
}

type Client = ReturnType<typeof participantClient>;

function followReply(client: Client, slug: string, messageId: string, sentAt: number, signal: AbortSignal): Promise<{ firstTextMs: number; replyMs: number }> {
  return new Promise((resolve, reject) => {
    let firstTextMs = Number.NaN;
    let ended: { status: string } | null = null;
    const sub = client.participant.reply.subscribe(
      { slug, messageId },
      {
        signal,
        onData(tracked) {
          const event = tracked.data;
          if (event.type === 'text' && Number.isNaN(firstTextMs)) firstTextMs = performance.now() - sentAt;
          if (event.type === 'end') {
            ended = { status: event.status };
            const replyMs = performance.now() - sentAt;
            sub.unsubscribe();
            if (event.status !== 'complete') reject(new Error(`reply ended with status ${event.status}`));
            else resolve({ firstTextMs: Number.isNaN(firstTextMs) ? replyMs : firstTextMs, replyMs });
          }
        },
        onError: (err) => reject(err),
        onComplete: () => {
          if (!ended) reject(new Error('reply stream closed without an end event'));
        },
      },
    );
  });
}

async function runParticipant(
  i: number,
  slug: string,
  runId: string,
  config: { consent: { version: string } },
  signal: AbortSignal,
  pauseMs = thinkMs,
): Promise<{ timings: MessageTiming[]; sent: string[] }> {
  const client = participantClient();
  const timings: MessageTiming[] = [];
  const sent: string[] = [];
  await client.participant.enter.mutate({
    slug,
    query: { PROLIFIC_PID: `bench-${runId}-${i}`, STUDY_ID: 'load', SESSION_ID: `session-${i}` },
  });
  await client.participant.consent.mutate({ slug, accept: true, consentVersion: config.consent.version });
  await client.participant.finishInstructions.mutate({ slug });
  await client.participant.submitSetup.mutate({
    slug,
    topicId: 'cities',
    answers: { audience: 'People moving to a new city', point: 'Small neighbourhood shops make a city liveable' },
  });
  for (let turn = 1; turn <= messagesPerParticipant; turn++) {
    if (pauseMs > 0) await sleep(pauseMs * (0.5 + Math.random()));
    if (signal.aborted) throw new Error('time limit reached');
    const clientMessageId = `${runId}-${i}-${turn}`;
    const sentAt = performance.now();
    const { assistantMessageId } = await client.participant.sendMessage.mutate({
      slug,
      clientMessageId,
      content: `Turn ${turn} from participant ${i}: please improve the second paragraph and keep it short.`,
    });
    sent.push(clientMessageId);
    const ackMs = performance.now() - sentAt;
    const reply = await followReply(client, slug, assistantMessageId, sentAt, signal);
    timings.push({ ackMs, ...reply });
    if (turn % 3 === 0) await client.participant.rate.mutate({ slug, afterTurn: turn, value: 7 });
  }
  await client.participant.finishChat.mutate({ slug });
  await client.participant.submitSurvey.mutate({
    slug,
    documentQuality: 8,
    overallInteraction: 7,
    strengths: 'It kept the structure I asked for and was quick.',
    weaknesses: 'Some sentences were a little repetitive in places.',
    blindingGuess: 'A',
    attentionAnswers: { check1: 'Blue' },
  });
  return { timings, sent };
}

async function verifyStored(studyId: string, runId: string, sentByParticipant: Map<string, string[]>) {
  const db = await getDb();
  const people = await db
    .select({ id: schema.participants.id, externalId: schema.participants.externalId, armKey: schema.participants.armKey, outcome: schema.participants.outcome })
    .from(schema.participants)
    .where(and(eq(schema.participants.studyId, studyId), like(schema.participants.externalId, `bench-${runId}-%`)));
  const conversations = await db
    .select({ id: schema.conversations.id, participantId: schema.conversations.participantId })
    .from(schema.conversations)
    .where(inArray(schema.conversations.participantId, people.map((p) => p.id)));
  const stored = await db
    .select({ conversationId: schema.messages.conversationId, role: schema.messages.role, status: schema.messages.status, clientMessageId: schema.messages.clientMessageId, seq: schema.messages.seq })
    .from(schema.messages)
    .where(inArray(schema.messages.conversationId, conversations.map((c) => c.id)));
  const conversationOf = new Map(conversations.map((c) => [c.participantId, c.id]));
  let lostUser = 0;
  let lostReplies = 0;
  for (const person of people) {
    const sent = sentByParticipant.get(person.externalId!) ?? [];
    const mine = stored.filter((m) => m.conversationId === conversationOf.get(person.id));
    const userIds = new Set(mine.filter((m) => m.role === 'user').map((m) => m.clientMessageId));
    const completeReplies = mine.filter((m) => m.role === 'assistant' && m.status === 'complete').length;
    lostUser += sent.filter((id) => !userIds.has(id)).length;
    lostReplies += Math.max(0, sent.length - completeReplies);
  }
  const arms: Record<string, number> = {};
  for (const p of people) arms[p.armKey ?? 'none'] = (arms[p.armKey ?? 'none'] ?? 0) + 1;
  const completed = people.filter((p) => p.outcome === 'completed').length;
  return { participantsStored: people.length, completed, lostUser, lostReplies, arms };
}

process.once('SIGINT', () => {
  void cleanup().finally(() => process.exit(130));
});

try {
  const { slug, studyId, config } = await setUpStudy();
  server = startServer();
  await waitForHealth();
  // One warm-up participant so first-request compilation and connection set-up are not measured.
  const runId = crypto.randomBytes(3).toString('hex');
  const limit = new AbortController();
  // Every participant's requests listen on this one signal.
  setMaxListeners(0, limit.signal);
  const timer = setTimeout(() => limit.abort(), timeLimitMs);
  await runParticipant(-1, slug, `${runId}w`, config, limit.signal, 0);

  const loadBefore = +os.loadavg()[0]!.toFixed(1);
  console.log(`running ${participantCount} participants × ${messagesPerParticipant} messages against ${baseUrl}…`);
  const started = performance.now();
  const results = await Promise.allSettled(
    Array.from({ length: participantCount }, (_, i) => runParticipant(i, slug, runId, config, limit.signal)),
  );
  const wallMs = performance.now() - started;
  clearTimeout(timer);

  const timings = results.flatMap((r) => (r.status === 'fulfilled' ? r.value.timings : []));
  const errors = results.flatMap((r) => (r.status === 'rejected' ? [String((r.reason as Error)?.message ?? r.reason)] : []));
  const sentByParticipant = new Map<string, string[]>();
  results.forEach((r, i) => sentByParticipant.set(`bench-${runId}-${i}`, r.status === 'fulfilled' ? r.value.sent : []));
  const stored = await verifyStored(studyId, runId, sentByParticipant);

  const report = {
    date: new Date().toISOString(),
    machine: {
      nproc: os.availableParallelism(),
      cpu: os.cpus()[0]?.model ?? 'unknown',
      memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
      node: process.version,
      // The machine is shared; a high load average before the run explains slow figures.
      loadAverage1mBefore: loadBefore,
    },
    participants: participantCount,
    messagesPerParticipant,
    thinkMs,
    wallSeconds: +(wallMs / 1000).toFixed(1),
    repliesPerSecond: +(timings.length / (wallMs / 1000)).toFixed(1),
    participantsPerMinute: +(results.filter((r) => r.status === 'fulfilled').length / (wallMs / 60_000)).toFixed(1),
    sendAckMs: summarize(timings.map((t) => t.ackMs)),
    firstTextMs: summarize(timings.map((t) => t.firstTextMs)),
    fullReplyMs: summarize(timings.map((t) => t.replyMs)),
    errors: errors.length,
    errorSamples: [...new Set(errors)].slice(0, 5),
    lostMessages: stored.lostUser,
    lostReplies: stored.lostReplies,
    participantsStored: stored.participantsStored,
    completed: stored.completed,
    arms: stored.arms,
    fakeModelRequests: fake.requests.length,
  };
  const round = (o: unknown): unknown =>
    JSON.parse(JSON.stringify(o, (_, v) => (typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 10) / 10 : v)));
  console.log(JSON.stringify(round(report), null, 2));
  if (report.errors > 0 || report.lostMessages > 0 || report.lostReplies > 0) process.exitCode = 1;
} finally {
  await cleanup();
}
