import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { closeDb, getDb, schema, type Database } from '../../db';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../scripts/fake-openai-server';
import { encryptSecret } from '../lib/secret';
import { ServiceError } from '../services/errors';
import { armSchema } from '../studies/config';
import { completeChat } from './index';
import { resolveArmTarget, resolveConnectionTarget, testConnection, withSystemPrompt } from './resolve';

const KEY = 'sk-resolve-test-key-1234567890';
let db: Database;
let fake: FakeOpenAIServer;
let connectionId: string;
const unique = `${Date.now()}-${Math.floor(Math.random() * 1e6)}`;

beforeAll(async () => {
  db = await getDb();
  fake = await startFakeOpenAIServer({ apiKey: KEY });
  const [row] = await db
    .insert(schema.llmConnections)
    .values({ name: `resolve test ${unique}`, baseUrl: fake.url, apiKeyEncrypted: encryptSecret(KEY), defaultModel: 'fake-default' })
    .returning();
  connectionId = row!.id;
});
afterAll(async () => {
  await fake.close();
  await closeDb();
});

describe('resolve', () => {
  it('resolves an arm on a stored connection, decrypting the key, and the target works end to end', async () => {
    const arm = armSchema.parse({ key: 'collabllm', label: 'C', connectionId, model: 'fake-model', systemPrompt: 'Be collaborative.', temperature: 0.3, maxTokens: 64 });
    const target = await resolveArmTarget(db, arm);
    expect(target).toEqual({ connection: { baseUrl: fake.url, apiKey: KEY }, model: 'fake-model', temperature: 0.3, topP: 1, maxTokens: 64 });

    const result = await completeChat(target, withSystemPrompt(arm.systemPrompt, [{ role: 'user', content: 'hello there' }]));
    expect(result.text).toMatch(/^Fake reply to "hello there"/);
    const sent = fake.requests.at(-1)!;
    expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(sent.body?.messages?.[0]).toEqual({ role: 'system', content: 'Be collaborative.' });
  });

  it('leaves out the system message when the prompt is empty', () => {
    expect(withSystemPrompt('', [{ role: 'user', content: 'hi' }])).toEqual([{ role: 'user', content: 'hi' }]);
  });

  it('resolves the demo model without touching the database and rejects unknown demo styles', async () => {
    expect(await resolveConnectionTarget(db, null, 'proactive')).toEqual({ connection: null, model: 'proactive' });
    await expect(resolveConnectionTarget(db, null, 'gpt-4o')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('explains a missing connection and an undecryptable key', async () => {
    const missing = await resolveConnectionTarget(db, '00000000-0000-4000-8000-000000000000', 'm').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ServiceError);
    expect((missing as ServiceError).code).toBe('PRECONDITION_FAILED');
    expect((missing as Error).message).toMatch(/no longer exists/);

    const [broken] = await db
      .insert(schema.llmConnections)
      .values({ name: `broken ${unique}`, baseUrl: fake.url, apiKeyEncrypted: 'not.a.secret', defaultModel: 'm' })
      .returning();
    await expect(resolveConnectionTarget(db, broken!.id, 'm')).rejects.toMatchObject({ code: 'PRECONDITION_FAILED', message: expect.stringMatching(/cannot be decrypted/) });
    await db.delete(schema.llmConnections).where(eq(schema.llmConnections.id, broken!.id));
  });

  it('tests a connection: ok with latency, or a clear error without the key', async () => {
    const ok = await testConnection({ baseUrl: fake.url, apiKey: KEY }, 'fake-model');
    expect(ok.ok).toBe(true);
    expect(ok.latencyMs).toBeGreaterThanOrEqual(0);
    expect(ok.model).toBe('fake-model');

    const wrong = 'sk-not-the-right-key-999999';
    const bad = await testConnection({ baseUrl: fake.url, apiKey: wrong }, 'fake-model');
    expect(bad.ok).toBe(false);
    expect(bad.error).toMatch(/API key was rejected/);
    expect(bad.error).not.toContain(wrong);

    const before = fake.requests.length;
    fake.failNext({ kind: 'status', status: 503 });
    const down = await testConnection({ baseUrl: fake.url, apiKey: KEY }, 'fake-model');
    expect(down).toMatchObject({ ok: false, error: expect.stringMatching(/503/) });
    expect(fake.requests.length - before).toBe(1); // no retries when testing
  });
});
