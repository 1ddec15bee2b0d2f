/**
 * Several web processes on one Postgres, restarted one at a time while participants chat.
 *
 * Builds the app once (`next build` into its own folder), starts three `next start` processes on that build
 * and one `npm run worker` on a throwaway database, puts the round-robin proxy in front
 * (scripts/round-robin-proxy.ts), and lets N participants chat through it over the real HTTP API (tRPC + SSE,
 * arms on the local fake OpenAI-compatible server streaming a token every --token-delay-ms). While they chat,
 * each web process in turn is stopped while it is generating replies — SIGTERM, SIGKILL, SIGTERM… — and
 * started again. A participant whose reply was interrupted presses "Try again", as the UI offers.
 *
 * Reports: lost messages (must be 0), replies not complete at the end (0), participants not finished (0),
 * arm spread (max − min participants per arm; ≤ 1 for equal weights), "Try again" presses, requests resent
 * after a transport error, reply streams followed again, and each restart (replies generating in the process
 * when it was stopped; time until it was healthy again).
 *
 * Usage: npx tsx bench/multi-process.ts [--participants 100] [--messages 4] [--port 3480] [--token-delay-ms 15]
 *        [--restarts SIGTERM,SIGKILL,SIGTERM] [--time-limit-s 900] [--skip-build]
 * Needs Postgres on 127.0.0.1:5432 (a throwaway database is created and dropped). Loopback only.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { createTestDatabase, dropTestDatabase } from '../db/testing/test-database';

const { values: args } = parseArgs({
  options: {
    participants: { type: 'string', default: '100' },
    messages: { type: 'string', default: '4' },
    port: { type: 'string', default: '3480' },
    'token-delay-ms': { type: 'string', default: '15' },
    restarts: { type: 'string', default: 'SIGTERM,SIGKILL,SIGTERM' },
    'time-limit-s': { type: 'string', default: '900' },
    'skip-build': { type: 'boolean', default: false },
  },
});
const restarts = args.restarts.split(',').filter(Boolean) as ('SIGTERM' | 'SIGKILL')[];
if (!restarts.every((s) => s === 'SIGTERM' || s === 'SIGKILL')) throw new Error('--restarts takes SIGTERM and SIGKILL');

const AUTH_SECRET = 'bench-secret-at-least-16-characters';
const distDir = '.next-bench-multi';
const databaseUrl = await createTestDatabase('collab_bench_multi');
process.env.DATABASE_URL = databaseUrl;
process.env.AUTH_SECRET = AUTH_SECRET;
process.env.LOG_LEVEL = 'error';

const { getDb, closeDb } = await import('../db');
const { startFakeOpenAIServer } = await import('../scripts/fake-openai-server');
const { encryptSecret } = await import('../server/lib/secret');
const { startCluster } = await import('./support/cluster');
const { runScenario, setUpScenarioStudy } = await import('./support/multi-process-scenario');

const REPLY = 'Here is a tighter second paragraph. ' + 'Corner shops keep a street alive because people meet there every day. '.repeat(6);
const fake = await startFakeOpenAIServer({ apiKey: 'bench-key', tokenDelayMs: Number(args['token-delay-ms']), responder: () => REPLY });
let cluster: Awaited<ReturnType<typeof startCluster>> | null = null;
try {
  if (!args['skip-build']) {
    console.log(`building into ${distDir}…`);
    const build = spawnSync('npx', ['next', 'build'], { env: { ...process.env, NODE_ENV: 'production', NEXT_DIST_DIR: distDir }, stdio: ['ignore', 'ignore', 'inherit'] });
    if (build.status !== 0) throw new Error('next build failed');
  }
  const loadBefore = +os.loadavg()[0]!.toFixed(1);
  cluster = await startCluster({
    distDir,
    databaseUrl,
    authSecret: AUTH_SECRET,
    basePort: Number(args.port),
    webProcesses: 3,
    logDir: `/tmp/collab-bench-multi-${process.pid}`,
  });
  const db = await getDb();
  const { slug, studyId } = await setUpScenarioStudy(db, fake.url, encryptSecret('bench-key'));
  console.log(`${args.participants} participants × ${args.messages} messages through ${cluster.url}; restarts ${restarts.join(', ')}…`);
  const report = await runScenario({
    db,
    cluster,
    slug,
    studyId,
    participants: Number(args.participants),
    messages: Number(args.messages),
    restarts,
    timeLimitMs: Number(args['time-limit-s']) * 1000,
  });
  const result = {
    date: new Date().toISOString(),
    machine: { nproc: os.availableParallelism(), cpu: os.cpus()[0]?.model ?? 'unknown', memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1), node: process.version, loadAverage1mBefore: loadBefore, loadAverage1mAfter: +os.loadavg()[0]!.toFixed(1) },
    tokenDelayMs: Number(args['token-delay-ms']),
    ...report,
    modelRequests: fake.requests.length,
  };
  console.log(JSON.stringify(result, null, 2));
  if (report.participantErrors.length > 0 || report.lostMessages > 0 || report.repliesNotComplete > 0 || report.finished !== report.participants || report.armSpread > 1)
    process.exitCode = 1;
} finally {
  await cluster?.stop();
  await fake.close();
  await closeDb();
  await dropTestDatabase(databaseUrl);
}
