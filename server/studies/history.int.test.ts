import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { closeDb, getDb, schema, type Database } from '../../db';
import { createRoleActors, type RoleMatrixActors } from '../api/testing/role-matrix';
import { compareConfigs, duplicateStudy } from './history';
import { createStudy, getStudy, launchStudy, publishStudyVersion, updateStudyDraft } from './service';

let db: Database;
let actors: RoleMatrixActors;
beforeAll(async () => {
  db = await getDb();
  actors = await createRoleActors(db, 'history');
});
afterAll(closeDb);

const slug = (label: string) => `${label}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;

describe('duplicate and compare', () => {
  it('duplicates a version or the draft into a new draft study with its own seed; compares versions field by field', async () => {
    const ctx = { db, actor: actors.researcher };
    const { id } = await createStudy(ctx, { slug: slug('orig'), name: 'Original' });
    const v1 = (await launchStudy(ctx, { studyId: id })).draftConfig;
    await updateStudyDraft(ctx, { studyId: id, config: { ...v1, title: 'Second title', minTurns: 4 } });
    await publishStudyVersion(ctx, { studyId: id, note: 'fewer turns' });
    await updateStudyDraft(ctx, { studyId: id, config: { ...v1, title: 'Draft title' } });

    const fromV1 = await duplicateStudy(ctx, { studyId: id, source: 1, slug: slug('copy1'), name: 'Copy of v1' });
    const copy = await getStudy(ctx, fromV1.id);
    expect(copy).toMatchObject({ status: 'draft', currentVersion: null, name: 'Copy of v1' });
    expect(copy.draftConfig.title).toBe(v1.title);
    const fromDraft = await duplicateStudy(ctx, { studyId: id, source: 'draft', slug: slug('copyd'), name: 'Copy of draft' });
    expect((await getStudy(ctx, fromDraft.id)).draftConfig.title).toBe('Draft title');
    const seeds = await db.select({ seed: schema.studies.assignmentSeed }).from(schema.studies).where(eq(schema.studies.id, id));
    const copySeed = await db.select({ seed: schema.studies.assignmentSeed }).from(schema.studies).where(eq(schema.studies.id, fromV1.id));
    expect(copySeed[0]!.seed).not.toBe(seeds[0]!.seed);

    expect((await compareConfigs({ db, actor: actors.viewer }, { studyId: id, from: 1, to: 2 })).changes).toEqual([
      { path: 'minTurns', kind: 'changed', before: v1.minTurns, after: 4 },
      { path: 'title', kind: 'changed', before: v1.title, after: 'Second title' },
    ]);
    expect((await compareConfigs(ctx, { studyId: id, from: 2, to: 'draft' })).changes.map((c) => c.path)).toEqual(['minTurns', 'title']);
    await expect(compareConfigs(ctx, { studyId: id, from: 9, to: 'draft' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(duplicateStudy({ db, actor: actors.viewer }, { studyId: id, source: 1, slug: slug('v'), name: 'x' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});
