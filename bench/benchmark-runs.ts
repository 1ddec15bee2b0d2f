/**
 * Benchmark-run throughput: N simulated conversations of T turns at concurrency C through the real queue,
 * with a `npm run worker` process (scripts/worker.ts) doing the work, the real item executor, the real
 * `openai` SDK over HTTP, and the fake OpenAI-compatible server answering every call after a fixed latency.
 * Every role (simulated user, both arms, three judges) goes through the endpoint, so one conversation is
 * T simulator calls + T assistant calls + 3 judge calls, strictly one after another.
 *
 * Ideal (concurrency-bound) time: with every call taking exactly the latency L and nothing else costing
 * anything, a conversation takes (2T + 3)·L and C of them run at once, so N conversations need
 * ceil(N / C) waves: ideal = ceil(N / C) · (2T + 3) · L. (The fluid bound N / C · (2T + 3) · L is also
 * printed; it is lower because the last wave is partly empty.) Target: wall ≤ 1.2 × ideal.
 *
 * Where the rest goes (printed per run): firstStartMs (createRun → first conversation; firstClaimMs of it until
 * a worker claimed the first job), setUpMs (a job's claim → its conversation's start), callMs (each model call
 * as the worker timed it, against L), wrapUpMs (conversation end → job completed) and slotUse (share of the
 * C slots × wall spent inside conversations; the ideal itself is below 1 when the last wave is partly empty).
 *
 * Memory: the worker's RSS is sampled from /proc every 250 ms; "flat" means the last quarter of the run
 * does not sit above the first quarter by more than noise. A 200-conversation run is over before V8's first
 * old-generation collection after start-up, so judge flatness on a longer run (--conversations 600).
 *
 * The fake endpoint runs in its own process so its work does not share the worker's event loop, and does not
 * keep the requests it served (their bodies would grow its heap and its GC pauses would add to every call).
 *
 *   npx tsx bench/benchmark-runs.ts [--conversations 200] [--turns 8] [--concurrency 32] [--latency-ms 100]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    conversations: { type: 'string', default: '200' },
    turns: { type: 'string', default: '8' },
    concurrency: { type: 'string', default: '32' },
    'latency-ms': { type: 'string', default: '100' },
    'serve-fake': { type: 'boolean', default: false },
    /** Write a V8 CPU profile of the worker into bench/out/ (for finding where the time goes). */
    profile: { type: 'boolean', default: false },
    /** Worker processes sharing the queue (each runs concurrency / workers conversations at once). */
    workers: { type: 'string', default: '1' },
  },
});

const API_KEY = 'sk-bench-benchmark-runs';

if (args['serve-fake']) {
  // Child mode: serve the fake endpoint and report its URL on stdout.
  const { startFakeOpenAIServer } = await import('../scripts/fake-openai-server');
  const { fakeBenchmarkResponder } = await import('../server/benchmarks/runs/testing/fake-benchmark-responder');
  const server = await startFakeOpenAIServer({ apiKey: API_KEY, latencyMs: Number(args['latency-ms']), responder: fakeBenchmarkResponder(), recordRequests: false });
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
  process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
} else {
  await main();
}

/**
 * User + system CPU the process has used so far, from /proc/<pid>/stat (clock ticks, 100 per second on
 * Linux). CPU per conversation does not depend on how loaded the machine is, unlike wall time.
 */
function cpuMs(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15 of the line.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

function rssMb(pid: number): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return Number.isFinite(kb) ? kb / 1024 : null;
  } catch {
    return null;
  }
}

function firstLine(child: ChildProcess, match: (line: string) => boolean, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error('child did not report in time')), timeoutMs);
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      for (const line of buffer.split('\n')) {
        if (match(line)) {
          clearTimeout(timer);
          resolve(line);
          return;
        }
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`child exited early with ${code}`)));
  });
}

async function main() {
  const N = Number(args.conversations);
  const T = Number(args.turns);
  const C = Number(args.concurrency);
  const L = Number(args['latency-ms']);
  const { createTestDatabase, dropTestDatabase } = await import('../db/testing/test-database');
  const databaseUrl = await createTestDatabase('collab_bench_runs');
  process.env.DATABASE_URL = databaseUrl;
  process.env.AUTH_SECRET ??= 'bench-secret-at-least-16-characters';
  process.env.LOG_LEVEL ??= 'warn';
  const children: ChildProcess[] = [];
  try {
    const fake = spawn(process.execPath, ['--import', 'tsx', 'bench/benchmark-runs.ts', '--serve-fake', '--latency-ms', String(L)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(fake);
    const { url } = JSON.parse(await firstLine(fake, (l) => l.startsWith('{"url"'))) as { url: string };

    const { getDb, closeDb, schema } = await import('../db');
    const { encryptSecret } = await import('../server/lib/secret');
    const { builtinTaskIds, ensureBuiltinTaskSet } = await import('../server/benchmarks/tasks/builtin');
    const { createRun } = await import('../server/benchmarks/runs/commands');
    const { runUsageTotals } = await import('../server/benchmarks/usage');
    const { eq, and, count, sql } = await import('drizzle-orm');
    const db = await getDb();
    await ensureBuiltinTaskSet(db);
    const [connection] = await db
      .insert(schema.llmConnections)
      .values({ name: 'bench fake endpoint', baseUrl: url, apiKeyEncrypted: encryptSecret(API_KEY), defaultModel: 'fake-model' })
      .returning();
    const [admin] = await db.insert(schema.users).values({ email: 'bench-admin@bench.local', role: 'admin' }).returning();

    const profileArgs = args.profile ? ['--cpu-prof', '--cpu-prof-dir=bench/out'] : [];
    const W = Number(args.workers);
    const workers: ChildProcess[] = [];
    for (let i = 0; i < W; i++) {
      const worker = spawn(process.execPath, [...profileArgs, '--import', 'tsx', 'scripts/worker.ts'], {
        env: { ...process.env, WORKER_CONCURRENCY: String(Math.ceil(C / W)), LOG_LEVEL: 'info' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(worker);
      workers.push(worker);
    }
    await Promise.all(workers.map((w) => firstLine(w, (l) => l.includes('"worker ready"'))));
    const idleRss = workers.map((w) => rssMb(w.pid!));
    const cpuAtStart = [...workers, fake].map((p) => cpuMs(p.pid!));

    // Tasks × arms × replicates = N: two arms, replicates to reach N.
    const allTasks = await builtinTaskIds(db);
    const arms = ['base', 'collab'].map((key) => ({ key, label: key, connectionId: connection!.id, model: 'fake-model', systemPrompt: key === 'collab' ? 'Ask before drafting.' : '' }));
    const perTask = Math.ceil(N / (allTasks.length * arms.length));
    const tasksNeeded = Math.ceil(N / (arms.length * perTask));
    const taskIds = allTasks.slice(0, tasksNeeded);
    const total = taskIds.length * arms.length * perTask;

    const samples: { t: number; rss: number }[][] = workers.map(() => []);
    // Wall time on a shared VM tracks what else the cores are doing (see bench/README.md); say so up front.
    const loadAtStart = os.loadavg()[0]!;
    if (loadAtStart > 1.5)
      console.error(`note: 1-minute load average is ${loadAtStart.toFixed(1)} at the start; wall times will be pessimistic`);
    const started = Date.now();
    const { runId } = await createRun(
      { db, actor: { id: admin!.id, email: admin!.email, name: null, role: 'admin', via: 'session' } },
      {
        name: 'bench',
        config: {
          arms,
          taskIds,
          simulator: { connectionId: connection!.id, model: 'fake-model' },
          judge: { connectionId: connection!.id, model: 'fake-judge' },
          conversationsPerTask: perTask,
          maxTurns: T,
          seed: 'bench',
          concurrency: C,
        },
      },
    );
    const sampler = setInterval(() => {
      workers.forEach((w, i) => {
        const rss = rssMb(w.pid!);
        if (rss !== null) samples[i]!.push({ t: Date.now() - started, rss });
      });
    }, 250);
    let status = 'queued';
    while (status === 'queued' || status === 'running') {
      await new Promise((r) => setTimeout(r, 100));
      status = (await db.select({ status: schema.benchmarkRuns.status }).from(schema.benchmarkRuns).where(eq(schema.benchmarkRuns.id, runId)))[0]!.status;
    }
    const wallMs = Date.now() - started;
    clearInterval(sampler);
    const cpuUsed = [...workers, fake].map((p, i) => {
      const end = cpuMs(p.pid!);
      return end === null || cpuAtStart[i] === null ? null : end - cpuAtStart[i]!;
    });
    const [completed] = await db
      .select({ n: count() })
      .from(schema.benchmarkItems)
      .where(and(eq(schema.benchmarkItems.runId, runId), eq(schema.benchmarkItems.status, 'completed')));
    const [run] = await db.select().from(schema.benchmarkRuns).where(eq(schema.benchmarkRuns.id, runId));
    const [messages] = await db.select({ n: count() }).from(schema.messages);
    const usage = (await runUsageTotals(db, [runId])).get(runId)!;

    const items = await db
      .select({ startedAt: schema.benchmarkItems.startedAt, finishedAt: schema.benchmarkItems.finishedAt })
      .from(schema.benchmarkItems)
      .where(eq(schema.benchmarkItems.runId, runId));
    const durations = items.map((i) => i.finishedAt!.getTime() - i.startedAt!.getTime());
    // Where a slot's time goes besides the conversation itself: from the job's claim to the item's start
    // (handler set-up), and from the item's end to the job's completion (scoring writes, bookkeeping).
    const slots = await db
      .select({
        claimedAt: schema.jobs.startedAt,
        jobFinishedAt: schema.jobs.finishedAt,
        itemStartedAt: schema.benchmarkItems.startedAt,
        itemFinishedAt: schema.benchmarkItems.finishedAt,
      })
      .from(schema.jobs)
      .innerJoin(schema.benchmarkItems, eq(sql`${schema.jobs.payload}->>'itemId'`, sql`${schema.benchmarkItems.id}::text`))
      .where(eq(schema.benchmarkItems.runId, runId));
    const quantiles = (xs: number[]) => {
      const sorted = [...xs].sort((a, b) => a - b);
      return { p50: sorted[Math.floor(sorted.length / 2)], p90: sorted[Math.floor(sorted.length * 0.9)], max: sorted.at(-1) };
    };
    // The first start, split: createRun's transaction until the first claim, then that job's set-up.
    const firstClaimMs = Math.min(...slots.map((s) => s.claimedAt!.getTime())) - run!.createdAt.getTime();
    const setUpMs = quantiles(slots.map((s) => s.itemStartedAt!.getTime() - s.claimedAt!.getTime()));
    const wrapUpMs = quantiles(slots.map((s) => s.jobFinishedAt!.getTime() - s.itemFinishedAt!.getTime()));
    // Each model call as the worker timed it (request sent to reply parsed), against the fixed latency L.
    const callMs = quantiles(
      (await db.select({ ms: schema.messages.generationMs }).from(schema.messages)).map((m) => m.ms ?? 0),
    );
    // Share of the run's slot-time (C slots × wall) spent inside conversations.
    const slotUse = Number((durations.reduce((a, b) => a + b, 0) / (C * wallMs)).toFixed(3));
    const firstStartMs = Math.min(...items.map((i) => i.startedAt!.getTime())) - run!.createdAt.getTime();
    const perConversationMs = (2 * T + 3) * L;
    const idealMs = Math.ceil(total / C) * perConversationMs;
    const fluidMs = (total / C) * perConversationMs;
    const avg = (xs: { rss: number }[]) => xs.reduce((a, s) => a + s.rss, 0) / Math.max(1, xs.length);
    const rssSummary = samples.map((ws, i) => {
      const quarter = Math.max(1, Math.floor(ws.length / 4));
      return {
        idle: idleRss[i] === null ? null : Math.round(idleRss[i]!),
        quarterAvgs: [0, 1, 2, 3].map((q) => Math.round(avg(ws.slice(q * quarter, q === 3 ? undefined : (q + 1) * quarter)))),
        max: Math.round(Math.max(...ws.map((s) => s.rss))),
        samples: ws.length,
      };
    });
    const result = {
      date: new Date().toISOString(),
      machine: `${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.versions.node}, load avg ${loadAtStart.toFixed(1)} → ${os.loadavg()[0]!.toFixed(1)}`,
      conversations: total,
      turns: T,
      concurrency: C,
      latencyMs: L,
      status: run!.status,
      completed: completed!.n,
      messages: messages!.n,
      tokens: usage.promptTokens + usage.completionTokens,
      wallMs,
      idealMs,
      fluidIdealMs: Math.round(fluidMs),
      ratioToIdeal: Number((wallMs / idealMs).toFixed(3)),
      ratioToFluidIdeal: Number((wallMs / fluidMs).toFixed(3)),
      targetMet: wallMs <= 1.2 * idealMs,
      conversationMs: { ideal: perConversationMs, ...quantiles(durations) },
      firstStartMs,
      firstClaimMs,
      setUpMs,
      callMs,
      wrapUpMs,
      slotUse,
      workers: W,
      workerRssMb: rssSummary,
      // From worker ready to run completed; includes the worker's queue polling and first-call warm-up.
      workerCpuMs: cpuUsed.slice(0, W),
      workerCpuMsPerConversation: Math.round(cpuUsed.slice(0, W).reduce((a: number, b) => a + (b ?? 0), 0) / total),
      fakeEndpointCpuMs: cpuUsed[W],
    };
    console.log(JSON.stringify(result, null, 2));
    await Promise.all(workers.map((w) => (w.kill('SIGTERM'), new Promise((r) => w.once('exit', r)))));
    await closeDb();
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    await dropTestDatabase(databaseUrl);
  }
}
