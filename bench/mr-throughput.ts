/**
 * Multiturn-aware reward (MR) throughput and the reward endpoint's added latency.
 *
 * Part 1 — throughput: P conversation prefixes × K candidates × S forward samples of window w, queued as one
 * `reward.sample` job per sample in one group of concurrency C, run by a `npm run worker` process
 * (scripts/worker.ts) against the fake OpenAI-compatible endpoint (its own process) answering every call after a
 * fixed latency L. Every role goes through the endpoint: one sample is w simulator calls + w policy calls + 3 judge
 * calls (extraction, interactivity, quality), strictly one after another, so it takes (2w + 3)·L at best.
 * Ideal = ceil(P·K·S / C) · (2w + 3) · L. Target: wall ≤ 1.2 × ideal.
 *
 * Part 2 — reward endpoint latency: POST /api/training/reward (the route handler with a real Request and a
 * `Bearer cst_` token) for ONE candidate with the defaults (S = 3 samples in parallel, w = 2), answered
 * synchronously, minus the model calls it makes: S chains of 2w + 3 calls (one after another within a chain,
 * the chains at once) made straight through the LLM layer, alternating with the endpoint calls. Target: ≤ 20 ms
 * added (median).
 *
 *   npx tsx bench/mr-throughput.ts [--prefixes 100] [--candidates 2] [--samples 3] [--window 2] [--concurrency 32]
 *                                  [--latency-ms 100] [--endpoint-iterations 30]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    prefixes: { type: 'string', default: '100' },
    candidates: { type: 'string', default: '2' },
    samples: { type: 'string', default: '3' },
    window: { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '32' },
    'latency-ms': { type: 'string', default: '100' },
    'endpoint-iterations': { type: 'string', default: '30' },
    'serve-fake': { type: 'boolean', default: false },
    /** Only measure the reward endpoint (part 2). */
    'endpoint-only': { type: 'boolean', default: false },
  },
});
const API_KEY = 'sk-bench-mr';

function quantiles(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => Number(s[Math.min(s.length - 1, Math.floor(s.length * p))]!.toFixed(1));
  return { p50: q(0.5), p90: q(0.9), max: Number(s.at(-1)!.toFixed(1)) };
}

if (args['serve-fake']) {
  const { startFakeOpenAIServer } = await import('../scripts/fake-openai-server');
  const { fakeBenchmarkResponder } = await import('../server/benchmarks/runs/testing/fake-benchmark-responder');
  const server = await startFakeOpenAIServer({ apiKey: API_KEY, latencyMs: Number(args['latency-ms']), responder: fakeBenchmarkResponder(), recordRequests: false });
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
  process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
} else {
  await main();
}

function firstLine(child: ChildProcess, match: (line: string) => boolean, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error('child did not report in time')), timeoutMs);
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      for (const line of buffer.split('\n'))
        if (match(line)) {
          clearTimeout(timer);
          resolve(line);
          return;
        }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`child exited early with ${code}`)));
  });
}

async function main() {
  const P = Number(args.prefixes);
  const K = Number(args.candidates);
  const S = Number(args.samples);
  const w = Number(args.window);
  const C = Number(args.concurrency);
  const L = Number(args['latency-ms']);
  const { createTestDatabase, dropTestDatabase } = await import('../db/testing/test-database');
  const databaseUrl = await createTestDatabase('collab_bench_mr');
  process.env.DATABASE_URL = databaseUrl;
  process.env.AUTH_SECRET ??= 'bench-secret-at-least-16-characters';
  process.env.LOG_LEVEL ??= 'warn';
  const children: ChildProcess[] = [];
  try {
    const fake = spawn(process.execPath, ['--import', 'tsx', 'bench/mr-throughput.ts', '--serve-fake', '--latency-ms', String(L)], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(fake);
    const { url } = JSON.parse(await firstLine(fake, (l) => l.startsWith('{"url"'))) as { url: string };

    const { getDb, closeDb, schema } = await import('../db');
    const { encryptSecret, sha256 } = await import('../server/lib/secret');
    const { createEvaluation } = await import('../server/training/mr/store');
    const { mrSettingsSchema } = await import('../server/training/mr/settings');
    const { postReward } = await import('../server/training/http/reward-route');
    const { completeChat } = await import('../server/llm');
    const { eq, and, count, inArray } = await import('drizzle-orm');
    const db = await getDb();
    const [connection] = await db
      .insert(schema.llmConnections)
      .values({ name: 'bench fake endpoint', baseUrl: url, apiKeyEncrypted: encryptSecret(API_KEY), defaultModel: 'fake-model' })
      .returning();
    const [user] = await db.insert(schema.users).values({ email: 'bench-mr@bench.local', role: 'researcher' }).returning();
    const settings = mrSettingsSchema.parse({
      window: w,
      samples: S,
      weights: { bleu_char: 1, interactivity: 0.5 },
      policy: { key: 'policy', label: 'policy', connectionId: connection!.id, model: 'fake-model', systemPrompt: '' },
      simulator: { connectionId: connection!.id, model: 'fake-model' },
      judge: { connectionId: connection!.id, model: 'fake-judge' },
    });
    const task = { taskId: null, documentType: 'blog_post', brief: 'A blog post about a balcony garden with cherry tomatoes.', targetDocument: 'My balcony faces south. Cherry tomatoes grow in pots.' };

    // ---- Part 1: throughput through the queue ----
    const part1 = async () => {
    const worker = spawn(process.execPath, ['--import', 'tsx', 'scripts/worker.ts'], {
      env: { ...process.env, WORKER_CONCURRENCY: String(C), LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(worker);
    await firstLine(worker, (l) => l.includes('"worker ready"'));
    const started = Date.now();
    const evaluationIds: string[] = [];
    await db.transaction(async (tx) => {
      for (let i = 0; i < P; i++) {
        const { evaluationId } = await createEvaluation(tx, {
          source: 'api',
          prefix: [{ role: 'user', content: `Prefix ${i}: can you help me write a blog post about my balcony garden?` }],
          task,
          settings,
          seed: `bench-${i}`,
          candidates: Array.from({ length: K }, (_, k) => ({ content: k % 2 ? 'Here is a short draft about your garden.' : 'Which plants grow there?', origin: { kind: 'external' } })),
          createdById: user!.id,
          jobs: { groupKey: 'bench-mr', concurrency: C },
        });
        evaluationIds.push(evaluationId);
      }
    });
    const scored = async () =>
      (await db.select({ n: count() }).from(schema.rewardEvaluations).where(and(inArray(schema.rewardEvaluations.id, evaluationIds), eq(schema.rewardEvaluations.status, 'scored'))))[0]!.n;
    for (;;) {
      const n = await scored();
      if (n === P) break;
      const [failed] = await db.select({ n: count() }).from(schema.rewardEvaluations).where(eq(schema.rewardEvaluations.status, 'failed'));
      if (failed!.n > 0) throw new Error(`${failed!.n} evaluations failed`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const wallMs = Date.now() - started;
    const [samplesStored] = await db.select({ n: count() }).from(schema.rewardSamples);
    const perSampleMs = (2 * w + 3) * L;
    const totalSamples = P * K * S;
    const idealMs = Math.ceil(totalSamples / C) * perSampleMs;
    worker.kill('SIGTERM');
    await new Promise((r) => worker.once('exit', r));
    return { loadAtStart, wallMs, idealMs, totalSamples, stored: samplesStored!.n };
    };
    const loadAtStart = os.loadavg()[0]!;
    const p1 = args['endpoint-only'] ? null : await part1();

    // ---- Part 2: reward endpoint latency for one candidate ----
    const token = `cst_${crypto.randomBytes(24).toString('base64url')}`;
    await db.insert(schema.apiTokens).values({ userId: user!.id, name: 'bench', tokenHash: sha256(token), prefix: token.slice(0, 8) });
    const body = JSON.stringify({
      messages: [{ role: 'user', content: 'Can you help me write a blog post about my balcony garden?' }],
      task: { brief: task.brief, targetDocument: task.targetDocument },
      candidates: ['Which plants grow there, and who reads your blog?'],
      settings: { policy: settings.policy, simulator: settings.simulator, judge: settings.judge },
    });
    const target = { connection: { baseUrl: url, apiKey: API_KEY }, model: 'fake-model' };
    // The endpoint runs its S samples at once, each 2w + 3 calls one after another: the same calls, made directly.
    const chain = async () => {
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: S }, async (_, s) => {
          for (let i = 0; i < 2 * w + 3; i++) await completeChat(target, [{ role: 'user', content: `sample ${s} call ${i}` }]);
        }),
      );
      return performance.now() - t0;
    };
    const endpoint: number[] = [];
    const direct: number[] = [];
    const iterations = Number(args['endpoint-iterations']);
    await chain();
    for (let i = 0; i < iterations + 2; i++) {
      const t0 = performance.now();
      const res = await postReward(new Request('http://localhost/api/training/reward', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body }), db);
      await res.json();
      const ms = performance.now() - t0;
      if (res.status !== 200) throw new Error(`reward endpoint answered ${res.status}`);
      const d = await chain();
      if (i >= 2) {
        endpoint.push(ms);
        direct.push(d);
      }
    }
    const endpointQ = quantiles(endpoint);
    const directQ = quantiles(direct);
    const result = {
      date: new Date().toISOString(),
      machine: `${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.versions.node}, load avg ${loadAtStart.toFixed(1)} → ${os.loadavg()[0]!.toFixed(1)}`,
      throughput: p1 && {
        prefixes: P,
        candidates: K,
        samples: S,
        window: w,
        concurrency: C,
        latencyMs: L,
        forwardSamples: p1.totalSamples,
        stored: p1.stored,
        wallMs: p1.wallMs,
        idealMs: p1.idealMs,
        ratioToIdeal: Number((p1.wallMs / p1.idealMs).toFixed(3)),
        targetMet: p1.wallMs <= 1.2 * p1.idealMs,
      },
      rewardEndpoint: {
        iterations,
        endpointMs: endpointQ,
        modelCallsMs: directQ,
        addedMsMedian: Number((endpointQ.p50 - directQ.p50).toFixed(1)),
        addedMsP90: Number((endpointQ.p90 - directQ.p90).toFixed(1)),
        targetMet: endpointQ.p50 - directQ.p50 <= 20,
      },
    };
    console.log(JSON.stringify(result, null, 2));
    await closeDb();
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    await dropTestDatabase(databaseUrl);
  }
}
