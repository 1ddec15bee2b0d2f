/**
 * Chat generation against any OpenAI-compatible endpoint, or the offline demo model when the
 * target has no connection. The only module that imports `openai`.
 *
 * The retry policy is ours (the SDK's retries are switched off) so that every retry is visible to
 * the caller: `onRetry`, `reset` events after partial output, and `attempts` on the result.
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { ChatCompletionCreateParamsBase } from 'openai/resources/chat/completions';
import { env } from '../env';
import { logger } from '../lib/logger';
import { demoComplete, demoStream, isDemoStyle } from './demo-model';
import { endpointFetch } from './http';
import { withoutNul } from '../lib/text';
import { abortableSleep, LlmError } from './errors';
import { countPromptTokens, countTokens } from './tokens';
import type {
  CallOptions,
  ChatMessage,
  Completion,
  LlmFailureReason,
  ModelTarget,
  RetryInfo,
  StreamEvent,
  Usage,
} from './types';

export type * from './types';
export { countTokens } from './tokens';

export { LlmError } from './errors';

const MAX_BACKOFF_MS = 30_000;
const MAX_RETRY_AFTER_MS = 60_000;

/** Removes the key (and anything shaped like a provider key) from text that may reach logs or UIs. */
export function redactSecrets(text: string, apiKey: string | null | undefined): string {
  let out = text;
  if (apiKey && apiKey.length >= 4) out = out.split(apiKey).join('[redacted]');
  return out.replace(/\b(sk|rk|pk)-[A-Za-z0-9_*.-]{6,}/g, '[redacted]').replace(/Bearer\s+\S+/gi, 'Bearer [redacted]');
}

const clients = new Map<string, OpenAI>();

function clientFor(connection: NonNullable<ModelTarget['connection']>): OpenAI {
  const cacheKey = `${connection.baseUrl}\u0000${connection.apiKey ?? ''}`;
  let client = clients.get(cacheKey);
  if (!client) {
    client = new OpenAI({
      baseURL: connection.baseUrl,
      // Local servers (vLLM, Ollama) accept any key; the SDK insists on one.
      apiKey: connection.apiKey ?? 'no-key',
      maxRetries: 0,
      timeout: env.LLM_TIMEOUT_MS,
      fetch: endpointFetch,
    });
    // A handful of connections per process at most; the cap only guards against key churn.
    if (clients.size > 50) clients.clear();
    clients.set(cacheKey, client);
  }
  return client;
}

/**
 * Request shapes some endpoints insist on, learned from their 400 answers and remembered per
 * endpoint and model: newer OpenAI models reject `max_tokens` in favour of `max_completion_tokens`,
 * and some local servers reject `response_format` or `seed`. The adaptations keep the request's meaning
 * (the JSON instruction stays in the prompt; a seed only asks for repeatable sampling), so we adapt once
 * instead of failing the call.
 */
interface Dialect {
  maxCompletionTokens: boolean;
  noResponseFormat: boolean;
  noSeed: boolean;
}
const dialects = new Map<string, Dialect>();
const dialectKey = (target: ModelTarget) => `${target.connection?.baseUrl}\u0000${target.model}`;

function requestBody(target: ModelTarget, messages: ChatMessage[], dialect: Dialect): ChatCompletionCreateParamsBase {
  return {
    model: target.model,
    messages,
    ...(target.temperature !== undefined && { temperature: target.temperature }),
    ...(target.topP !== undefined && { top_p: target.topP }),
    ...(target.maxTokens !== undefined && (dialect.maxCompletionTokens ? { max_completion_tokens: target.maxTokens } : { max_tokens: target.maxTokens })),
    ...(target.json && !dialect.noResponseFormat && { response_format: { type: 'json_object' as const } }),
    ...(target.seed !== undefined && !dialect.noSeed && { seed: target.seed }),
  };
}

/** If a 400 names a parameter we can express differently, the adapted dialect; otherwise undefined. */
function adaptDialect(failure: Failure, target: ModelTarget, dialect: Dialect): Dialect | undefined {
  if (failure.reason !== 'bad_request') return undefined;
  const text = failure.message.toLowerCase();
  if (target.maxTokens !== undefined && !dialect.maxCompletionTokens && text.includes('max_tokens') && text.includes('max_completion_tokens'))
    return { ...dialect, maxCompletionTokens: true };
  if (target.json && !dialect.noResponseFormat && text.includes('response_format')) return { ...dialect, noResponseFormat: true };
  if (target.seed !== undefined && !dialect.noSeed && text.includes('seed')) return { ...dialect, noSeed: true };
  return undefined;
}

/** Applies a learned adaptation: remembered for later calls, and the next attempt starts at once. */
function learn(target: ModelTarget, dialect: Dialect) {
  if (dialects.size > 200) dialects.clear();
  dialects.set(dialectKey(target), dialect);
  logger.info('llm endpoint needs an adapted request', { model: target.model, ...dialect });
}

interface Failure {
  kind: 'retryable' | 'terminal';
  reason: LlmFailureReason;
  status?: number;
  message: string;
  retryAfterMs?: number;
}

function retryAfterMs(headers: Headers | undefined): number | undefined {
  if (!headers) return undefined;
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.get('retry-after-ms') && Number.isFinite(ms)) return ms;
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

const terminalReasons: Record<number, LlmFailureReason> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  422: 'bad_request',
};

/** Turns whatever the SDK or the network threw into our classification. */
function classify(err: unknown, ctx: { timedOut: boolean; aborted: boolean; apiKey: string | null; timeoutMs: number }): Failure {
  const clean = (m: string) => redactSecrets(m, ctx.apiKey);
  if (ctx.aborted) return { kind: 'terminal', reason: 'aborted', message: 'The request was cancelled.' };
  if (ctx.timedOut || err instanceof APIConnectionTimeoutError)
    return { kind: 'retryable', reason: 'timeout', message: `The model endpoint did not respond within ${ctx.timeoutMs} ms.` };
  if (err instanceof APIUserAbortError) return { kind: 'terminal', reason: 'aborted', message: 'The request was cancelled.' };
  if (err instanceof APIConnectionError)
    return { kind: 'retryable', reason: 'connection', message: clean(`Could not reach the model endpoint: ${err.cause instanceof Error ? err.cause.message : err.message}`) };
  if (err instanceof APIError) {
    const status = err.status;
    const detail = clean(err.message);
    if (status === undefined)
      return { kind: 'retryable', reason: 'stream_broken', message: `The model endpoint reported an error mid-stream: ${detail}` };
    if (status === 429)
      return { kind: 'retryable', reason: 'rate_limited', status, message: `The model endpoint is rate limiting requests (429): ${detail}`, retryAfterMs: retryAfterMs(err.headers) };
    if (status >= 500 || status === 408 || status === 409)
      return { kind: 'retryable', reason: 'server_error', status, message: `The model endpoint failed (${status}): ${detail}`, retryAfterMs: retryAfterMs(err.headers) };
    const reason = terminalReasons[status] ?? 'bad_request';
    const hint =
      reason === 'unauthorized'
        ? 'The API key was rejected; check the connection\'s key.'
        : reason === 'forbidden'
          ? 'The API key is not allowed to use this model or endpoint.'
          : reason === 'not_found'
            ? 'The endpoint or model was not found; check the base URL (usually ending in /v1) and the model id.'
            : 'The endpoint rejected the request.';
    return { kind: 'terminal', reason, status, message: `${hint} (${status}: ${detail})` };
  }
  if (err instanceof StreamBrokenError) return { kind: 'retryable', reason: 'stream_broken', message: err.message };
  // Undici reports a dropped socket mid-body as a bare TypeError ("terminated"); treat unknown I/O failures as transient.
  const message = err instanceof Error ? err.message : String(err);
  return { kind: 'retryable', reason: 'connection', message: clean(`The connection to the model endpoint failed: ${message}`) };
}

class StreamBrokenError extends Error {}

/**
 * For the sibling modules that call other parts of the same API (server/llm/fine-tuning.ts): the shared SDK client
 * of a connection and our classification of its failures, so `openai` is still imported here only.
 */
export const sdkClientFor = (connection: NonNullable<ModelTarget['connection']>) => clientFor(connection);
export const classifyLlmFailure = (err: unknown, apiKey: string | null, signal?: AbortSignal) =>
  classify(err, { timedOut: false, aborted: signal?.aborted ?? false, apiKey, timeoutMs: env.LLM_TIMEOUT_MS });

function backoffMs(attempt: number, failure: Failure): number {
  if (failure.retryAfterMs !== undefined) return Math.min(Math.max(0, failure.retryAfterMs), MAX_RETRY_AFTER_MS);
  // "Equal jitter": half fixed, half random, so retries spread out yet never fire instantly.
  const ceiling = Math.min(MAX_BACKOFF_MS, env.LLM_RETRY_BASE_MS * 2 ** (attempt - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/** One attempt's cancellation: the caller's signal plus our own timer (the SDK's timeout stops at the headers). */
function attemptScope(signal: AbortSignal | undefined, timeoutMs: number) {
  const controller = new AbortController();
  const state = { timedOut: false };
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      state.timedOut = true;
      controller.abort();
    }, timeoutMs);
  };
  const onAbort = () => controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  arm();
  return {
    signal: controller.signal,
    state,
    /** Restart the inactivity timer (called on every streamed chunk). */
    touch: arm,
    /**
     * Ends the attempt. Aborting is only needed while the response body may still be open: aborting a call
     * that already read its whole body builds a DOMException and walks undici's listeners on every call
     * (about 3% of a benchmark worker's CPU) for nothing.
     */
    dispose(bodyConsumed = false) {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (!bodyConsumed) controller.abort();
    },
  };
}

function giveUp(failure: Failure, attempts: number, apiKey: string | null): LlmError {
  const suffix = failure.kind === 'retryable' && attempts > 1 ? ` (gave up after ${attempts} attempts)` : '';
  return new LlmError(redactSecrets(failure.message, apiKey) + suffix, failure.kind, failure.reason, failure.status, attempts);
}

function noteRetry(opts: CallOptions, info: RetryInfo, target: ModelTarget) {
  logger.warn('llm call retrying', { model: target.model, attempt: info.attempt, reason: info.reason, status: info.status, delayMs: Math.round(info.delayMs) });
  opts.onRetry?.(info);
}

function validateTarget(target: ModelTarget) {
  if (target.connection === null && !isDemoStyle(target.model))
    throw new LlmError(`Unknown demo model "${target.model}"; use one of baseline, proactive, collabllm.`, 'terminal', 'invalid_target');
  if (target.connection && !/^https?:\/\//.test(target.connection.baseUrl))
    throw new LlmError('The connection\'s base URL must start with http:// or https://.', 'terminal', 'invalid_target');
}

/**
 * Streams a chat reply. Yields `delta`s, a `reset` whenever a retry discards partial output,
 * and finally one `done`. Throws LlmError when it gives up.
 */
export async function* streamChat(target: ModelTarget, messages: ChatMessage[], opts: CallOptions = {}): AsyncGenerator<StreamEvent> {
  validateTarget(target);
  if (target.connection === null) {
    yield* demoStream(target, messages, opts);
    return;
  }
  const connection = target.connection;
  const client = clientFor(connection);
  const maxRetries = opts.maxRetries ?? env.LLM_MAX_RETRIES;
  const timeoutMs = opts.timeoutMs ?? env.LLM_TIMEOUT_MS;
  const callStart = performance.now();
  let dialect = dialects.get(dialectKey(target)) ?? { maxCompletionTokens: false, noResponseFormat: false, noSeed: false };

  for (let attempt = 1; ; attempt++) {
    const scope = attemptScope(opts.signal, timeoutMs);
    let bodyConsumed = false;
    let text = '';
    let usage: Usage | undefined;
    let model = target.model;
    let finished = false;
    let firstTokenAt: number | undefined;
    let failure: Failure;
    try {
      const stream = await client.chat.completions.create(
        { ...requestBody(target, messages, dialect), stream: true, stream_options: { include_usage: true } },
        { signal: scope.signal, maxRetries: 0, timeout: timeoutMs },
      );
      scope.touch();
      for await (const chunk of stream) {
        scope.touch();
        if (chunk.model) model = chunk.model;
        if (chunk.usage) usage = { promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens };
        // Some servers omit `choices` on the usage chunk.
        const choice = chunk.choices?.[0];
        const delta = choice?.delta?.content ? withoutNul(choice.delta.content) : undefined;
        if (delta) {
          firstTokenAt ??= performance.now();
          text += delta;
          yield { type: 'delta', text: delta };
        }
        if (choice?.finish_reason) finished = true;
      }
      // The SDK ends iteration quietly when its signal aborts, so cancellation and timeouts surface here.
      if (opts.signal?.aborted || scope.state.timedOut || !finished)
        throw new StreamBrokenError('The model endpoint closed the stream before the reply was complete.');
      const end = performance.now();
      bodyConsumed = true;
      yield {
        type: 'done',
        text,
        model,
        usage: usage ?? { promptTokens: countPromptTokens(messages), completionTokens: countTokens(text), estimated: true },
        ttftMs: Math.round((firstTokenAt ?? end) - callStart),
        generationMs: Math.round(end - (firstTokenAt ?? end)),
        attempts: attempt,
        isDemo: false,
      };
      return;
    } catch (err) {
      failure = classify(err, { timedOut: scope.state.timedOut, aborted: opts.signal?.aborted ?? false, apiKey: connection.apiKey, timeoutMs });
    } finally {
      scope.dispose(bodyConsumed);
    }
    const adapted = adaptDialect(failure, target, dialect);
    if (adapted) {
      learn(target, (dialect = adapted));
      continue;
    }
    if (failure.kind === 'terminal' || attempt > maxRetries) throw giveUp(failure, attempt, connection.apiKey);
    const delayMs = backoffMs(attempt, failure);
    const hadPartialOutput = text.length > 0;
    noteRetry(opts, { attempt: attempt + 1, reason: failure.reason, status: failure.status, delayMs, hadPartialOutput }, target);
    if (hadPartialOutput) yield { type: 'reset', attempt: attempt + 1, reason: failure.reason };
    await abortableSleep(delayMs, opts.signal);
  }
}

/** A whole reply at once (simulators, judges, connection tests). */
export async function completeChat(target: ModelTarget, messages: ChatMessage[], opts: CallOptions = {}): Promise<Completion> {
  validateTarget(target);
  if (target.connection === null) return demoComplete(target, messages, opts);
  const connection = target.connection;
  const client = clientFor(connection);
  const maxRetries = opts.maxRetries ?? env.LLM_MAX_RETRIES;
  const timeoutMs = opts.timeoutMs ?? env.LLM_TIMEOUT_MS;
  const callStart = performance.now();
  let dialect = dialects.get(dialectKey(target)) ?? { maxCompletionTokens: false, noResponseFormat: false, noSeed: false };

  for (let attempt = 1; ; attempt++) {
    const scope = attemptScope(opts.signal, timeoutMs);
    let bodyConsumed = false;
    let failure: Failure;
    try {
      const response = await client.chat.completions.create(
        { ...requestBody(target, messages, dialect), stream: false },
        { signal: scope.signal, maxRetries: 0, timeout: timeoutMs },
      );
      // A non-streaming create resolves only after the SDK has parsed the whole JSON body.
      bodyConsumed = true;
      const text = withoutNul(response.choices?.[0]?.message?.content ?? '');
      return {
        text,
        model: response.model || target.model,
        usage: response.usage
          ? { promptTokens: response.usage.prompt_tokens, completionTokens: response.usage.completion_tokens }
          : { promptTokens: countPromptTokens(messages), completionTokens: countTokens(text), estimated: true },
        latencyMs: Math.round(performance.now() - callStart),
        attempts: attempt,
        isDemo: false,
      };
    } catch (err) {
      failure = classify(err, { timedOut: scope.state.timedOut, aborted: opts.signal?.aborted ?? false, apiKey: connection.apiKey, timeoutMs });
    } finally {
      scope.dispose(bodyConsumed);
    }
    const adapted = adaptDialect(failure, target, dialect);
    if (adapted) {
      learn(target, (dialect = adapted));
      continue;
    }
    if (failure.kind === 'terminal' || attempt > maxRetries) throw giveUp(failure, attempt, connection.apiKey);
    const delayMs = backoffMs(attempt, failure);
    noteRetry(opts, { attempt: attempt + 1, reason: failure.reason, status: failure.status, delayMs, hadPartialOutput: false }, target);
    await abortableSleep(delayMs, opts.signal);
  }
}
