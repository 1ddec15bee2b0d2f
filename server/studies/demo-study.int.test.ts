import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq, like } from 'drizzle-orm';
import { closeDb, getDb, schema, type Database } from '../../db';
import { decryptSecret } from '../lib/secret';
import { resolveArmTarget } from '../llm/resolve';
import { studyConfigSchema } from './config';
import { demoStudyConfig, ensureDemoStudy } from './demo-study';
import { DOCUMENT_MARKER_INSTRUCTION } from '../llm/document-part';

let db: Database;
const unique = `${Date.now()}${Math.floor(Math.random() * 1e6)}`;

beforeAll(async () => {
  db = await getDb();
});
afterAll(closeDb);

async function versionsOf(studyId: string) {
  return db.select().from(schema.studyVersions).where(eq(schema.studyVersions.studyId, studyId)).orderBy(asc(schema.studyVersions.version));
}

describe('demo study', () => {
  it('has a valid paper-shaped configuration', () => {
    const config = studyConfigSchema.parse(demoStudyConfig());
    expect(config.arms.map((a) => [a.key, a.connectionId, a.model])).toEqual([
      ['baseline', null, 'baseline'],
      ['proactive', null, 'proactive'],
      ['collabllm', null, 'collabllm'],
    ]);
    expect(config.arms[0]!.systemPrompt).toBe(DOCUMENT_MARKER_INSTRUCTION);
    for (const arm of config.arms) expect(arm.systemPrompt).toContain('<document>');
    expect(config.arms[1]!.systemPrompt.length).toBeGreaterThan(100);
    expect(config.arms[2]!.systemPrompt).toMatch(/multiple-choice/);
    expect(config.documentTypes.map((d) => d.label)).toEqual(['Blog post', 'Creative writing', 'Personal statement']);
    expect(config.topicQuestions.map((q) => q.id)).toEqual(['purpose', 'audience', 'key-points']);
    expect(config).toMatchObject({ minTurns: 8, ratingInterval: 3, consent: { version: '1' } });
    expect(config.attentionChecks).toHaveLength(2);
    for (const check of config.attentionChecks) expect(check.prompt).toContain(`"${check.correctOption}"`);
  });

  it('is created once, running on version 1, and left alone on later starts', async () => {
    const slug = `demo-test-${unique}`;
    const first = await ensureDemoStudy(db, { slug, endpoints: {} });
    expect(first).toMatchObject({ created: true, version: 1, newVersion: false });
    const [again, third] = await Promise.all([ensureDemoStudy(db, { slug, endpoints: {} }), ensureDemoStudy(db, { slug, endpoints: {} })]);
    expect(again).toEqual({ ...first, created: false });
    expect(third).toEqual({ ...first, created: false });

    const [study] = await db.select().from(schema.studies).where(eq(schema.studies.slug, slug));
    expect(study).toMatchObject({ status: 'running', currentVersionId: first.versionId });
    expect(await versionsOf(first.studyId)).toHaveLength(1);
  });

  it('points arms at env endpoints with encrypted keys, and makes a new version when they change', async () => {
    const slug = `demo-env-${unique}`;
    const urlA = `http://127.0.0.1:9/${unique}/a/v1`;
    const created = await ensureDemoStudy(db, {
      slug,
      endpoints: { collabllm: { baseUrl: urlA, apiKey: 'sk-env-key-aaaaaaaa', model: 'collab-8b' } },
    });
    const [v1] = await versionsOf(created.studyId);
    const collab = v1!.config.arms.find((a) => a.key === 'collabllm')!;
    expect(collab.model).toBe('collab-8b');
    expect(collab.connectionId).not.toBeNull();
    expect(v1!.config.arms.find((a) => a.key === 'baseline')).toMatchObject({ connectionId: null, model: 'baseline' });
    const [conn] = await db.select().from(schema.llmConnections).where(eq(schema.llmConnections.id, collab.connectionId!));
    expect(conn!.name).toBe(`demo: ${urlA}`);
    expect(conn!.apiKeyEncrypted).not.toContain('sk-env-key');
    expect(decryptSecret(conn!.apiKeyEncrypted!)).toBe('sk-env-key-aaaaaaaa');
    expect(await resolveArmTarget(db, collab)).toMatchObject({ connection: { baseUrl: urlA, apiKey: 'sk-env-key-aaaaaaaa' }, model: 'collab-8b' });

    // Same endpoint, rotated key: the connection row is updated, the version stays.
    const rotated = await ensureDemoStudy(db, { slug, endpoints: { collabllm: { baseUrl: urlA, apiKey: 'sk-env-key-bbbbbbbb', model: 'collab-8b' } } });
    expect(rotated).toMatchObject({ newVersion: false, version: 1 });
    const [conn2] = await db.select().from(schema.llmConnections).where(eq(schema.llmConnections.id, collab.connectionId!));
    expect(decryptSecret(conn2!.apiKeyEncrypted!)).toBe('sk-env-key-bbbbbbbb');

    // A different model: version 1 is untouched, version 2 becomes current.
    const moved = await ensureDemoStudy(db, { slug, endpoints: { collabllm: { baseUrl: urlA, apiKey: 'sk-env-key-bbbbbbbb', model: 'collab-70b' } } });
    expect(moved).toMatchObject({ newVersion: true, version: 2, created: false });
    const versions = await versionsOf(created.studyId);
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect(versions[0]!.config.arms.find((a) => a.key === 'collabllm')!.model).toBe('collab-8b');
    expect(versions[1]!.config.arms.find((a) => a.key === 'collabllm')!.model).toBe('collab-70b');
    expect(versions[1]!.note).toMatch(/environment/);
    const [study] = await db.select().from(schema.studies).where(eq(schema.studies.slug, slug));
    expect(study!.currentVersionId).toBe(moved.versionId);

    // Endpoint removed from the environment: back to the offline demo model, as version 3.
    const back = await ensureDemoStudy(db, { slug, endpoints: {} });
    expect(back).toMatchObject({ newVersion: true, version: 3 });
    expect((await versionsOf(created.studyId))[2]!.config.arms.find((a) => a.key === 'collabllm')).toMatchObject({ connectionId: null, model: 'collabllm' });
  });

  it('leaves arms a researcher pointed at their own connection alone', async () => {
    const slug = `demo-own-${unique}`;
    const created = await ensureDemoStudy(db, { slug, endpoints: {} });
    const [own] = await db.insert(schema.llmConnections).values({ name: `researcher own ${unique}`, baseUrl: 'http://127.0.0.1:9/own/v1', defaultModel: 'x' }).returning();
    const [v1] = await versionsOf(created.studyId);
    const config = { ...v1!.config, arms: v1!.config.arms.map((a) => (a.key === 'proactive' ? { ...a, connectionId: own!.id, model: 'x' } : a)) };
    const [v2] = await db.insert(schema.studyVersions).values({ studyId: created.studyId, version: 2, config }).returning();
    await db.update(schema.studies).set({ currentVersionId: v2!.id }).where(eq(schema.studies.id, created.studyId));

    const result = await ensureDemoStudy(db, { slug, endpoints: { proactive: { baseUrl: `http://127.0.0.1:9/${unique}/p/v1`, apiKey: null, model: 'p' } } });
    expect(result).toMatchObject({ newVersion: false, versionId: v2!.id });
    expect(await db.select().from(schema.llmConnections).where(like(schema.llmConnections.name, `demo: %/${unique}/p/%`))).toHaveLength(1);
  });
});
