/**
 * Does a reply followed from another web process stream as fast as from its own? (issue 8: LISTEN/NOTIFY,
 * not polling.)
 *
 * Builds the app once, starts two `next start` processes on one throwaway Postgres database (bench/support/cluster),
 * and lets participants chat over the real HTTP API (tRPC + SSE). Every message is sent to web-0, so web-0
 * generates the reply (it owns it); the participant then follows the reply stream alternately from web-0 (its
 * own process: in-memory hub) and from web-1 (another process: Postgres NOTIFY relay, batched every 10 ms).
 * The arms' endpoint is the local fake OpenAI-compatible server, which waits --model-latency-ms before the
 * first token and --token-delay-ms between tokens, so the stream is open before the first text exists.
 *
 * Reports, per path, from the start of sendMessage: first text on the stream (p50/p90/p99) and the end event
 * (whole reply), and the differences other − own. The relay's promise: the difference is a few milliseconds,
 * not a polling interval.
 *
 * Usage: npx tsx bench/relay-latency.ts [--participants 20] [--messages 6] [--concurrency 10]
 *        [--model-latency-ms 200] [--token-delay-ms 10] [--port 3520] [--skip-build]
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { createTestDatabase, dropTestDatabase } from '../db/testing/test-database';

const { values: args } = parseArgs({
  options: {
    participants: { type: 'string', default: '20' },
    messages: { type: 'string', default: '6' },
    concurrency: { type: 'string', default: '10' },
    'model-latency-ms': { type: 'string', default: '200' },
    'token-delay-ms': { type: 'string', default: '10' },
    port: { type: 'string', default: '3520' },
    'skip-build': { type: 'boolean', default: false },
  },
});

const AUTH_SECRET = 'bench-secret-at-least-16-characters';
const distDir = '.next-bench-relay';
const databaseUrl = await createTestDatabase('collab_bench_relay');
process.env.DATABASE_URL = databaseUrl;
process.env.AUTH_SECRET = AUTH_SECRET;
process.env.LOG_LEVEL = 'error';

const { getDb, closeDb } = await import('../db');
const { startFakeOpenAIServer } = await import('../scripts/fake-openai-server');
const { encryptSecret } = await import('../server/lib/secret');
const { startCluster } = await import('./support/cluster');
const { setUpScenarioStudy } = await import('./support/multi-process-scenario');
const { participantClient } = await import('./support/chatting-participant');

/** The scenario study's rating interval (bench/support/multi-process-scenario.ts). */
const RATING_INTERVAL = 3;
const REPLY = 'Here is a tighter second paragraph. ' + 'Corner shops keep a street alive because people meet there every day. '.repeat(3);
const fake = await startFakeOpenAIServer({
  apiKey: 'bench-key',
  latencyMs: Number(args['model-latency-ms']),
  tokenDelayMs: Number(args['token-delay-ms']),
  responder: () => REPLY,
});

type Path = 'own' | 'other';
interface Sample {
  path: Path;
  firstTextMs: number;
  endMs: number;
  /** Whether the stream was open before the first text existed (otherwise first text = catch-up on open). */
  openBeforeText: boolean;
}

/** Follows one reply on `client` and times its first text and end event from `sentAt`. */
function follow(client: ReturnType<typeof participantClient>, slug: string, messageId: string, sentAt: number, openedAt: { t: number }) {
  return new Promise<{ firstTextMs: number; endMs: number; firstOffset: number }>((resolve, reject) => {
    let first: { ms: number; offset: number } | null = null;
    const sub = client.participant.reply.subscribe(
      { slug, messageId },
      {
        onStarted: () => (openedAt.t = performance.now()),
        onData(tracked) {
          const event = tracked.data;
          if (event.type === 'text' && event.text.length > 0 && !first) first = { ms: performance.now() - sentAt, offset: event.offset };
          if (event.type === 'end') {
            sub.unsubscribe();
            if (event.status !== 'complete') return reject(new Error(`reply ended ${event.status}`));
            resolve({ firstTextMs: first?.ms ?? performance.now() - sentAt, endMs: performance.now() - sentAt, firstOffset: first?.offset ?? 0 });
          }
        },
        onError: (err) => reject(err),
      },
    );
  });
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? +s[Math.min(s.length - 1, Math.floor(q * s.length))]!.toFixed(1) : NaN;
};
const summary = (xs: number[]) => ({ n: xs.length, p50: quantile(xs, 0.5), p90: quantile(xs, 0.9), p99: quantile(xs, 0.99) });

let cluster: Awaited<ReturnType<typeof startCluster>> | null = null;
try {
  if (!args['skip-build']) {
    console.log(`building into ${distDir}…`);
    const build = spawnSync('npx', ['next', 'build'], { env: { ...process.env, NODE_ENV: 'production', NEXT_DIST_DIR: distDir }, stdio: ['ignore', 'ignore', 'inherit'] });
    if (build.status !== 0) throw new Error('next build failed');
    spawnSync('git', ['checkout', '--', 'tsconfig.json'], { stdio: 'ignore' });
  }
  cluster = await startCluster({ distDir, databaseUrl, authSecret: AUTH_SECRET, basePort: Number(args.port), webProcesses: 2, logDir: `/tmp/collab-bench-relay-${process.pid}` });
  const db = await getDb();
  const { slug } = await setUpScenarioStudy(db, fake.url, encryptSecret('bench-key'));
  const [own, other] = cluster.webPorts.map((p) => `http://127.0.0.1:${p}`);
  const loadBefore = +os.loadavg()[0]!.toFixed(1);
  const samples: Sample[] = [];
  const participants = Number(args.participants);
  const messages = Number(args.messages);
  let next = 0;
  const runParticipant = async (i: number) => {
    const cookies = new Map<string, string>();
    const viaOwn = participantClient(own!, cookies);
    const viaOther = participantClient(other!, cookies);
    await viaOwn.participant.enter.mutate({ slug, query: { PROLIFIC_PID: `relay-${i}`, STUDY_ID: 'relay', SESSION_ID: `relay-${i}` } });
    await viaOwn.participant.consent.mutate({ slug, accept: true, consentVersion: '1' });
    await viaOwn.participant.finishInstructions.mutate({ slug });
    await viaOwn.participant.submitSetup.mutate({ slug, topicId: 'cities', answers: { audience: 'New neighbours', point: 'Corner shops keep a street alive' } });
    for (let m = 0; m < messages; m++) {
      // Alternate, and start half the participants on the other path, so both see the same load over time.
      const path: Path = (m + i) % 2 === 0 ? 'own' : 'other';
      const sentAt = performance.now();
      const { assistantMessageId } = await viaOwn.participant.sendMessage.mutate({ slug, clientMessageId: `relay-${i}-${m}`, content: `Turn ${m}: tighten the second paragraph.` });
      const openedAt = { t: Infinity };
      const r = await follow(path === 'own' ? viaOwn : viaOther, slug, assistantMessageId, sentAt, openedAt);
      samples.push({ path, firstTextMs: r.firstTextMs, endMs: r.endMs, openBeforeText: r.firstOffset === 0 && openedAt.t - sentAt < r.firstTextMs });
      // The study asks for a rating every RATING_INTERVAL turns before the next message.
      if ((m + 1) % RATING_INTERVAL === 0) await viaOwn.participant.rate.mutate({ slug, afterTurn: m + 1, value: 7 });
    }
  };
  const lanes = Array.from({ length: Math.min(Number(args.concurrency), participants) }, async () => {
    while (next < participants) await runParticipant(next++);
  });
  await Promise.all(lanes);
  const by = (path: Path) => samples.filter((s) => s.path === path && s.openBeforeText);
  const ownS = by('own');
  const otherS = by('other');
  const result = {
    date: new Date().toISOString(),
    machine: { nproc: os.availableParallelism(), cpu: os.cpus()[0]?.model ?? 'unknown', memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1), node: process.version, loadAverage1mBefore: loadBefore, loadAverage1mAfter: +os.loadavg()[0]!.toFixed(1) },
    modelLatencyMs: Number(args['model-latency-ms']),
    tokenDelayMs: Number(args['token-delay-ms']),
    replies: samples.length,
    excludedStreamOpenedAfterFirstText: samples.length - ownS.length - otherS.length,
    firstTextMs: { own: summary(ownS.map((s) => s.firstTextMs)), other: summary(otherS.map((s) => s.firstTextMs)) },
    endMs: { own: summary(ownS.map((s) => s.endMs)), other: summary(otherS.map((s) => s.endMs)) },
    firstTextOtherMinusOwnMs: { p50: +(quantile(otherS.map((s) => s.firstTextMs), 0.5) - quantile(ownS.map((s) => s.firstTextMs), 0.5)).toFixed(1), p90: +(quantile(otherS.map((s) => s.firstTextMs), 0.9) - quantile(ownS.map((s) => s.firstTextMs), 0.9)).toFixed(1) },
    endOtherMinusOwnMs: { p50: +(quantile(otherS.map((s) => s.endMs), 0.5) - quantile(ownS.map((s) => s.endMs), 0.5)).toFixed(1) },
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  await cluster?.stop();
  await fake.close();
  await closeDb();
  await dropTestDatabase(databaseUrl);
}
