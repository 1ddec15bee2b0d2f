import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../scripts/fake-openai-server';
import { LlmError } from '../llm';
import { completeJsonChat } from './llm-json';

let fake: FakeOpenAIServer;
beforeAll(async () => {
  fake = await startFakeOpenAIServer({ responder: () => '{"ok": true}' });
});
afterAll(() => fake.close());

describe('completeJsonChat', () => {
  it('asks for JSON mode and, when the endpoint rejects it, retries once without and remembers', async () => {
    const target = { connection: { baseUrl: fake.url, apiKey: null }, model: 'no-json-mode', json: true };
    fake.failNext({ kind: 'status', status: 400, message: 'response_format is not supported' });
    const first = await completeJsonChat(target, [{ role: 'user', content: 'reply in JSON' }]);
    expect(first.text).toBe('{"ok": true}');
    expect(fake.requests.map((r) => r.body?.response_format ?? null)).toEqual([{ type: 'json_object' }, null]);
    await completeJsonChat(target, [{ role: 'user', content: 'again' }]);
    expect(fake.requests[2]?.body?.response_format).toBeUndefined();
  });

  it('keeps JSON mode for endpoints that accept it and passes other errors through', async () => {
    fake.reset();
    const target = { connection: { baseUrl: fake.url, apiKey: null }, model: 'json-ok', json: true };
    await completeJsonChat(target, [{ role: 'user', content: 'x' }]);
    expect(fake.requests[0]?.body?.response_format).toEqual({ type: 'json_object' });
    fake.failNext({ kind: 'status', status: 401 });
    await expect(completeJsonChat(target, [{ role: 'user', content: 'y' }])).rejects.toBeInstanceOf(LlmError);
    expect(fake.requests).toHaveLength(2);
  });
});
