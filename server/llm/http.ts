/**
 * The HTTP client under the `openai` SDK: undici's `request` API on a shared keep-alive pool, handed to
 * the SDK as its `fetch`.
 *
 * Why not the global `fetch`: in Node 20 every fetch builds WHATWG Request/Response objects, tees and
 * transfers web streams and wires abort listeners, about 1 ms of CPU per call. A benchmark worker makes
 * tens of thousands of calls, and in its CPU profile fetch was the largest single cost (a quarter of the
 * busy time). `request` is the same library's low-level API (it is what fetch is built on) without
 * those layers. The SDK only reads `status`, `ok`, `url`, `headers`, `body` (an async iterable of bytes
 * for SSE, or cancelled) and `json()`/`text()` from a response, which `EndpointResponse` provides; the
 * SDK's own tests of these paths are ours too (client.test.ts drives streaming, usage, timeouts, cut
 * streams, 429/5xx with Retry-After and terminal errors through this module).
 * Requests this adapter does not handle (non-string bodies, e.g. file uploads) fall back to `fetch`.
 */
import { Agent, request, type Dispatcher } from 'undici';

/** A reply larger than this is refused: no chat completion comes near it, a misbehaving server might. */
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

let agent: Agent | undefined;
function sharedAgent(): Agent {
  agent ??= new Agent({ keepAliveTimeout: 30_000, maxResponseSize: MAX_RESPONSE_BYTES });
  return agent;
}

class EndpointResponse {
  readonly statusText = '';
  readonly redirected = false;
  readonly type = 'basic';
  constructor(
    readonly status: number,
    readonly headers: Headers,
    readonly url: string,
    readonly body: Dispatcher.ResponseData['body'],
  ) {}
  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }
  get bodyUsed(): boolean {
    return this.body.bodyUsed;
  }
  json(): Promise<unknown> {
    return this.body.json();
  }
  text(): Promise<string> {
    return this.body.text();
  }
  arrayBuffer(): Promise<ArrayBuffer> {
    return this.body.arrayBuffer();
  }
}

function headerRecord(headers: HeadersInit | undefined): Record<string, string> {
  if (!headers) return {};
  if (headers instanceof Headers) return Object.fromEntries(headers);
  if (Array.isArray(headers)) return Object.fromEntries(headers);
  return headers as Record<string, string>;
}

function responseHeaders(raw: Dispatcher.ResponseData['headers']): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  return headers;
}

/** `fetch` for the OpenAI client (see the module comment). */
export async function endpointFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  if (input instanceof Request || (init.body != null && typeof init.body !== 'string')) return fetch(input, init);
  const url = String(input);
  const response = await request(url, {
    dispatcher: sharedAgent(),
    method: (init.method ?? 'GET') as Dispatcher.HttpMethod,
    headers: headerRecord(init.headers),
    body: init.body ?? null,
    signal: init.signal ?? undefined,
  });
  return new EndpointResponse(response.statusCode, responseHeaders(response.headers), url, response.body) as unknown as Response;
}
