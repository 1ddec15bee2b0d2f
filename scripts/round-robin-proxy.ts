/**
 * A tiny round-robin HTTP load balancer for tests and benchmarks of several web processes on one database
 * (bench/multi-process.ts, e2e/multi-process.spec.ts). Loopback only; not for production (use nginx, HAProxy,
 * a cloud load balancer…). Written on node:http because it must stream SSE unbuffered, start in milliseconds
 * and behave like the simplest balancer a researcher might put in front (no stickiness).
 *
 * - Each request goes to the next healthy backend in turn (GET /api/health every HEALTH_CHECK_MS, as a
 *   load balancer's health check; a stopping web process answers 503). A backend that refuses the connection
 *   (stopped or restarting) is skipped and the request goes to the next one: it was never delivered, so this is safe for
 *   any method. A connection that breaks after the request was sent is answered 502 (the client retries; the
 *   app's writes are idempotent by client ids).
 * - Sends `X-Forwarded-For`, `X-Forwarded-Host` and `X-Forwarded-Proto` (http here; a TLS-terminating proxy
 *   must send https so the app marks its cookies Secure).
 *
 * CLI: npx tsx scripts/round-robin-proxy.ts --port 3300 http://127.0.0.1:3301 http://127.0.0.1:3302 …
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';

export interface RoundRobinProxy {
  url: string;
  port: number;
  /** Requests answered 502 because the backend broke the connection after receiving them. */
  failures: () => number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 2 * 1024 * 1024;
const HEALTH_CHECK_MS = 250;
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

export async function startRoundRobinProxy(opts: { port?: number; backends: string[] }): Promise<RoundRobinProxy> {
  const backends = opts.backends.map((b) => new URL(b));
  if (backends.length === 0) throw new Error('at least one backend is needed');
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  let next = 0;
  let failures = 0;
  const healthy = backends.map(() => true);
  let checking = true;
  const checks = backends.map(async (backend, i) => {
    while (checking) {
      try {
        const res = await fetch(new URL('/api/health', backend), { signal: AbortSignal.timeout(2_000) });
        healthy[i] = res.ok;
        await res.body?.cancel();
      } catch {
        healthy[i] = false;
      }
      await new Promise((r) => setTimeout(r, HEALTH_CHECK_MS));
    }
  });
  /** Backends to try for one request, healthy ones first, starting at the next in turn. */
  const order = () => {
    const first = next++ % backends.length;
    const all = backends.map((_, k) => (first + k) % backends.length);
    return [...all.filter((i) => healthy[i]), ...all.filter((i) => !healthy[i])];
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        res.writeHead(413).end();
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const headers: http.OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(name) && value !== undefined) headers[name] = value;
      headers['x-forwarded-for'] = req.socket.remoteAddress ?? '127.0.0.1';
      headers['x-forwarded-host'] = req.headers.host ?? '';
      headers['x-forwarded-proto'] = 'http';
      headers['content-length'] = String(body.length);
      const candidates = order();
      const attempt = (tried: number) => {
        const backend = backends[candidates[tried]!]!;
        const upstream = http.request(
          { host: backend.hostname, port: backend.port, method: req.method, path: req.url, headers, agent },
          (response) => {
            const out: http.OutgoingHttpHeaders = {};
            for (const [name, value] of Object.entries(response.headers)) if (!HOP_BY_HOP.has(name) && value !== undefined) out[name] = value;
            res.writeHead(response.statusCode ?? 502, out);
            res.flushHeaders();
            response.pipe(res);
            response.on('error', () => res.destroy());
            response.on('aborted', () => res.destroy());
          },
        );
        upstream.on('error', (error: NodeJS.ErrnoException) => {
          if (res.headersSent) return void res.destroy();
          // Refused: nothing was delivered, so the next backend may take it.
          if (error.code === 'ECONNREFUSED' && tried + 1 < backends.length) return attempt(tried + 1);
          failures += 1;
          res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'bad gateway' }));
        });
        res.on('close', () => upstream.destroy());
        upstream.end(body);
      };
      attempt(0);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    failures: () => failures,
    close: () =>
      new Promise<void>((resolve) => {
        checking = false;
        server.closeAllConnections();
        agent.destroy();
        server.close(() => void Promise.all(checks).then(() => resolve()));
      }),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const argv = process.argv.slice(2);
  const portIndex = argv.indexOf('--port');
  const port = portIndex >= 0 ? Number(argv.splice(portIndex, 2)[1]) : 0;
  const proxy = await startRoundRobinProxy({ port, backends: argv });
  process.stdout.write(`Round-robin proxy at ${proxy.url} → ${argv.join(', ')}\n`);
  const stop = () => void proxy.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
