import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { closeDb, getDb, schema, type Database } from '../../db';
import { createRoleActors, type RoleMatrixActors } from '../api/testing/role-matrix';
import { canPreview } from './preview';
import {
  configsEqual,
  createStudy,
  getStudy,
  getStudyVersionConfig,
  launchStudy,
  listStudies,
  publishStudyVersion,
  setStudyStatus,
  updateStudyDraft,
} from './service';
import { starterArm, starterStudyConfig } from './template';
import { createCaller } from '../api/root';
import { createInnerContext } from '../api/trpc';

let db: Database;
let actors: RoleMatrixActors;
beforeAll(async () => {
  db = await getDb();
  actors = await createRoleActors(db, 'studies');
});
afterAll(closeDb);

const slug = (label: string) => `${label}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;

describe('study setup', () => {
  it('refuses a javascript: completion URL at save; a draft stored with one cannot be launched', async () => {
    const { id } = await createStudy({ db, actor: actors.researcher }, { slug: slug('js-url'), name: 'Redirects' });
    const studies = createCaller(createInnerContext({ db, actor: actors.researcher })).studies;
    const bad = { ...starterStudyConfig(), prolificCompletionUrl: 'javascript:alert(document.cookie)//{code}' };
    await expect(studies.updateDraft({ studyId: id, config: bad })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await studies.updateDraft({ studyId: id, config: { ...bad, prolificCompletionUrl: 'https://app.prolific.com/submissions/complete?cc={code}' } });
    // A draft saved before the rule existed: launching says what to fix instead of failing with a server error.
    await db.update(schema.studies).set({ draftConfig: bad }).where(eq(schema.studies.id, id));
    await expect(studies.launch({ studyId: id })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
      message: expect.stringContaining('prolificCompletionUrl'),
    });
    expect((await getStudy({ db, actor: actors.viewer }, id)).status).toBe('draft');
  });

  it('creates a draft from the starter template and refuses a taken slug', async () => {
    const s = slug('create');
    const { id } = await createStudy({ db, actor: actors.researcher }, { slug: s, name: 'Blog posts' });
    const study = await getStudy({ db, actor: actors.viewer }, id);
    expect(study).toMatchObject({ slug: s, name: 'Blog posts', status: 'draft', currentVersion: null, hasUnpublishedChanges: true });
    expect(study.draftConfig.arms.map((a) => a.key)).toEqual(['baseline', 'collabllm']);
    // The internal name (often the hypothesis) never becomes the title participants see.
    expect(study.draftConfig.title).toBe(starterStudyConfig().title);
    await expect(createStudy({ db, actor: actors.researcher }, { slug: s, name: 'Again' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(createStudy({ db, actor: actors.viewer }, { slug: slug('viewer'), name: 'Nope' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('rejects arms the app could not run: unknown connections and non-demo models without a connection', async () => {
    const config = starterStudyConfig();
    config.arms = [starterArm('a', { connectionId: crypto.randomUUID(), model: 'gpt' })];
    await expect(createStudy({ db, actor: actors.researcher }, { slug: slug('badconn'), name: 'x', config })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('Arm "a"'),
    });
    config.arms = [starterArm('b', { model: 'gpt-4o' })];
    await expect(createStudy({ db, actor: actors.researcher }, { slug: slug('baddemo'), name: 'x', config })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('demo model'),
    });
  });

  it('launch freezes version 1; draft edits do not reach participants until a new version is published', async () => {
    const { id } = await createStudy({ db, actor: actors.researcher }, { slug: slug('lifecycle'), name: 'Lifecycle' });
    const launched = await launchStudy({ db, actor: actors.researcher }, { studyId: id });
    expect(launched).toMatchObject({ status: 'running', currentVersion: 1, hasUnpublishedChanges: false });
    const v1Id = launched.currentVersionId!;
    await expect(launchStudy({ db, actor: actors.researcher }, { studyId: id })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    await expect(publishStudyVersion({ db, actor: actors.researcher }, { studyId: id, note: 'nothing' })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
      message: expect.stringContaining('nothing to publish'),
    });

    // A participant who joined under version 1.
    const [participant] = await db
      .insert(schema.participants)
      .values({ studyId: id, studyVersionId: v1Id, source: 'link' })
      .returning();

    const edited = structuredClone(launched.draftConfig);
    edited.minTurns = 4;
    edited.arms[1]!.weight = 3;
    const afterEdit = await updateStudyDraft({ db, actor: actors.researcher }, { studyId: id, config: edited, name: 'Lifecycle (v2)' });
    expect(afterEdit).toMatchObject({ currentVersionId: v1Id, hasUnpublishedChanges: true, name: 'Lifecycle (v2)' });
    expect((await getStudyVersionConfig({ db, actor: actors.viewer }, { studyId: id, version: 1 })).minTurns).toBe(8);

    const published = await publishStudyVersion({ db, actor: actors.researcher }, { studyId: id, note: 'Shorter minimum' });
    expect(published).toMatchObject({ currentVersion: 2, hasUnpublishedChanges: false });
    expect(published.versions.map((v) => [v.version, v.note])).toEqual([
      [2, 'Shorter minimum'],
      [1, null],
    ]);
    expect(published.versions[0]!.createdByEmail).toBe(actors.researcher.email);
    const v2 = await getStudyVersionConfig({ db, actor: actors.viewer }, { studyId: id, version: 2 });
    expect(v2.minTurns).toBe(4);
    expect(v2.arms[1]!.weight).toBe(3);
    const [still] = await db.select().from(schema.participants).where(eq(schema.participants.id, participant!.id));
    expect(still!.studyVersionId).toBe(v1Id);

    const audit = await db
      .select()
      .from(schema.auditLog)
      .where(and(eq(schema.auditLog.targetType, 'study'), eq(schema.auditLog.targetId, id)));
    expect(audit.map((a) => a.action).sort()).toEqual(['study.created', 'study.launched', 'study.version_published']);
    expect(audit.find((a) => a.action === 'study.version_published')?.details).toMatchObject({ version: 2, note: 'Shorter minimum' });
  });

  it('pauses, resumes and closes recruitment; a closed study stays closed and read-only', async () => {
    const { id } = await createStudy({ db, actor: actors.researcher }, { slug: slug('status'), name: 'Status' });
    await expect(setStudyStatus({ db, actor: actors.researcher }, { studyId: id, status: 'paused' })).rejects.toMatchObject({
      message: 'Launch the study first.',
    });
    await launchStudy({ db, actor: actors.researcher }, { studyId: id });
    expect((await setStudyStatus({ db, actor: actors.researcher }, { studyId: id, status: 'paused' })).status).toBe('paused');
    expect((await setStudyStatus({ db, actor: actors.researcher }, { studyId: id, status: 'running' })).status).toBe('running');
    const closed = await setStudyStatus({ db, actor: actors.admin }, { studyId: id, status: 'closed' });
    expect(closed.status).toBe('closed');
    await expect(setStudyStatus({ db, actor: actors.researcher }, { studyId: id, status: 'running' })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
    });
    await expect(updateStudyDraft({ db, actor: actors.researcher }, { studyId: id, config: closed.draftConfig })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
    });
    const changes = await db
      .select()
      .from(schema.auditLog)
      .where(and(eq(schema.auditLog.action, 'study.status_changed'), eq(schema.auditLog.targetId, id)));
    expect(changes.map((c) => c.details)).toHaveLength(3);
  });

  it('lists studies with participant counts that leave out previews', async () => {
    const { id } = await createStudy({ db, actor: actors.researcher }, { slug: slug('counts'), name: 'Counts' });
    const { currentVersionId } = await launchStudy({ db, actor: actors.researcher }, { studyId: id });
    const base = { studyId: id, studyVersionId: currentVersionId!, source: 'link' as const };
    await db.insert(schema.participants).values([
      { ...base, outcome: 'completed' },
      { ...base, outcome: 'completed' },
      { ...base },
      { ...base, outcome: 'timed_out' },
      { ...base, source: 'preview', isPreview: true, outcome: 'completed' },
    ]);
    const row = (await listStudies({ db, actor: actors.viewer })).find((s) => s.id === id);
    expect(row).toMatchObject({ status: 'running', currentVersion: 1, participants: { total: 4, completed: 2, inProgress: 1, ended: 1 } });
  });

  it('compares configurations regardless of key order', () => {
    const a = starterStudyConfig();
    const reordered = Object.fromEntries(Object.entries(a).reverse()) as typeof a;
    expect(configsEqual(a, reordered)).toBe(true);
    expect(configsEqual(a, { ...a, minTurns: 9 })).toBe(false);
    const nested = { ...a, consent: { text: a.consent.text, version: a.consent.version } };
    expect(configsEqual(a, nested)).toBe(true);
  });

  it('honours previews only for researchers and admins', () => {
    expect(canPreview(null)).toBe(false);
    expect(canPreview(actors.viewer)).toBe(false);
    expect(canPreview(actors.researcher)).toBe(true);
    expect(canPreview(actors.admin)).toBe(true);
  });
});
