/**
 * Previewing the draft before launch (and after, with unpublished changes), with a chosen arm and a
 * restart, through the real participant procedures on Postgres. Previews never become versions,
 * never take a place in the assignment sequence and never reach the dataset.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { closeDb, getDb, schema, type Database } from '../../db';
import { createCaller } from '../api/root';
import { createInnerContext } from '../api/trpc';
import type { Actor } from '../auth/session';
import { participantCookieName, verifyParticipantCookie } from '../participants/identity';
import { createTestStudy, testStudyConfig } from '../participants/testing/fixtures';
import { loadAnalysisRows } from '../insights/dataset';
import { getStudy, launchStudy, updateStudyDraft } from './service';

let db: Database;
let researcher: Actor;
beforeAll(async () => {
  db = await getDb();
  const [user] = await db.insert(schema.users).values({ email: `preview-${Date.now()}@t.local`, role: 'researcher' }).returning();
  researcher = { id: user!.id, email: user!.email, name: null, role: 'researcher', via: 'session' };
});
afterAll(closeDb);

function session(actor: Actor | null = researcher, jar = new Map<string, string>()) {
  return { jar, caller: createCaller(createInnerContext({ db, actor, cookies: jar })) };
}

async function participantOf(jar: Map<string, string>, studyId: string) {
  const id = verifyParticipantCookie(studyId, jar.get(participantCookieName(studyId)));
  const [row] = await db.select().from(schema.participants).where(eq(schema.participants.id, id!));
  return row!;
}

async function versionOf(versionId: string) {
  const [row] = await db.select().from(schema.studyVersions).where(eq(schema.studyVersions.id, versionId));
  return row!;
}

describe('draft preview', () => {
  it('previews a never-launched draft in the chosen arm, uncounted, without creating a version', async () => {
    const { slug, studyId } = await createTestStudy(db, { status: 'draft', withVersion: false });
    const s = session();
    await s.caller.participant.enter({ slug, query: { preview: 'draft', arm: 'collabllm' } });
    const p = await participantOf(s.jar, studyId);
    expect(p).toMatchObject({ isPreview: true, source: 'preview', previewArmKey: 'collabllm' });
    const snapshot = await versionOf(p.studyVersionId);
    expect(snapshot).toMatchObject({ draftPreview: true, version: 0 });

    // Run it a few times: the chosen arm wins over the draw every time.
    await s.caller.participant.consent({ slug, accept: true, consentVersion: 'v1' });
    expect((await participantOf(s.jar, studyId)).armKey).toBe('collabllm');
    const [assignment] = await db.select().from(schema.assignments).where(eq(schema.assignments.participantId, p.id));
    expect(assignment).toMatchObject({ armKey: 'collabllm', sequence: 0 });
    const state = await s.caller.participant.state({ slug });
    expect(state.stage).toBe('instructions');

    // The study still has no version, and launching makes version 1 (snapshots do not take numbers).
    const ctx = { db, actor: researcher };
    expect((await getStudy(ctx, studyId)).versions).toEqual([]);
    const launched = await launchStudy(ctx, { studyId });
    expect(launched.currentVersion).toBe(1);
    expect(launched.versions.map((v) => v.version)).toEqual([1]);
    const rows = await loadAnalysisRows(db, { studyId });
    expect(rows.some((r) => r.participantId === p.id)).toBe(false);
  });

  it('resumes the same preview, restarts on request, reuses an unchanged draft snapshot and snapshots an edited one', async () => {
    const { slug, studyId } = await createTestStudy(db, { status: 'draft', withVersion: false });
    const s = session();
    await s.caller.participant.enter({ slug, query: { preview: 'draft', arm: 'baseline' } });
    const first = await participantOf(s.jar, studyId);
    await s.caller.participant.enter({ slug, query: { preview: 'draft', arm: 'baseline' } });
    expect((await participantOf(s.jar, studyId)).id).toBe(first.id);

    await s.caller.participant.enter({ slug, query: { preview: 'draft', arm: 'baseline', restart: '1' } });
    const restarted = await participantOf(s.jar, studyId);
    expect(restarted.id).not.toBe(first.id);
    expect(restarted.studyVersionId).toBe(first.studyVersionId); // unchanged draft: same snapshot

    // A different arm is a different preview.
    await s.caller.participant.enter({ slug, query: { preview: 'draft', arm: 'proactive' } });
    expect((await participantOf(s.jar, studyId)).previewArmKey).toBe('proactive');

    await updateStudyDraft({ db, actor: researcher }, { studyId, config: testStudyConfig({ title: 'Edited title' }) });
    await s.caller.participant.enter({ slug, query: { preview: 'draft', arm: 'proactive' } });
    const edited = await participantOf(s.jar, studyId);
    expect(edited.studyVersionId).not.toBe(first.studyVersionId);
    expect(await versionOf(edited.studyVersionId)).toMatchObject({ draftPreview: true, version: -1 });
    expect((await s.caller.participant.state({ slug })).study.title).toBe('Edited title');
  });

  it('after launch, ?preview=draft shows unpublished edits while ?preview=1 shows the published version', async () => {
    const { slug, studyId, versionId } = await createTestStudy(db, { status: 'running' });
    await updateStudyDraft({ db, actor: researcher }, { studyId, config: testStudyConfig({ title: 'Next version' }) });
    const published = session();
    await published.caller.participant.enter({ slug, query: { preview: '1' } });
    expect((await participantOf(published.jar, studyId)).studyVersionId).toBe(versionId);
    expect((await published.caller.participant.state({ slug })).study.title).toBe('Writing with an assistant');
    const draft = session();
    await draft.caller.participant.enter({ slug, query: { preview: 'draft' } });
    expect((await draft.caller.participant.state({ slug })).study.title).toBe('Next version');
    expect((await getStudy({ db, actor: researcher }, studyId)).versions.map((v) => v.version)).toEqual([1]);
  });

  it('refuses unknown arms and anyone who may not preview', async () => {
    const { slug } = await createTestStudy(db, { status: 'draft', withVersion: false });
    await expect(session().caller.participant.enter({ slug, query: { preview: 'draft', arm: 'nope' } })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(session(null).caller.participant.enter({ slug, query: { preview: 'draft' } })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // Without the preview flag a draft study stays closed to participants.
    await expect(session(null).caller.participant.enter({ slug, query: {} })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
  });
});
