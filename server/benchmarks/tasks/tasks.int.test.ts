import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { closeDb, getDb } from '../../../db';
import { benchmarkTasks, benchmarkTaskSets } from '../../../db/schema';
import { BUILTIN_TASK_SET_NAME, builtinTaskIds, ensureBuiltinTaskSet } from './builtin';
import { importTaskSet } from './import';
import { createTaskSetFromStudyConfig } from './study-briefs';

afterAll(closeDb);

describe('ensureBuiltinTaskSet', () => {
  it('creates the set once, even when called concurrently and repeatedly', async () => {
    const db = await getDb();
    const results = await Promise.all([ensureBuiltinTaskSet(db), ensureBuiltinTaskSet(db)]);
    const again = await ensureBuiltinTaskSet(db);
    expect(results[0].taskSetId).toBe(results[1].taskSetId);
    // Other test files share the database and may have created the set first: never more than 30 in total.
    expect([0, 30]).toContain(results[0].created + results[1].created);
    expect(again.created).toBe(0);
    const sets = await db.select().from(benchmarkTaskSets).where(eq(benchmarkTaskSets.name, BUILTIN_TASK_SET_NAME));
    expect(sets).toHaveLength(1);
    expect(sets[0]?.builtIn).toBe(true);
    const tasks = await db.select().from(benchmarkTasks).where(eq(benchmarkTasks.taskSetId, again.taskSetId));
    expect(tasks).toHaveLength(30);
    expect(await builtinTaskIds(db, ['poem-first-snow', 'blog-first-marathon'])).toHaveLength(2);
  });
});

describe('importTaskSet', () => {
  const row = (key: string) =>
    JSON.stringify({ key, documentType: 'blog_post', brief: 'You want a post about composting at home.', targetDocument: 'c'.repeat(120) });

  it('imports valid JSONL and refuses a duplicate name', async () => {
    const db = await getDb();
    const name = `import-${Date.now()}`;
    const result = await importTaskSet(db, { name, format: 'jsonl', content: [row('a'), row('b')].join('\n') });
    expect(result).toMatchObject({ ok: true, created: 2 });
    if (!result.ok) return;
    const stored = await db.select().from(benchmarkTasks).where(eq(benchmarkTasks.taskSetId, result.taskSetId));
    expect(stored.map((t) => t.key).sort()).toEqual(['a', 'b']);
    await expect(importTaskSet(db, { name, format: 'jsonl', content: row('c') })).rejects.toThrow(/already exists/);
  });

  it('creates nothing when any row is invalid', async () => {
    const db = await getDb();
    const name = `import-bad-${Date.now()}`;
    const result = await importTaskSet(db, { name, format: 'jsonl', content: [row('a'), '{"key": "b"}'].join('\n') });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errorCount).toBe(1);
    expect(result.errors[0]?.line).toBe(2);
    expect(result.errors[0]?.message).toMatch(/brief/);
    expect(await db.select().from(benchmarkTaskSets).where(eq(benchmarkTaskSets.name, name))).toHaveLength(0);
  });

  it('imports CSV', async () => {
    const db = await getDb();
    const csv = `key,documentType,brief,targetDocument\nx1,poem,"You want a short poem about frost.","${'f'.repeat(70)}"\n`;
    const result = await importTaskSet(db, { name: `csv-${Date.now()}`, format: 'csv', content: csv });
    expect(result).toMatchObject({ ok: true, created: 1 });
  });
});

describe('createTaskSetFromStudyConfig', () => {
  it('stores study briefs with empty targets', async () => {
    const db = await getDb();
    const result = await createTaskSetFromStudyConfig(db, {
      name: `study-${Date.now()}`,
      config: {
        documentTypes: [{ key: 'blog_post', label: 'Blog post', description: '' }],
        topics: [
          { id: 'a', label: 'A' },
          { id: 'b', label: 'B' },
        ],
        topicQuestions: [{ id: 'q', prompt: 'Why?', placeholder: '' }],
      },
    });
    expect(result.created).toBe(2);
    const stored = await db.select().from(benchmarkTasks).where(eq(benchmarkTasks.taskSetId, result.taskSetId));
    expect(stored.every((t) => t.targetDocument === '' && t.metadata.source === 'study')).toBe(true);
  });
});
