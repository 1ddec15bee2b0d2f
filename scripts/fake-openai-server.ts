/**
 * A local OpenAI-compatible endpoint for tests, e2e runs and benchmarks: the only fake in the
 * test suite, so the real `openai` SDK talks real HTTP to it.
 *
 * Written on node:http without dependencies because it must start in milliseconds inside
 * vitest workers and Playwright's web-server script, and it needs failure modes (hang, cut
 * stream, Retry-After) that off-the-shelf mock servers do not script per request.
 *
 * In-process:  const fake = await startFakeOpenAIServer({ tokenDelayMs: 5 });
 *              fake.failNext({ kind: 'status', status: 429, retryAfterSeconds: 1 });
 * Over HTTP (another process, e.g. a Playwright spec):
 *              POST {root}/__fake/fail-next   body: FakeFailure | FakeFailure[]
 *              POST {root}/__fake/replies     body: string[]  (queued reply texts)
 *              GET  {root}/__fake/requests    → RecordedRequest[]
 *              POST {root}/__fake/reset       clears failures, replies and recorded requests
 * CLI:         npx tsx scripts/fake-openai-server.ts --port 4010 --latency-ms 100 [--ttft-ms 200]
 *              [--token-delay-ms 10] [--api-key KEY] [--no-usage] [--host 127.0.0.1]
 */
import http from 'node:http';
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { createFakeFineTuning, type FakeFineTuning } from './fake-fine-tuning';

export type FakeFailure =
  /** Answer with this HTTP status (429/500/503/401/400…); Retry-After is sent when given. */
  | { kind: 'status'; status: number; retryAfterSeconds?: number; message?: string }
  /** Accept the request and never answer (the client's timeout must fire). */
  | { kind: 'hang' }
  /** Stream this many content chunks, then destroy the connection without finishing. */
  | { kind: 'cut'; afterChunks: number };

export interface RecordedRequest {
  method: string;
  path: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Parsed JSON body (null when absent or not JSON). */
  body: ChatRequestBody | null;
  /** Which failure, if any, was applied to this request. */
  failure: FakeFailure | null;
  receivedAt: number;
}

export interface ChatRequestBody {
  model?: string;
  messages?: { role: string; content: unknown }[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  response_format?: { type?: string };
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  max_completion_tokens?: number;
  [key: string]: unknown;
}

/** Produces the reply text for a chat request (e.g. JSON for simulator/judge tests). */
export type FakeResponder = (request: RecordedRequest) => string | Promise<string>;

export interface FakeOpenAIServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Delay before the response headers / non-streamed body. */
  latencyMs?: number;
  /** Extra delay between the headers and the first streamed token (time to first token = latency + ttft). */
  ttftMs?: number;
  /** Delay between streamed chunks. */
  tokenDelayMs?: number;
  /** When set, requests must carry `Authorization: Bearer <apiKey>`, otherwise 401. */
  apiKey?: string;
  /** Simulate an endpoint that never reports token usage. */
  omitUsage?: boolean;
  /** Model ids listed by GET /v1/models. */
  models?: string[];
  /**
   * Answer 400 when a request carries one of these body fields, the way some endpoints do
   * (newer OpenAI models reject `max_tokens`; some local servers reject `response_format`).
   */
  rejectParams?: ('max_tokens' | 'response_format' | 'temperature' | 'top_p' | 'seed')[];
  responder?: FakeResponder;
  /**
   * Keep every request for inspection (default). Benchmarks turn this off: tens of thousands of recorded
   * bodies would grow this process's heap and its garbage collection would add to every call's latency.
   */
  recordRequests?: boolean;
}

export interface FakeOpenAIServer {
  /** Base URL for the SDK, ending with /v1. */
  url: string;
  port: number;
  /** Every /v1 request received, in order (control calls under /__fake are not recorded). */
  requests: RecordedRequest[];
  /** Queue failures for the next requests to /v1/chat/completions, in order. */
  failNext(...failures: FakeFailure[]): void;
  /** Queue literal reply texts for the next successful chat requests (before the responder). */
  queueReplies(...texts: string[]): void;
  setResponder(fn: FakeResponder | null): void;
  /** Files and fine-tuning endpoints (scripts/fake-fine-tuning.ts): scripts, injected failures, state. */
  fineTuning: FakeFineTuning;
  /** Clear queued failures and replies and recorded requests (and fine-tuning state). */
  reset(): void;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function messageText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content.map((p) => (p && typeof p === 'object' && 'text' in p ? String(p.text) : '')).join(' ');
  return '';
}

const fillerWords = [
  'certainly', 'here', 'is', 'a', 'short', 'answer', 'with', 'some', 'useful', 'detail', 'about', 'that',
  'request', 'and', 'a', 'suggestion', 'for', 'what', 'to', 'try', 'next', 'today',
];

/** Same last user message → same reply, so tests can assert exact text. */
export function defaultFakeReply(body: ChatRequestBody | null): string {
  const messages = body?.messages ?? [];
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  const text = messageText(lastUser?.content).trim();
  if (body?.response_format?.type === 'json_object') return JSON.stringify({ reply: `echo: ${text.slice(0, 80)}` });
  const digest = crypto.createHash('sha256').update(text).digest();
  const extra = Array.from({ length: 8 }, (_, i) => fillerWords[digest[i]! % fillerWords.length]).join(' ');
  return `Fake reply to "${text.slice(0, 60)}": ${extra}.`;
}

/** Splits text into stream chunks that concatenate back to exactly the text. */
function chunksOf(text: string): string[] {
  return text.match(/\s*\S+/g) ?? (text ? [text] : []);
}

/** A crude but deterministic token count: the fake only needs stable, plausible numbers. */
function roughTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

function sendJson(res: http.ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(payload));
}

export async function startFakeOpenAIServer(opts: FakeOpenAIServerOptions = {}): Promise<FakeOpenAIServer> {
  const host = opts.host ?? '127.0.0.1';
  const latencyMs = opts.latencyMs ?? 0;
  const ttftMs = opts.ttftMs ?? 0;
  const tokenDelayMs = opts.tokenDelayMs ?? 0;
  const models = opts.models ?? ['fake-model'];
  const requests: RecordedRequest[] = [];
  const failures: FakeFailure[] = [];
  const replies: string[] = [];
  let responder: FakeResponder | null = opts.responder ?? null;
  const hanging = new Set<http.ServerResponse>();
  const recordRequests = opts.recordRequests ?? true;
  let served = 0;
  const fineTuning = createFakeFineTuning();

  async function handleChat(req: http.IncomingMessage, res: http.ServerResponse, record: RecordedRequest) {
    const failure = failures.shift() ?? null;
    record.failure = failure;
    if (latencyMs) await sleep(latencyMs);

    if (opts.apiKey !== undefined && record.headers.authorization !== `Bearer ${opts.apiKey}`) {
      // Real providers echo part of a wrong key; echo it whole so the client's redaction is tested.
      const sent = (record.headers.authorization ?? '').replace(/^Bearer /, '');
      return sendJson(res, 401, { error: { message: `Incorrect API key provided: ${sent}`, type: 'invalid_request_error', code: 'invalid_api_key' } });
    }
    if (failure?.kind === 'status') {
      const headers: Record<string, string> = {};
      if (failure.retryAfterSeconds !== undefined) headers['retry-after'] = String(failure.retryAfterSeconds);
      const sent = (record.headers.authorization ?? '').replace(/^Bearer /, '');
      const message = failure.message ?? (failure.status === 401 ? `Incorrect API key provided: ${sent}` : `Injected failure ${failure.status}`);
      return sendJson(res, failure.status, { error: { message, type: 'fake_failure', code: String(failure.status) } }, headers);
    }
    if (failure?.kind === 'hang') {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }

    const body = record.body;
    if (!body || !Array.isArray(body.messages)) {
      return sendJson(res, 400, { error: { message: 'messages must be an array', type: 'invalid_request_error' } });
    }
    const rejected = (opts.rejectParams ?? []).find((p) => body[p] !== undefined);
    if (rejected) {
      const message =
        rejected === 'max_tokens'
          ? "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead."
          : `Unsupported parameter: '${rejected}' is not supported by this server.`;
      return sendJson(res, 400, { error: { message, type: 'invalid_request_error', param: rejected, code: 'unsupported_parameter' } });
    }
    const model = body.model ?? models[0]!;
    const text = replies.length ? replies.shift()! : responder ? await responder(record) : defaultFakeReply(body);
    const promptTokens = roughTokens(body.messages.map((m) => messageText(m.content)).join('\n'));
    const usage = { prompt_tokens: promptTokens, completion_tokens: roughTokens(text), total_tokens: 0 };
    usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
    const id = `chatcmpl-fake-${++served}`;
    const created = Math.floor(Date.now() / 1000);

    if (!body.stream) {
      return sendJson(res, 200, {
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop', logprobs: null }],
        ...(opts.omitUsage ? {} : { usage }),
      });
    }

    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const write = (payload: unknown) => res.write(`data: ${JSON.stringify(payload)}\n\n`);
    const chunk = (delta: Record<string, unknown>, finish: string | null) => ({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
    });
    write(chunk({ role: 'assistant', content: '' }, null));
    if (ttftMs) await sleep(ttftMs);
    const pieces = chunksOf(text);
    for (const [i, piece] of pieces.entries()) {
      if (failure?.kind === 'cut' && i >= failure.afterChunks) {
        res.socket?.destroy();
        return;
      }
      if (res.destroyed) return;
      if (i > 0 && tokenDelayMs) await sleep(tokenDelayMs);
      write(chunk({ content: piece }, null));
    }
    if (failure?.kind === 'cut') {
      res.socket?.destroy();
      return;
    }
    write(chunk({}, 'stop'));
    if (body.stream_options?.include_usage && !opts.omitUsage) {
      write({ id, object: 'chat.completion.chunk', created, model, choices: [], usage });
    }
    res.write('data: [DONE]\n\n');
    res.end();
  }

  async function handleControl(req: http.IncomingMessage, res: http.ServerResponse, path: string, raw: string) {
    let payload: unknown = null;
    try {
      payload = raw ? JSON.parse(raw) : null;
    } catch {
      return sendJson(res, 400, { error: 'body must be JSON' });
    }
    if (path.startsWith('/__fake/fine-tuning/')) {
      const reply = fineTuning.control(req.method ?? 'GET', path, payload);
      if (reply) return sendJson(res, reply.status, reply.body);
    }
    if (path === '/__fake/requests' && req.method === 'GET') return sendJson(res, 200, requests);
    if (path === '/__fake/reset' && req.method === 'POST') {
      server.reset();
      return sendJson(res, 200, { ok: true });
    }
    if (path === '/__fake/fail-next' && req.method === 'POST') {
      const list = (Array.isArray(payload) ? payload : [payload]) as FakeFailure[];
      if (!list.every((f) => f && typeof f === 'object' && ['status', 'hang', 'cut'].includes((f as FakeFailure).kind)))
        return sendJson(res, 400, { error: 'expected FakeFailure or FakeFailure[]' });
      server.failNext(...list);
      return sendJson(res, 200, { queued: failures.length });
    }
    if (path === '/__fake/replies' && req.method === 'POST') {
      if (!Array.isArray(payload) || !payload.every((t) => typeof t === 'string'))
        return sendJson(res, 400, { error: 'expected an array of strings' });
      server.queueReplies(...(payload as string[]));
      return sendJson(res, 200, { queued: replies.length });
    }
    return sendJson(res, 404, { error: 'unknown control route' });
  }

  const httpServer = http.createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? '/', 'http://fake').pathname;
      const raw = await readBody(req);
      if (path.startsWith('/__fake/')) return handleControl(req, res, path, raw);
      let body: ChatRequestBody | null = null;
      try {
        body = raw ? (JSON.parse(raw) as ChatRequestBody) : null;
      } catch {
        body = null;
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      const record: RecordedRequest = { method: req.method ?? 'GET', path, headers, body, failure: null, receivedAt: Date.now() };
      if (recordRequests) requests.push(record);
      if (path === '/v1/models' && req.method === 'GET') {
        return sendJson(res, 200, { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'fake' })) });
      }
      if (path === '/v1/chat/completions' && req.method === 'POST') return handleChat(req, res, record);
      if (fineTuning.handles(path)) {
        if (latencyMs) await sleep(latencyMs);
        if (opts.apiKey !== undefined && record.headers.authorization !== `Bearer ${opts.apiKey}`)
          return sendJson(res, 401, { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' } });
        const reply = await fineTuning.handle(req.method ?? 'GET', new URL(req.url ?? '/', 'http://fake'), raw, req.headers);
        return sendJson(res, reply.status, reply.body, reply.headers);
      }
      return sendJson(res, 404, { error: { message: `No route ${req.method} ${path}`, type: 'not_found' } });
    })().catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: String((err as Error).message ?? err) } });
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;

  const server: FakeOpenAIServer = {
    url: `http://${host}:${port}/v1`,
    port,
    requests,
    failNext: (...list) => void failures.push(...list),
    queueReplies: (...texts) => void replies.push(...texts),
    setResponder: (fn) => void (responder = fn),
    fineTuning,
    reset() {
      fineTuning.reset();
      failures.length = 0;
      replies.length = 0;
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        httpServer.closeAllConnections();
        httpServer.close(() => resolve());
      }),
  };
  return server;
}

function parseArgs(argv: string[]): FakeOpenAIServerOptions {
  const opts: FakeOpenAIServerOptions = {};
  const num = (name: string, value: string | undefined) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${name} needs a non-negative number`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = () => argv[++i];
    switch (arg) {
      case '--port': opts.port = num(arg, next()); break;
      case '--host': opts.host = next(); break;
      case '--latency-ms': opts.latencyMs = num(arg, next()); break;
      case '--ttft-ms': opts.ttftMs = num(arg, next()); break;
      case '--token-delay-ms': opts.tokenDelayMs = num(arg, next()); break;
      case '--api-key': opts.apiKey = next(); break;
      case '--no-usage': opts.omitUsage = true; break;
      case '--models': opts.models = (next() ?? '').split(',').filter(Boolean); break;
      case '--reject-params': opts.rejectParams = (next() ?? '').split(',').filter(Boolean) as FakeOpenAIServerOptions['rejectParams']; break;
      default: throw new Error(`Unknown option ${arg}. Options: --port --host --latency-ms --ttft-ms --token-delay-ms --api-key --no-usage --models a,b --reject-params max_tokens,response_format`);
    }
  }
  return opts;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const server = await startFakeOpenAIServer(parseArgs(process.argv.slice(2)));
  process.stdout.write(`Fake OpenAI-compatible server listening at ${server.url}\n`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
