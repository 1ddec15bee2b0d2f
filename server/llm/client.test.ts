/**
 * The LLM client over real HTTP: the real `openai` SDK against scripts/fake-openai-server.ts.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../scripts/fake-openai-server';
import { completeChat, LlmError, redactSecrets, streamChat } from './index';
import type { ChatMessage, ModelTarget, RetryInfo, StreamEvent } from './types';

const KEY = 'sk-test-0123456789abcdefSECRET';
let fake: FakeOpenAIServer;
let target: ModelTarget;
const messages: ChatMessage[] = [
  { role: 'system', content: 'You are a careful test assistant.' },
  { role: 'user', content: 'Write one sentence about lighthouses.' },
];

async function collect(gen: AsyncGenerator<StreamEvent>): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const e of gen) events.push(e);
  return events;
}

function doneOf(events: StreamEvent[]) {
  const done = events.at(-1);
  if (done?.type !== 'done') throw new Error(`last event is ${done?.type}`);
  return done;
}

async function expectLlmError(promise: Promise<unknown>): Promise<LlmError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LlmError);
  return err as LlmError;
}

beforeAll(async () => {
  fake = await startFakeOpenAIServer({ apiKey: KEY, tokenDelayMs: 2 });
  target = { connection: { baseUrl: fake.url, apiKey: KEY }, model: 'fake-model', temperature: 0.5, maxTokens: 200 };
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

describe('streamChat', () => {
  it('streams deltas that add up to the reply, with endpoint usage, timings and what was sent', async () => {
    const events = await collect(streamChat(target, messages));
    const done = doneOf(events);
    const deltas = events.filter((e) => e.type === 'delta').map((e) => (e as { text: string }).text);
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join('')).toBe(done.text);
    expect(done.text).toMatch(/^Fake reply to "Write one sentence about lighthouses\."/);
    expect(done.usage.estimated).toBeUndefined();
    expect(done.usage.completionTokens).toBe(Math.ceil(done.text.length / 4));
    expect(done.usage.promptTokens).toBeGreaterThan(0);
    expect(done.attempts).toBe(1);
    expect(done.isDemo).toBe(false);
    expect(done.model).toBe('fake-model');
    expect(done.ttftMs).toBeGreaterThanOrEqual(0);
    expect(done.generationMs).toBeGreaterThanOrEqual(0);

    expect(fake.requests).toHaveLength(1);
    const sent = fake.requests[0]!;
    expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(sent.body?.stream).toBe(true);
    expect(sent.body?.stream_options).toEqual({ include_usage: true });
    expect(sent.body?.messages?.[0]).toEqual({ role: 'system', content: 'You are a careful test assistant.' });
    expect(sent.body?.temperature).toBe(0.5);
    expect(sent.body?.max_tokens).toBe(200);
  });

  it('measures time to first token separately from generation time', async () => {
    const slow = await startFakeOpenAIServer({ ttftMs: 150, tokenDelayMs: 20 });
    try {
      const done = doneOf(await collect(streamChat({ connection: { baseUrl: slow.url, apiKey: null }, model: 'm' }, messages)));
      expect(done.ttftMs).toBeGreaterThanOrEqual(140);
      // At least (chunks - 1) token delays elapse after the first token.
      const chunks = done.text.match(/\s*\S+/g)!.length;
      expect(done.generationMs).toBeGreaterThanOrEqual((chunks - 1) * 20 - 10);
    } finally {
      await slow.close();
    }
  });

  it('estimates usage with cl100k_base when the endpoint reports none, and says so', async () => {
    const silent = await startFakeOpenAIServer({ omitUsage: true });
    try {
      const done = doneOf(await collect(streamChat({ connection: { baseUrl: silent.url, apiKey: null }, model: 'm' }, messages)));
      expect(done.usage.estimated).toBe(true);
      expect(done.usage.completionTokens).toBeGreaterThan(5);
      expect(done.usage.promptTokens).toBeGreaterThan(10);
    } finally {
      await silent.close();
    }
  });

  it.each([
    ['429 with Retry-After', { kind: 'status', status: 429, retryAfterSeconds: 0 } as const, 'rate_limited'],
    ['500', { kind: 'status', status: 500 } as const, 'server_error'],
    ['503', { kind: 'status', status: 503 } as const, 'server_error'],
    ['a hang until the timeout', { kind: 'hang' } as const, 'timeout'],
  ])('retries after %s and then succeeds', async (_label, failure, reason) => {
    fake.failNext(failure);
    const retries: RetryInfo[] = [];
    const events = await collect(streamChat(target, messages, { timeoutMs: 300, onRetry: (i) => retries.push(i) }));
    const done = doneOf(events);
    expect(done.attempts).toBe(2);
    expect(retries).toEqual([expect.objectContaining({ attempt: 2, reason, hadPartialOutput: false })]);
    expect(events.some((e) => e.type === 'reset')).toBe(false);
    expect(fake.requests).toHaveLength(2);
  });

  it('retries when the connection is refused', async () => {
    const gone = await startFakeOpenAIServer();
    const url = gone.url;
    await gone.close();
    const retries: RetryInfo[] = [];
    const err = await expectLlmError(collect(streamChat({ connection: { baseUrl: url, apiKey: KEY }, model: 'm' }, messages, { maxRetries: 2, onRetry: (i) => retries.push(i) })));
    expect(err.kind).toBe('retryable');
    expect(err.reason).toBe('connection');
    expect(err.attempts).toBe(3);
    expect(retries.map((r) => r.attempt)).toEqual([2, 3]);
  });

  it('honours Retry-After on 429', async () => {
    fake.failNext({ kind: 'status', status: 429, retryAfterSeconds: 1 });
    const retries: RetryInfo[] = [];
    const started = performance.now();
    const done = doneOf(await collect(streamChat(target, messages, { onRetry: (i) => retries.push(i) })));
    expect(done.attempts).toBe(2);
    expect(retries[0]?.delayMs).toBe(1000);
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
  });

  it('emits a reset after a stream cut mid-way, then delivers the full reply', async () => {
    fake.failNext({ kind: 'cut', afterChunks: 3 });
    const events = await collect(streamChat(target, messages));
    const resetAt = events.findIndex((e) => e.type === 'reset');
    expect(resetAt).toBeGreaterThan(0);
    expect(events[resetAt]).toEqual({ type: 'reset', attempt: 2, reason: expect.stringMatching(/stream_broken|connection/) });
    // Text before the reset is discarded by the consumer; what follows must be the whole reply.
    const after = events.slice(resetAt + 1).filter((e) => e.type === 'delta').map((e) => (e as { text: string }).text).join('');
    const done = doneOf(events);
    expect(after).toBe(done.text);
    expect(done.attempts).toBe(2);
  });

  it('gives up after the configured retries and classifies the failure as retryable', async () => {
    fake.failNext({ kind: 'status', status: 503 }, { kind: 'status', status: 503 }, { kind: 'status', status: 503 });
    const err = await expectLlmError(collect(streamChat(target, messages, { maxRetries: 2 })));
    expect(err.kind).toBe('retryable');
    expect(err.reason).toBe('server_error');
    expect(err.status).toBe(503);
    expect(err.attempts).toBe(3);
    expect(err.message).toMatch(/gave up after 3 attempts/);
    expect(fake.requests).toHaveLength(3);
  });

  it('fails at once on 401 with a clear message that never contains the key', async () => {
    const wrongKey = 'sk-wrong-key-ABCDEFGHIJKLMNOP';
    const err = await expectLlmError(collect(streamChat({ ...target, connection: { baseUrl: fake.url, apiKey: wrongKey } }, messages)));
    expect(err.kind).toBe('terminal');
    expect(err.reason).toBe('unauthorized');
    expect(err.status).toBe(401);
    expect(err.attempts).toBe(1);
    expect(err.message).toMatch(/API key was rejected/);
    expect(err.message).not.toContain(wrongKey);
    expect(err.message).not.toContain('ABCDEFGHIJKLMNOP');
    expect(fake.requests).toHaveLength(1);
  });

  it.each([
    [400, 'bad_request'],
    [403, 'forbidden'],
    [404, 'not_found'],
  ])('does not retry %i', async (status, reason) => {
    fake.failNext({ kind: 'status', status });
    const err = await expectLlmError(collect(streamChat(target, messages)));
    expect(err).toMatchObject({ kind: 'terminal', reason, status, attempts: 1 });
    expect(fake.requests).toHaveLength(1);
  });

  it('stops when the caller aborts mid-stream, and the server sees the connection close', async () => {
    const slow = await startFakeOpenAIServer({ tokenDelayMs: 50 });
    try {
      const controller = new AbortController();
      const events: StreamEvent[] = [];
      const err = await expectLlmError(
        (async () => {
          for await (const e of streamChat({ connection: { baseUrl: slow.url, apiKey: null }, model: 'm' }, messages, { signal: controller.signal })) {
            events.push(e);
            if (events.length === 2) controller.abort();
          }
        })(),
      );
      expect(err.reason).toBe('aborted');
      expect(err.kind).toBe('terminal');
      expect(events.every((e) => e.type === 'delta')).toBe(true);
      expect(slow.requests).toHaveLength(1);
    } finally {
      await slow.close();
    }
  });

  it('aborts during the backoff wait without another attempt', async () => {
    fake.failNext({ kind: 'status', status: 429, retryAfterSeconds: 5 });
    const controller = new AbortController();
    const started = performance.now();
    const pending = expectLlmError(collect(streamChat(target, messages, { signal: controller.signal, onRetry: () => setTimeout(() => controller.abort(), 20) })));
    const err = await pending;
    expect(err.reason).toBe('aborted');
    expect(performance.now() - started).toBeLessThan(3000);
    expect(fake.requests).toHaveLength(1);
  });
});

describe('completeChat', () => {
  it('returns the whole reply with usage and sends json mode when asked', async () => {
    fake.setResponder(() => JSON.stringify({ score: 0.75 }));
    try {
      const result = await completeChat({ ...target, json: true }, messages);
      expect(JSON.parse(result.text)).toEqual({ score: 0.75 });
      expect(result.attempts).toBe(1);
      expect(result.usage.completionTokens).toBeGreaterThan(0);
      expect(fake.requests[0]!.body?.response_format).toEqual({ type: 'json_object' });
      expect(fake.requests[0]!.body?.stream).toBeFalsy();
    } finally {
      fake.setResponder(null);
    }
  });

  it('retries a 500 and a hang, then succeeds', async () => {
    fake.failNext({ kind: 'status', status: 500 }, { kind: 'hang' });
    const result = await completeChat(target, messages, { timeoutMs: 300 });
    expect(result.attempts).toBe(3);
    expect(result.text).toMatch(/^Fake reply to/);
  });

  it('classifies a timeout that outlasts the retries', async () => {
    fake.failNext({ kind: 'hang' }, { kind: 'hang' });
    const err = await expectLlmError(completeChat(target, messages, { timeoutMs: 200, maxRetries: 1 }));
    expect(err).toMatchObject({ kind: 'retryable', reason: 'timeout', attempts: 2 });
  });
});

describe('endpoint dialects', () => {
  it('switches to max_completion_tokens and drops response_format when the endpoint rejects them, and remembers it', async () => {
    const strict = await startFakeOpenAIServer({ rejectParams: ['max_tokens', 'response_format'] });
    try {
      const strictTarget: ModelTarget = { connection: { baseUrl: strict.url, apiKey: null }, model: 'strict', maxTokens: 50, json: true };
      const first = await completeChat(strictTarget, messages);
      expect(first.attempts).toBe(3);
      const last = strict.requests.at(-1)!.body!;
      expect(last.max_completion_tokens).toBe(50);
      expect(last.max_tokens).toBeUndefined();
      expect(last.response_format).toBeUndefined();

      strict.reset();
      const done = doneOf(await collect(streamChat(strictTarget, messages)));
      expect(done.attempts).toBe(1);
      expect(strict.requests).toHaveLength(1);
    } finally {
      await strict.close();
    }
  });

  it('sends the target seed, and drops it for an endpoint that rejects it, remembering that', async () => {
    const plain = await startFakeOpenAIServer();
    const strict = await startFakeOpenAIServer({ rejectParams: ['seed'] });
    try {
      await completeChat({ connection: { baseUrl: plain.url, apiKey: null }, model: 'seeded', seed: 1234 }, messages);
      expect(plain.requests.at(-1)!.body!.seed).toBe(1234);
      await completeChat({ connection: { baseUrl: plain.url, apiKey: null }, model: 'unseeded' }, messages);
      expect(plain.requests.at(-1)!.body!.seed).toBeUndefined();

      const strictTarget: ModelTarget = { connection: { baseUrl: strict.url, apiKey: null }, model: 'no-seed', seed: 99 };
      const first = await completeChat(strictTarget, messages);
      expect(first.attempts).toBe(2);
      expect(strict.requests.at(-1)!.body!.seed).toBeUndefined();
      strict.reset();
      expect((await completeChat(strictTarget, messages)).attempts).toBe(1);
      expect(strict.requests).toHaveLength(1);
    } finally {
      await plain.close();
      await strict.close();
    }
  });

  it('still fails at once on a 400 it cannot adapt to', async () => {
    const strict = await startFakeOpenAIServer({ rejectParams: ['temperature'] });
    try {
      const err = await expectLlmError(completeChat({ connection: { baseUrl: strict.url, apiKey: null }, model: 'm', temperature: 0.2 }, messages));
      expect(err).toMatchObject({ kind: 'terminal', reason: 'bad_request', status: 400, attempts: 1 });
      expect(err.message).toMatch(/temperature/);
    } finally {
      await strict.close();
    }
  });
});

describe('text Postgres cannot store', () => {
  it('drops U+0000 from replies, streamed and whole', async () => {
    fake.queueReplies('draft\u0000 one', 'draft\u0000 two');
    expect((await completeChat(target, messages)).text).toBe('draft one');
    const events = await collect(streamChat(target, messages));
    expect(doneOf(events).text).toBe('draft two');
    expect(events.some((e) => e.type === 'delta' && e.text.includes('\u0000'))).toBe(false);
  });
});

describe('redactSecrets', () => {
  it('removes the key and key-shaped strings', () => {
    expect(redactSecrets('bad key sk-abc123456789 and mykey-xyz', 'mykey-xyz')).toBe('bad key [redacted] and [redacted]');
    expect(redactSecrets('Authorization: Bearer abc.def', null)).toBe('Authorization: Bearer [redacted]');
  });
});
