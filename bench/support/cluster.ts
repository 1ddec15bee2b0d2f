/**
 * The supported scale-out, started locally: N web processes (`next start` on one build) behind the
 * round-robin proxy, one `npm run worker`, one Postgres database, a fake OpenAI-compatible endpoint.
 * Web processes can be restarted one at a time with SIGTERM or SIGKILL. Loopback only.
 * Used by bench/multi-process.ts and e2e/multi-process.spec.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startRoundRobinProxy, type RoundRobinProxy } from '../../scripts/round-robin-proxy';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface ClusterOptions {
  distDir: string;
  databaseUrl: string;
  authSecret: string;
  /** The proxy listens here; web process i on basePort + 1 + i. */
  basePort: number;
  webProcesses: number;
  logDir: string;
  extraEnv?: Record<string, string>;
}

export interface Cluster {
  url: string;
  proxy: RoundRobinProxy;
  webPorts: number[];
  /** The operating-system pid of web process i (its `web_processes.pid`). */
  webPid(i: number): number;
  /** Stops web process i with the signal, waits for it to exit, starts it again and waits until it is healthy. */
  restart(i: number, signal: 'SIGTERM' | 'SIGKILL'): Promise<{ exitedAfterMs: number }>;
  stop(): Promise<void>;
}

async function waitHealthy(url: string, timeoutMs: number, log: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`${url} did not become healthy in ${timeoutMs} ms; see ${log}`);
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  fs.mkdirSync(opts.logDir, { recursive: true });
  const proxyPort = opts.basePort;
  const webPorts = Array.from({ length: opts.webProcesses }, (_, i) => opts.basePort + 1 + i);
  const publicUrl = `http://127.0.0.1:${proxyPort}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: opts.databaseUrl,
    AUTH_SECRET: opts.authSecret,
    NEXTAUTH_URL: publicUrl,
    NEXT_DIST_DIR: opts.distDir,
    // Jobs run in the worker process; the web processes only serve.
    RUN_JOBS_IN_APP: 'false',
    LOG_LEVEL: 'warn',
    ...opts.extraEnv,
  };
  const nextBin = path.join(process.cwd(), 'node_modules', 'next', 'dist', 'bin', 'next');
  const web: ChildProcess[] = [];
  const logOf = (name: string) => path.join(opts.logDir, `${name}.log`);
  const spawnWeb = (i: number) => {
    const out = fs.openSync(logOf(`web-${i}`), 'a');
    // Its own process group, so a signal reaches the server and nothing else.
    web[i] = spawn(process.execPath, [nextBin, 'start', '-p', String(webPorts[i]), '-H', '127.0.0.1'], { env, stdio: ['ignore', out, out], detached: true });
  };
  // All at once on a fresh database: migrations must run exactly once (advisory lock in db/index.ts).
  webPorts.forEach((_, i) => spawnWeb(i));
  const workerOut = fs.openSync(logOf('worker'), 'a');
  const worker = spawn(process.execPath, ['--import', 'tsx', 'scripts/worker.ts'], { env, stdio: ['ignore', workerOut, workerOut], detached: true });
  await Promise.all(webPorts.map((port, i) => waitHealthy(`http://127.0.0.1:${port}`, 180_000, logOf(`web-${i}`))));
  const proxy = await startRoundRobinProxy({ port: proxyPort, backends: webPorts.map((p) => `http://127.0.0.1:${p}`) });

  const kill = (child: ChildProcess, signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  return {
    url: proxy.url,
    proxy,
    webPorts,
    webPid: (i) => web[i]!.pid!,
    async restart(i, signal) {
      const started = Date.now();
      const child = web[i]!;
      kill(child, signal);
      await exited(child);
      const exitedAfterMs = Date.now() - started;
      spawnWeb(i);
      await waitHealthy(`http://127.0.0.1:${webPorts[i]}`, 180_000, logOf(`web-${i}`));
      return { exitedAfterMs };
    },
    async stop() {
      await proxy.close();
      for (const child of [...web, worker]) kill(child, 'SIGTERM');
      const all = Promise.all([...web, worker].map(exited));
      const timer = setTimeout(() => [...web, worker].forEach((c) => kill(c, 'SIGKILL')), 20_000);
      await all;
      clearTimeout(timer);
    },
  };
}
