import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { closeDb, getDb, schema, type Database } from '../../db';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../scripts/fake-openai-server';
import { createRoleActors, type RoleMatrixActors } from '../api/testing/role-matrix';
import { decryptSecret } from '../lib/secret';
import { createStudy } from '../studies/service';
import { starterArm, starterStudyConfig } from '../studies/template';
import { createConnection, deleteConnection, listConnections, testConnectionSettings, updateConnection } from './service';

let db: Database;
let actors: RoleMatrixActors;
let fake: FakeOpenAIServer;
const KEY = 'sk-test-secret-key-1234567890WXYZ';

beforeAll(async () => {
  db = await getDb();
  actors = await createRoleActors(db, 'connections');
  fake = await startFakeOpenAIServer({ apiKey: KEY, models: ['fake-model'] });
});
afterAll(async () => {
  await fake.close();
  await closeDb();
});

const uniqueName = (label: string) => `${label} ${Date.now()} ${Math.floor(Math.random() * 1e6)}`;

describe('LLM connections', () => {
  it('stores the key encrypted and only ever returns whether it is set and its last four characters', async () => {
    const created = await createConnection({ db, actor: actors.admin }, { name: uniqueName('OpenAI'), baseUrl: `${fake.url}/`, apiKey: KEY, defaultModel: 'fake-model' });
    expect(created).toMatchObject({ hasKey: true, keyHint: '…WXYZ', baseUrl: fake.url, keyUnreadable: false });
    expect(JSON.stringify(created)).not.toContain(KEY.slice(0, 12));
    const [row] = await db.select().from(schema.llmConnections).where(eq(schema.llmConnections.id, created.id));
    expect(row!.apiKeyEncrypted).not.toContain(KEY);
    expect(decryptSecret(row!.apiKeyEncrypted!)).toBe(KEY);
    const listed = await listConnections({ db, actor: actors.admin });
    expect(JSON.stringify(listed)).not.toContain(KEY.slice(0, 12));
    const audit = await db.select().from(schema.auditLog).where(eq(schema.auditLog.targetId, created.id));
    expect(audit.map((a) => a.action)).toEqual(['connection.created']);
    expect(JSON.stringify(audit)).not.toContain(KEY.slice(0, 12));
  });

  it('shows no hint for short keys', async () => {
    const created = await createConnection({ db, actor: actors.admin }, { name: uniqueName('Short'), baseUrl: fake.url, apiKey: 'abc123', defaultModel: 'm' });
    expect(created).toMatchObject({ hasKey: true, keyHint: null });
  });

  it('keeps the key when an edit leaves it empty, replaces or clears it on request, and audits without the key', async () => {
    const c = await createConnection({ db, actor: actors.admin }, { name: uniqueName('Edit'), baseUrl: fake.url, apiKey: KEY, defaultModel: 'a' });
    const kept = await updateConnection({ db, actor: actors.admin }, { connectionId: c.id, name: c.name, baseUrl: fake.url, defaultModel: 'b', clearKey: false });
    expect(kept).toMatchObject({ defaultModel: 'b', hasKey: true, keyHint: '…WXYZ' });
    const replaced = await updateConnection({ db, actor: actors.admin }, { connectionId: c.id, name: c.name, baseUrl: fake.url, defaultModel: 'b', apiKey: 'another-key-ending-QRST', clearKey: false });
    expect(replaced.keyHint).toBe('…QRST');
    const cleared = await updateConnection({ db, actor: actors.admin }, { connectionId: c.id, name: c.name, baseUrl: fake.url, defaultModel: 'b', clearKey: true });
    expect(cleared).toMatchObject({ hasKey: false, keyHint: null });
    const audit = await db.select().from(schema.auditLog).where(eq(schema.auditLog.targetId, c.id));
    expect(audit.filter((a) => a.action === 'connection.updated').map((a) => (a.details as { changed: { key: string } }).changed.key).sort()).toEqual([
      'removed',
      'replaced',
      'unchanged',
    ]);
    expect(JSON.stringify(audit)).not.toContain('another-key');
  });

  it('tests a saved connection with its stored key, over HTTP, without revealing the key in errors', async () => {
    const c = await createConnection({ db, actor: actors.admin }, { name: uniqueName('Test'), baseUrl: fake.url, apiKey: KEY, defaultModel: 'fake-model' });
    const ok = await testConnectionSettings({ db, actor: actors.admin }, { connectionId: c.id, baseUrl: fake.url, model: 'fake-model' });
    expect(ok.ok).toBe(true);
    expect(fake.requests.at(-1)?.headers.authorization).toBe(`Bearer ${KEY}`);
    const bad = await testConnectionSettings({ db, actor: actors.admin }, { baseUrl: fake.url, apiKey: 'sk-wrong-key-000000000000', model: 'fake-model' });
    expect(bad.ok).toBe(false);
    expect(bad.error).toBeTruthy();
    expect(bad.error).not.toContain('sk-wrong-key-000000000000');
  });

  it('refuses to delete a connection a study uses, and deletes an unused one', async () => {
    const used = await createConnection({ db, actor: actors.admin }, { name: uniqueName('Used'), baseUrl: fake.url, defaultModel: 'm' });
    const config = starterStudyConfig();
    config.arms = [starterArm('real', { connectionId: used.id, model: 'm' }), starterArm('demo', { model: 'collabllm' })];
    await createStudy({ db, actor: actors.researcher }, { slug: `uses-conn-${Date.now()}`, name: 'Uses a connection', config });
    await expect(deleteConnection({ db, actor: actors.admin }, { connectionId: used.id })).rejects.toMatchObject({ code: 'CONFLICT' });
    const unused = await createConnection({ db, actor: actors.admin }, { name: uniqueName('Unused'), baseUrl: fake.url, defaultModel: 'm' });
    await deleteConnection({ db, actor: actors.admin }, { connectionId: unused.id });
    expect((await listConnections({ db, actor: actors.admin })).some((c) => c.id === unused.id)).toBe(false);
  });

  it('is for admins only, even for direct callers', async () => {
    await expect(listConnections({ db, actor: actors.researcher })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
