/**
 * What probing found (issue 8), on the real procedures and a real Postgres: the completion redirect never carries a
 * script, an external id alone never opens someone's session, calls that would do nothing say so, and enter and
 * draft saves are rate-limited in Postgres (exact under concurrency).
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { closeDb, getDb, schema, type Database } from '../../db';
import { createCaller } from '../api/root';
import { createInnerContext } from '../api/trpc';
import { createTestStudy, testStudyConfig } from './testing/fixtures';
import { participantCookieName, verifyParticipantCookie } from './identity';
import { waitForGeneration } from './generation-hub';
import { ALREADY_PARTICIPATING_MESSAGE, describeEntry } from './enter';
import { DRAFT_SAVE_LIMIT, ENTER_LIMIT, hitRateLimit } from './rate-limit';
import { saveDraft } from './drafts';

let db: Database;
beforeAll(async () => {
  db = await getDb();
});
afterAll(async () => {
  await closeDb();
});

function session(clientKey?: string) {
  const jar = new Map<string, string>();
  const caller = createCaller(createInnerContext({ db, cookies: jar, clientKey }));
  return { jar, caller };
}

function participantIdOf(jar: Map<string, string>, studyId: string): string | null {
  return verifyParticipantCookie(studyId, jar.get(participantCookieName(studyId)));
}

async function participantRow(jar: Map<string, string>, studyId: string) {
  const [row] = await db.select().from(schema.participants).where(eq(schema.participants.id, participantIdOf(jar, studyId)!));
  return row!;
}

type Caller = ReturnType<typeof session>['caller'];

async function reachChat(caller: Caller, slug: string) {
  await caller.participant.consent({ slug, accept: true, consentVersion: 'v1' });
  await caller.participant.finishInstructions({ slug });
  await caller.participant.submitSetup({ slug, topicId: 'travel', answers: { audience: 'friends', point: 'trains are great' } });
}

async function sendAndWait(caller: Caller, slug: string, content: string) {
  const sent = await caller.participant.sendMessage({ slug, clientMessageId: crypto.randomUUID(), content });
  await waitForGeneration(sent.assistantMessageId);
  return sent;
}

const survey = {
  documentQuality: 8,
  overallInteraction: 9,
  strengths: 'Helpful and quick',
  weaknesses: 'Sometimes too long',
  blindingGuess: 'Not sure',
  attentionAnswers: { check_a: 'Purple', check_b: 'Strongly disagree' },
};

async function completedParticipant() {
  const study = await createTestStudy(db);
  const s = session();
  await s.caller.participant.enter({ slug: study.slug, query: { PROLIFIC_PID: `pid-${crypto.randomUUID()}`, SESSION_ID: 'se-1' } });
  await reachChat(s.caller, study.slug);
  await sendAndWait(s.caller, study.slug, 'first');
  await sendAndWait(s.caller, study.slug, 'second');
  await s.caller.participant.rate({ slug: study.slug, afterTurn: 2, value: 7 });
  await s.caller.participant.finishChat({ slug: study.slug });
  await s.caller.participant.submitSurvey({ slug: study.slug, ...survey });
  return { ...study, ...s };
}

describe('completion redirect', () => {
  it('a javascript: URL stored in an old version never reaches the state response; the code is still shown', async () => {
    const config = { ...testStudyConfig(), prolificCompletionUrl: 'javascript:alert(document.cookie)//{code}' };
    const { slug } = await createTestStudy(db, { config });
    const s = session();
    await s.caller.participant.enter({ slug, query: { PROLIFIC_PID: 'pid-js', SESSION_ID: 'x' } });
    await s.caller.participant.consent({ slug, accept: false, consentVersion: 'v1' });
    const state = await s.caller.participant.state({ slug });
    expect(state.completion).toEqual({ code: 'CODE-NOCONSENT', redirect: null });
    expect(JSON.stringify(state)).not.toContain('javascript');
  });

  it('a localhost http URL (a local pilot) is still handed out', async () => {
    const config = testStudyConfig({ prolificCompletionUrl: 'http://localhost:3000/done?cc={code}' });
    const { slug } = await createTestStudy(db, { config });
    const s = session();
    await s.caller.participant.enter({ slug, query: { PROLIFIC_PID: 'pid-local', SESSION_ID: 'x' } });
    await s.caller.participant.consent({ slug, accept: false, consentVersion: 'v1' });
    expect((await s.caller.participant.state({ slug })).completion?.redirect).toEqual({
      kind: 'prolific',
      url: 'http://localhost:3000/done?cc=CODE-NOCONSENT',
    });
  });
});

describe('resuming by external id', () => {
  it('Prolific: the same SESSION_ID or the cookie resumes; the PROLIFIC_PID alone does not', async () => {
    const { slug, studyId } = await createTestStudy(db);
    const pid = `pid-${crypto.randomUUID()}`;
    const owner = session();
    await owner.caller.participant.enter({ slug, query: { PROLIFIC_PID: pid, STUDY_ID: 'st', SESSION_ID: 'se-1' } });
    const ownerId = participantIdOf(owner.jar, studyId)!;
    await owner.caller.participant.consent({ slug, accept: true, consentVersion: 'v1' });

    const strangers: Record<string, string>[] = [{ PROLIFIC_PID: pid }, { PROLIFIC_PID: pid, STUDY_ID: 'st', SESSION_ID: 'se-2' }, { PROLIFIC_PID: pid, SESSION_ID: '' }];
    for (const query of strangers) {
      const stranger = session();
      await expect(stranger.caller.participant.enter({ slug, query })).rejects.toMatchObject({
        code: 'CONFLICT',
        message: ALREADY_PARTICIPATING_MESSAGE,
      });
      expect(participantIdOf(stranger.jar, studyId)).toBeNull();
      await expect(stranger.caller.participant.state({ slug })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      expect(await describeEntry(db, { slug, query, actor: null, cookieValue: null })).toMatchObject({
        kind: 'already_participating',
        message: ALREADY_PARTICIPATING_MESSAGE,
      });
    }

    // Prolific re-opening the same submission on another device.
    const sameSubmission = session();
    await sameSubmission.caller.participant.enter({ slug, query: { PROLIFIC_PID: pid, STUDY_ID: 'st', SESSION_ID: 'se-1' } });
    expect(participantIdOf(sameSubmission.jar, studyId)).toBe(ownerId);
    expect((await sameSubmission.caller.participant.state({ slug })).stage).toBe('instructions');

    // The owner's own browser, even with a link that lost the session id.
    await owner.caller.participant.enter({ slug, query: { PROLIFIC_PID: pid } });
    expect(participantIdOf(owner.jar, studyId)).toBe(ownerId);
    expect(
      await describeEntry(db, { slug, query: { PROLIFIC_PID: pid }, actor: null, cookieValue: owner.jar.get(participantCookieName(studyId)) }),
    ).toMatchObject({ kind: 'ready' });
    expect(await db.select().from(schema.participants).where(eq(schema.participants.studyId, studyId))).toHaveLength(1);
  });

  it('MTurk: the same assignmentId resumes, another assignment of the same worker does not', async () => {
    const { slug, studyId } = await createTestStudy(db);
    const worker = `W${crypto.randomBytes(4).toString('hex')}`;
    const base = { workerId: worker, hitId: 'H1', turkSubmitTo: 'https://workersandbox.mturk.com' };
    const owner = session();
    await owner.caller.participant.enter({ slug, query: { ...base, assignmentId: 'A1' } });
    const ownerId = participantIdOf(owner.jar, studyId)!;

    const other = session();
    await expect(other.caller.participant.enter({ slug, query: { ...base, assignmentId: 'A2' } })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(other.caller.participant.enter({ slug, query: { workerId: worker } })).rejects.toMatchObject({ code: 'CONFLICT' });

    const sameAssignment = session();
    await sameAssignment.caller.participant.enter({ slug, query: { ...base, assignmentId: 'A1' } });
    expect(participantIdOf(sameAssignment.jar, studyId)).toBe(ownerId);
  });

  it('a finished participant’s code is not shown to someone who only knows the id, even after the study closed', async () => {
    const done = await completedParticipant();
    await db.update(schema.studies).set({ status: 'closed' }).where(eq(schema.studies.id, done.studyId));
    const { externalId } = await participantRow(done.jar, done.studyId);
    const view = await describeEntry(db, { slug: done.slug, query: { PROLIFIC_PID: externalId! }, actor: null, cookieValue: null });
    expect(view).toMatchObject({ kind: 'already_participating' });
    expect(JSON.stringify(view)).not.toContain('CODE-DONE');
    // The owner still gets their code back.
    await done.caller.participant.enter({ slug: done.slug, query: { PROLIFIC_PID: externalId! } });
    expect((await done.caller.participant.state({ slug: done.slug })).completion?.code).toBe('CODE-DONE');
  });
});

describe('calls that would do nothing answer with an error', () => {
  it('a survey sent during the chat is refused and stores nothing', async () => {
    const { slug, studyId } = await createTestStudy(db);
    const s = session();
    await s.caller.participant.enter({ slug, query: {} });
    await reachChat(s.caller, slug);
    await expect(s.caller.participant.submitSurvey({ slug, ...survey })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('after the chat'),
    });
    const p = await participantRow(s.jar, studyId);
    expect(p).toMatchObject({ stage: 'chat', outcome: null });
    expect(await db.select().from(schema.surveyResponses).where(eq(schema.surveyResponses.participantId, p.id))).toHaveLength(0);
  });

  it('steps out of order are refused; a repeated step (double click) is not', async () => {
    const { slug } = await createTestStudy(db);
    const s = session();
    await s.caller.participant.enter({ slug, query: {} });
    await expect(s.caller.participant.finishInstructions({ slug })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(
      s.caller.participant.submitSetup({ slug, topicId: 'travel', answers: { audience: 'a', point: 'b' } }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(s.caller.participant.finishChat({ slug })).rejects.toMatchObject({ code: 'CONFLICT' });
    await s.caller.participant.consent({ slug, accept: true, consentVersion: 'v1' });
    await s.caller.participant.consent({ slug, accept: true, consentVersion: 'v1' });
    await expect(s.caller.participant.consent({ slug, accept: false, consentVersion: 'v1' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await s.caller.participant.finishInstructions({ slug });
    await s.caller.participant.finishInstructions({ slug });
    expect((await s.caller.participant.state({ slug })).stage).toBe('setup');
  });

  it('after completion: a rating, a message, a draft or another step says the study is finished, not that time is up', async () => {
    const done = await completedParticipant();
    const { slug, caller } = done;
    const finished = { code: 'CONFLICT', message: expect.stringContaining('already finished') };
    await expect(caller.participant.rate({ slug, afterTurn: 2, value: 3 })).rejects.toMatchObject(finished);
    await expect(caller.participant.sendMessage({ slug, clientMessageId: crypto.randomUUID(), content: 'one more' })).rejects.toMatchObject(finished);
    await expect(caller.participant.saveDraft({ slug, content: 'late edit', source: 'edit' })).rejects.toMatchObject(finished);
    await expect(caller.participant.finishChat({ slug })).rejects.toMatchObject(finished);
    await expect(caller.participant.consent({ slug, accept: true, consentVersion: 'v1' })).rejects.toMatchObject(finished);
    // The same survey sent twice is still fine (the first one was stored).
    await caller.participant.submitSurvey({ slug, ...survey });
    const p = await participantRow(done.jar, done.studyId);
    expect(await db.select().from(schema.ratings).where(eq(schema.ratings.participantId, p.id))).toHaveLength(1);
  });

  it('after the time limit a send says the time is up', async () => {
    const { slug, studyId } = await createTestStudy(db);
    const s = session();
    await s.caller.participant.enter({ slug, query: {} });
    await reachChat(s.caller, slug);
    const p = await participantRow(s.jar, studyId);
    await db.update(schema.participants).set({ createdAt: new Date(Date.now() - 24 * 3600_000) }).where(eq(schema.participants.id, p.id));
    await expect(s.caller.participant.sendMessage({ slug, clientMessageId: crypto.randomUUID(), content: 'late' })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
      message: expect.stringContaining('time for this study is up'),
    });
    await expect(s.caller.participant.rate({ slug, afterTurn: 2, value: 3 })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    expect((await s.caller.participant.state({ slug })).outcome).toBe('timed_out');
  });

  it('declining twice (a double click) is the same answer', async () => {
    const { slug } = await createTestStudy(db);
    const s = session();
    await s.caller.participant.enter({ slug, query: {} });
    await s.caller.participant.consent({ slug, accept: false, consentVersion: 'v1' });
    await s.caller.participant.consent({ slug, accept: false, consentVersion: 'v1' });
    await expect(s.caller.participant.consent({ slug, accept: true, consentVersion: 'v1' })).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});

describe('rate limits kept in Postgres', () => {
  it('count exactly under concurrency: of 90 simultaneous hits on one key, exactly the limit pass', async () => {
    const key = `test:${crypto.randomUUID()}`;
    const rule = { limit: 40, windowMs: 3600_000, message: 'slow down' };
    const now = new Date();
    const results = await Promise.allSettled(Array.from({ length: 90 }, () => hitRateLimit(db, key, rule, now)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(40);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused).toHaveLength(50);
    for (const r of refused) expect(r.reason).toMatchObject({ code: 'TOO_MANY_REQUESTS', message: 'slow down' });
    // A new window starts again from zero and clears the key's old windows.
    await hitRateLimit(db, key, rule, new Date(now.getTime() + rule.windowMs));
    const rows = await db.select().from(schema.participantRateWindows).where(eq(schema.participantRateWindows.key, key));
    expect(rows.map((r) => r.hits)).toEqual([1]);
  });

  it('new sessions per client address are limited; resuming from that address still works', async () => {
    const { slug, studyId } = await createTestStudy(db);
    const address = `198.51.100.${crypto.randomInt(1, 250)}-${crypto.randomUUID()}`;
    const first = session(address);
    await first.caller.participant.enter({ slug, query: {} });
    await Promise.all(Array.from({ length: ENTER_LIMIT.limit - 1 }, () => session(address).caller.participant.enter({ slug, query: {} })));
    await expect(session(address).caller.participant.enter({ slug, query: {} })).rejects.toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      message: ENTER_LIMIT.message,
    });
    await first.caller.participant.enter({ slug, query: {} });
    await session(`${address}-other`).caller.participant.enter({ slug, query: {} });
    expect(await db.select().from(schema.participants).where(eq(schema.participants.studyId, studyId))).toHaveLength(ENTER_LIMIT.limit + 1);
  });

  it('draft saves per participant are limited', async () => {
    const { slug, studyId } = await createTestStudy(db);
    const s = session();
    await s.caller.participant.enter({ slug, query: {} });
    await reachChat(s.caller, slug);
    const participant = await participantRow(s.jar, studyId);
    const now = new Date();
    for (let i = 0; i < DRAFT_SAVE_LIMIT.limit; i++) await saveDraft(db, participant, { content: `draft ${i}`, source: 'edit', now });
    await expect(saveDraft(db, participant, { content: 'one too many', source: 'edit', now })).rejects.toMatchObject({
      code: 'TOO_MANY_REQUESTS',
    });
    const drafts = await db.select().from(schema.documentDrafts).where(eq(schema.documentDrafts.participantId, participant.id));
    expect(drafts).toHaveLength(DRAFT_SAVE_LIMIT.limit);
  });
});
