/**
 * The participant flow through the real tRPC procedures on a real Postgres: identity and isolation,
 * consent and assignment, the chat (idempotent resends, limits, detached replies), survey outcomes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { closeDb, getDb, schema, type Database } from '../../db';
import { createCaller } from '../api/root';
import { createInnerContext } from '../api/trpc';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../scripts/fake-openai-server';
import { createTestConnection, createTestStudy, demoArm, testStudyConfig, TEST_SYSTEM_PROMPTS } from './testing/fixtures';
import { participantCookieName, signParticipantCookie, verifyParticipantCookie } from './identity';
import { followReply, waitForGeneration } from './generation-hub';
import { sweepOrphanedReplies } from './reply-owners';

let db: Database;
let fake: FakeOpenAIServer;

beforeAll(async () => {
  db = await getDb();
  fake = await startFakeOpenAIServer({ tokenDelayMs: 15 });
});
afterAll(async () => {
  await fake.close();
  await closeDb();
});

function session(actor: Parameters<typeof createInnerContext>[0]['actor'] = null) {
  const jar = new Map<string, string>();
  const caller = createCaller(createInnerContext({ db, actor, cookies: jar }));
  return { jar, caller };
}

async function participantOf(jar: Map<string, string>, studyId: string) {
  const id = verifyParticipantCookie(studyId, jar.get(participantCookieName(studyId)));
  expect(id).not.toBeNull();
  const [row] = await db.select().from(schema.participants).where(eq(schema.participants.id, id!));
  return row!;
}

/** Consent, instructions and setup: leaves the session in the chat. */
async function reachChat(caller: ReturnType<typeof session>['caller'], slug: string) {
  await caller.participant.consent({ slug, accept: true, consentVersion: 'v1' });
  await caller.participant.finishInstructions({ slug });
  await caller.participant.submitSetup({ slug, topicId: 'travel', answers: { audience: 'friends', point: 'trains are great' } });
}

async function sendAndWait(caller: ReturnType<typeof session>['caller'], slug: string, content: string) {
  const sent = await caller.participant.sendMessage({ slug, clientMessageId: crypto.randomUUID(), content });
  await waitForGeneration(sent.assistantMessageId);
  return sent;
}

describe('entering a study', () => {
  it('stores Prolific ids and returns the same session for the same PROLIFIC_PID and SESSION_ID (new device)', async () => {
    const { slug, studyId } = await createTestStudy(db);
    const query = { PROLIFIC_PID: 'pid-123', STUDY_ID: 'st-9', SESSION_ID: 'se-1' };
    const first = session();
    await first.caller.participant.enter({ slug, query });
    const p1 = await participantOf(first.jar, studyId);
    expect(p1.source).toBe('prolific');
    expect(p1.externalId).toBe('pid-123');
    expect(p1.externalParams).toEqual(query);

    const other = session();
    await other.caller.participant.enter({ slug, query });
    expect((await participantOf(other.jar, studyId)).id).toBe(p1.id);
    const rows = await db.select().from(schema.participants).where(eq(schema.participants.studyId, studyId));
    expect(rows).toHaveLength(1);
  });

  it('stores MTurk ids and refuses to start an MTurk preview', async () => {
    const { slug, studyId } = await createTestStudy(db);
    const s = session();
    await s.caller.participant.enter({
      slug,
      query: { workerId: 'W1', assignmentId: 'A1', hitId: 'H1', turkSubmitTo: 'https://workersandbox.mturk.com' },
    });
    const p = await participantOf(s.jar, studyId);
    expect(p).toMatchObject({ source: 'mturk', externalId: 'W1' });
    expect(p.externalParams).toMatchObject({ assignmentId: 'A1', hitId: 'H1' });
    await expect(
      session().caller.participant.enter({ slug, query: { assignmentId: 'ASSIGNMENT_ID_NOT_AVAILABLE', hitId: 'H1' } }),
    ).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
  });

  it('plain links resume by cookie; a study that is not running refuses newcomers', async () => {
    const { slug, studyId } = await createTestStudy(db);
    const s = session();
    await s.caller.participant.enter({ slug, query: {} });
    const p = await participantOf(s.jar, studyId);
    await s.caller.participant.enter({ slug, query: {} });
    expect((await participantOf(s.jar, studyId)).id).toBe(p.id);

    const paused = await createTestStudy(db, { status: 'paused' });
    await expect(session().caller.participant.enter({ slug: paused.slug, query: {} })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
      message: expect.stringContaining('paused'),
    });
  });

  it('researcher previews need a researcher and are flagged as previews', async () => {
    const { slug, studyId } = await createTestStudy(db, { status: 'draft' });
    await expect(session().caller.participant.enter({ slug, query: { preview: '1' } })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const [user] = await db.insert(schema.users).values({ email: `r-${Date.now()}@t.local`, role: 'researcher' }).returning();
    const s = session({ id: user!.id, email: user!.email, name: null, role: 'researcher', via: 'session' });
    await s.caller.participant.enter({ slug, query: { preview: '1' } });
    const p = await participantOf(s.jar, studyId);
    expect(p).toMatchObject({ isPreview: true, source: 'preview', previewUserId: user!.id });
    await s.caller.participant.consent({ slug, accept: true, consentVersion: 'v1' });
    const assignments = await db.select().from(schema.assignments).where(eq(schema.assignments.participantId, p.id));
    expect(assignments.map((a) => a.sequence)).toEqual([0]);
    expect((await participantOf(s.jar, studyId)).armKey).not.toBeNull();
  });
});

describe('identity and isolation', () => {
  it('rejects missing, tampered and cross-study cookies', async () => {
    const a = await createTestStudy(db);
    const b = await createTestStudy(db);
    const s = session();
    await s.caller.participant.enter({ slug: a.slug, query: {} });
    const value = s.jar.get(participantCookieName(a.studyId))!;

    await expect(session().caller.participant.state({ slug: a.slug })).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const tampered = session();
    const [id, sig] = value.split('.');
    tampered.jar.set(participantCookieName(a.studyId), `${id}.${sig!.slice(0, -2)}xx`);
    await expect(tampered.caller.participant.state({ slug: a.slug })).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const otherId = session();
    otherId.jar.set(participantCookieName(a.studyId), `${crypto.randomUUID()}.${sig}`);
    await expect(otherId.caller.participant.state({ slug: a.slug })).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const crossStudy = session();
    crossStudy.jar.set(participantCookieName(b.studyId), value);
    await expect(crossStudy.caller.participant.state({ slug: b.slug })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // A correctly signed cookie for study A still names a participant of A only.
    crossStudy.jar.set(participantCookieName(b.studyId), signParticipantCookie(b.studyId, id!));
    await expect(crossStudy.caller.participant.state({ slug: b.slug })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it("one participant cannot read, retry, stream or copy another's reply", async () => {
    const { slug } = await createTestStudy(db);
    const alice = session();
    const bob = session();
    for (const p of [alice, bob]) {
      await p.caller.participant.enter({ slug, query: {} });
      await reachChat(p.caller, slug);
    }
    const sent = await sendAndWait(alice.caller, slug, 'Help me write about trains.');
    const bobState = await bob.caller.participant.state({ slug });
    expect(bobState.chat?.messages).toEqual([]);

    await expect(bob.caller.participant.retryReply({ slug, messageId: sent.assistantMessageId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      bob.caller.participant.saveDraft({ slug, content: 'x', source: 'use_message', sourceMessageId: sent.assistantMessageId }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const stream = await bob.caller.participant.reply({ slug, messageId: sent.assistantMessageId });
    await expect((async () => {
      for await (const _ of stream) return 'got data';
    })()).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('consent and assignment', () => {
  it('declining ends with the no-consent code and assigns nothing', async () => {
    const { slug, studyId } = await createTestStudy(db);
    const s = session();
    await s.caller.participant.enter({ slug, query: { PROLIFIC_PID: 'decliner' } });
    await s.caller.participant.consent({ slug, accept: false, consentVersion: 'v1' });
    const state = await s.caller.participant.state({ slug });
    expect(state).toMatchObject({ stage: 'done', outcome: 'no_consent', completion: { code: 'CODE-NOCONSENT' } });
    expect(state.completion?.redirect).toEqual({ kind: 'prolific', url: 'https://app.prolific.com/submissions/complete?cc=CODE-NOCONSENT' });
    const p = await participantOf(s.jar, studyId);
    expect(p.armKey).toBeNull();
    expect(await db.select().from(schema.assignments).where(eq(schema.assignments.participantId, p.id))).toHaveLength(0);
  });

  it('accepting records the consent version, assigns once, draws a document type and creates the conversation', async () => {
    const { slug, studyId, config } = await createTestStudy(db);
    const s = session();
    await s.caller.participant.enter({ slug, query: {} });
    await s.caller.participant.consent({ slug, accept: true, consentVersion: 'v1' });
    await s.caller.participant.consent({ slug, accept: true, consentVersion: 'v1' });
    const p = await participantOf(s.jar, studyId);
    expect(p).toMatchObject({ stage: 'instructions', consentVersion: 'v1' });
    expect(config.arms.map((a) => a.key)).toContain(p.armKey);
    expect(config.documentTypes.map((d) => d.key)).toContain(p.documentType);
    expect(await db.select().from(schema.assignments).where(eq(schema.assignments.participantId, p.id))).toHaveLength(1);
    const [conversation] = await db.select().from(schema.conversations).where(eq(schema.conversations.participantId, p.id));
    expect(conversation).toMatchObject({ kind: 'participant', armKey: p.armKey });
    const visits = await db.select().from(schema.stageVisits).where(eq(schema.stageVisits.participantId, p.id));
    expect(visits.map((v) => v.stage).sort()).toEqual(['consent', 'instructions']);
    expect(visits.find((v) => v.stage === 'consent')?.leftAt).not.toBeNull();
  });

  it('refuses a stale consent version', async () => {
    const { slug } = await createTestStudy(db);
    const s = session();
    await s.caller.participant.enter({ slug, query: {} });
    await expect(s.caller.participant.consent({ slug, accept: true, consentVersion: 'v0' })).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});

describe('the chat', () => {
  it('two tabs sending at once: one message is stored and answered, the other is refused and its early reply writes nothing', async () => {
    const connection = await createTestConnection(db, fake.url);
    const { slug, studyId } = await createTestStudy(db, {
      config: testStudyConfig({ arms: [demoArm('baseline', { connectionId: connection.id, model: 'fake-base-model' })] }),
    });
    const s = session();
    await s.caller.participant.enter({ slug, query: {} });
    await reachChat(s.caller, slug);
    const results = await Promise.allSettled(
      ['first tab', 'second tab'].map((content) => s.caller.participant.sendMessage({ slug, clientMessageId: crypto.randomUUID(), content })),
    );
    const sent = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(sent).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ code: 'CONFLICT' });
    await waitForGeneration(sent[0]!.assistantMessageId);

    const p = await participantOf(s.jar, studyId);
    const [conversation] = await db.select().from(schema.conversations).where(eq(schema.conversations.participantId, p.id));
    const messages = await db.select().from(schema.messages).where(eq(schema.messages.conversationId, conversation!.id));
    expect(messages.map((m) => [m.id, m.role, m.status]).sort()).toEqual(
      [
        [sent[0]!.userMessageId, 'user', 'complete'],
        [sent[0]!.assistantMessageId, 'assistant', 'complete'],
      ].sort(),
    );
  });

  it('stores a message carrying U+0000 without it instead of failing (Postgres text cannot hold it)', async () => {
    const { slug, studyId } = await createTestStudy(db);
    const s = session();
    await s.caller.participant.enter({ slug, query: {} });
    await reachChat(s.caller, slug);
    const sent = await sendAndWait(s.caller, slug, 'trains\u0000 and boats');
    const [stored] = await db.select().from(schema.messages).where(eq(schema.messages.id, sent.userMessageId));
    expect(stored?.content).toBe('trains and boats');
    expect((await participantOf(s.jar, studyId)).id).toEqual(expect.any(String));
  });

  it('stores replies with model, usage and timing; a resend with the same clientMessageId is stored once', async () => {
    const { slug, studyId } = await createTestStudy(db);
    const s = session();
    await s.caller.participant.enter({ slug, query: {} });
    await reachChat(s.caller, slug);
    const clientMessageId = crypto.randomUUID();
    const first = await s.caller.participant.sendMessage({ slug, clientMessageId, content: 'I want a post about trains.' });
    const again = await s.caller.participant.sendMessage({ slug, clientMessageId, content: 'I want a post about trains.' });
    expect(again).toEqual({ ...first, duplicate: true });
    await waitForGeneration(first.assistantMessageId);

    const p = await participantOf(s.jar, studyId);
    const [conversation] = await db.select().from(schema.conversations).where(eq(schema.conversations.participantId, p.id));
    const messages = await db.select().from(schema.messages).where(eq(schema.messages.conversationId, conversation!.id));
    expect(messages.filter((m) => m.role === 'user')).toHaveLength(1);
    const reply = messages.find((m) => m.role === 'assistant')!;
    expect(reply.status).toBe('complete');
    expect(reply.content.length).toBeGreaterThan(0);
    expect(reply.model).toMatch(/demo/);
    expect(reply.isDemoModel).toBe(true);
    expect(reply.completionTokens).toBeGreaterThan(0);
    expect(reply.ttftMs).not.toBeNull();
    expect(reply.generationMs).not.toBeNull();

    const state = await s.caller.participant.state({ slug });
    expect(state.chat?.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(JSON.stringify(state)).not.toMatch(/demo-|SECRET-PROMPT|armKey|baseline|proactive|collabllm/);
  });

  it('enforces message length, the rating gate, the turn limit and the minimum turns', async () => {
    const { slug } = await createTestStudy(db, { config: testStudyConfig({ minTurns: 3, maxTurns: 3, ratingInterval: 2 }) });
    const s = session();
    await s.caller.participant.enter({ slug, query: {} });
    await reachChat(s.caller, slug);
    await expect(s.caller.participant.sendMessage({ slug, clientMessageId: crypto.randomUUID(), content: 'x'.repeat(501) })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('500'),
    });
    await sendAndWait(s.caller, slug, 'one');
    await expect(s.caller.participant.finishChat({ slug })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    await sendAndWait(s.caller, slug, 'two');
    const state = await s.caller.participant.state({ slug });
    expect(state.chat?.pendingRatingAfterTurn).toBe(2);
    await expect(s.caller.participant.sendMessage({ slug, clientMessageId: crypto.randomUUID(), content: 'three' })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
      message: expect.stringContaining('rate'),
    });
    await s.caller.participant.rate({ slug, afterTurn: 2, value: 7 });
    await sendAndWait(s.caller, slug, 'three');
    await expect(s.caller.participant.sendMessage({ slug, clientMessageId: crypto.randomUUID(), content: 'four' })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
      message: expect.stringContaining('limit'),
    });
    await s.caller.participant.finishChat({ slug });
    expect((await s.caller.participant.state({ slug })).stage).toBe('survey');
  });

  it('limits the message rate', async () => {
    const { slug } = await createTestStudy(db, { config: testStudyConfig({ messagesPerMinute: 1 }) });
    const s = session();
    await s.caller.participant.enter({ slug, query: {} });
    await reachChat(s.caller, slug);
    await sendAndWait(s.caller, slug, 'first');
    await expect(s.caller.participant.sendMessage({ slug, clientMessageId: crypto.randomUUID(), content: 'second' })).rejects.toMatchObject({
      code: 'TOO_MANY_REQUESTS',
    });
  });

  it('sends a participant past the time limit to the timed-out ending', async () => {
    const { slug, studyId } = await createTestStudy(db, { config: testStudyConfig({ timeLimitMinutes: 1 }) });
    const s = session();
    await s.caller.participant.enter({ slug, query: {} });
    const p = await participantOf(s.jar, studyId);
    await db.update(schema.participants).set({ createdAt: new Date(Date.now() - 2 * 60_000) }).where(eq(schema.participants.id, p.id));
    const state = await s.caller.participant.state({ slug });
    expect(state).toMatchObject({ stage: 'done', outcome: 'timed_out', completion: { code: 'CODE-TIMEOUT' } });
  });

  it('keeps generating and stores the reply after the subscriber disconnects; the system prompt goes to the model, topic answers do not', async () => {
    const connection = await createTestConnection(db, fake.url);
    const arm = demoArm('collabllm', { connectionId: connection.id, model: 'fake-collab-model' });
    const { slug, studyId } = await createTestStudy(db, { config: testStudyConfig({ arms: [arm] }) });
    fake.reset();
    fake.queueReplies(Array.from({ length: 40 }, (_, i) => `word${i}`).join(' '));
    const s = session();
    await s.caller.participant.enter({ slug, query: {} });
    await reachChat(s.caller, slug);
    const sent = await s.caller.participant.sendMessage({ slug, clientMessageId: crypto.randomUUID(), content: 'Write about trains.' });

    const controller = new AbortController();
    const events = [];
    for await (const e of followReply(db, sent.assistantMessageId, null, controller.signal)) {
      events.push(e);
      if (events.length === 2) {
        controller.abort();
        break;
      }
    }
    expect(events[0]?.event.type).toBe('text');
    await waitForGeneration(sent.assistantMessageId);
    const [row] = await db.select().from(schema.messages).where(eq(schema.messages.id, sent.assistantMessageId));
    expect(row).toMatchObject({ status: 'complete', model: 'fake-collab-model', isDemoModel: false });
    expect(row!.content).toBe(Array.from({ length: 40 }, (_, i) => `word${i}`).join(' '));

    // A later subscriber resuming from an event id gets only the rest, then the end.
    const resumed = [];
    for await (const e of followReply(db, sent.assistantMessageId, events[1]!.id, undefined)) resumed.push(e);
    expect(resumed.at(-1)?.event).toEqual({ type: 'end', status: 'complete', text: row!.content });

    const request = fake.requests.at(-1)!;
    expect(request.body?.messages?.[0]).toEqual({ role: 'system', content: TEST_SYSTEM_PROMPTS.collabllm });
    expect(JSON.stringify(request.body)).not.toContain('trains are great');
    const p = await participantOf(s.jar, studyId);
    expect(p.topicAnswers).toEqual({ audience: 'friends', point: 'trains are great' });
  });

  it('a failed reply keeps the message and can be retried', async () => {
    const connection = await createTestConnection(db, fake.url);
    const arm = demoArm('baseline', { connectionId: connection.id, model: 'fake-base-model' });
    const { slug } = await createTestStudy(db, { config: testStudyConfig({ arms: [arm] }) });
    fake.reset();
    fake.failNext(...Array.from({ length: 10 }, () => ({ kind: 'status' as const, status: 400, message: 'bad' })));
    const s = session();
    await s.caller.participant.enter({ slug, query: {} });
    await reachChat(s.caller, slug);
    const sent = await sendAndWait(s.caller, slug, 'Please help.');
    let state = await s.caller.participant.state({ slug });
    expect(state.chat?.messages.map((m) => [m.role, m.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'failed'],
    ]);
    expect(state.chat?.messages[0]?.content).toBe('Please help.');
    expect(JSON.stringify(state)).not.toContain('bad');
    await expect(s.caller.participant.sendMessage({ slug, clientMessageId: crypto.randomUUID(), content: 'hello?' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    fake.reset();
    await s.caller.participant.retryReply({ slug, messageId: sent.assistantMessageId });
    await waitForGeneration(sent.assistantMessageId);
    state = await s.caller.participant.state({ slug });
    expect(state.chat?.messages.map((m) => m.status)).toEqual(['complete', 'complete']);
  });
});

describe('restarts', () => {
  it('a reply left generating by a stopped process (no live owner) is marked interrupted by the sweep and can be retried', async () => {
    const { slug, studyId } = await createTestStudy(db);
    const s = session();
    await s.caller.participant.enter({ slug, query: {} });
    await reachChat(s.caller, slug);
    const p = await participantOf(s.jar, studyId);
    const [conversation] = await db.select().from(schema.conversations).where(eq(schema.conversations.participantId, p.id));
    // What a crash leaves behind: the stored message and a half-written reply row that no process is generating.
    await db.insert(schema.messages).values({ conversationId: conversation!.id, seq: 1, role: 'user', content: 'Before the crash', clientMessageId: 'crash-1' });
    const [orphan] = await db
      .insert(schema.messages)
      .values({ conversationId: conversation!.id, seq: 2, role: 'assistant', content: 'Half a rep', status: 'generating' })
      .returning();

    const [simulation] = await db.insert(schema.conversations).values({ kind: 'simulation' }).returning();
    const [simulated] = await db
      .insert(schema.messages)
      .values({ conversationId: simulation!.id, seq: 1, role: 'assistant', content: '', status: 'generating' })
      .returning();

    expect(await sweepOrphanedReplies(db)).toContain(orphan!.id);
    const [untouched] = await db.select().from(schema.messages).where(eq(schema.messages.id, simulated!.id));
    expect(untouched?.status).toBe('generating'); // the worker's benchmark replies are not ours to interrupt
    let state = await s.caller.participant.state({ slug });
    expect(state.chat?.messages.map((m) => [m.content, m.status])).toEqual([
      ['Before the crash', 'complete'],
      ['Half a rep', 'interrupted'],
    ]);
    await s.caller.participant.retryReply({ slug, messageId: orphan!.id });
    await waitForGeneration(orphan!.id);
    state = await s.caller.participant.state({ slug });
    expect(state.chat?.messages[1]?.status).toBe('complete');
    expect(state.chat?.messages[1]?.content.length).toBeGreaterThan(10);
    expect(state.chat?.turnsCompleted).toBe(1);
  });
});

describe('drafts, heartbeats and the survey', () => {
  async function throughChat(config = testStudyConfig()) {
    const study = await createTestStudy(db, { config });
    const s = session();
    await s.caller.participant.enter({ slug: study.slug, query: { PROLIFIC_PID: `pid-${crypto.randomUUID()}` } });
    await reachChat(s.caller, study.slug);
    const a = await sendAndWait(s.caller, study.slug, 'first');
    await sendAndWait(s.caller, study.slug, 'second');
    await s.caller.participant.rate({ slug: study.slug, afterTurn: 2, value: 8 });
    await s.caller.participant.saveDraft({ slug: study.slug, content: 'Draft one', source: 'use_message', sourceMessageId: a.assistantMessageId });
    await s.caller.participant.saveDraft({ slug: study.slug, content: 'Draft one', source: 'edit' });
    await s.caller.participant.saveDraft({ slug: study.slug, content: 'Draft two, edited', source: 'edit' });
    await s.caller.participant.heartbeat({ slug: study.slug, focused: true, idle: false, intervalMs: 999_999, waitingForModel: false });
    await s.caller.participant.finishChat({ slug: study.slug });
    return { ...study, ...s };
  }
  const survey = { documentQuality: 8, overallInteraction: 9, strengths: 'Helpful and quick', weaknesses: 'Sometimes too long', blindingGuess: 'Not sure' };

  it('completes with the completion code; failing one attention check does not exclude', async () => {
    const { slug, studyId, caller, jar } = await throughChat();
    await expect(
      caller.participant.submitSurvey({ slug, ...survey, strengths: 'short', attentionAnswers: { check_a: 'Purple', check_b: 'Neutral' } }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await caller.participant.submitSurvey({ slug, ...survey, attentionAnswers: { check_a: 'Purple', check_b: 'Neutral' } });
    const state = await caller.participant.state({ slug });
    expect(state).toMatchObject({ stage: 'done', outcome: 'completed', completion: { code: 'CODE-DONE' } });
    const p = await participantOf(jar, studyId);
    expect(p).toMatchObject({ attentionFailures: 1, excluded: false });
    const [response] = await db.select().from(schema.surveyResponses).where(eq(schema.surveyResponses.participantId, p.id));
    expect(response).toMatchObject({ documentQuality: 8, overallInteraction: 9, finalDocument: 'Draft two, edited' });
    const drafts = await db.select().from(schema.documentDrafts).where(eq(schema.documentDrafts.participantId, p.id));
    expect(drafts.map((d) => d.source).sort()).toEqual(['edit', 'use_message']);
    const [beat] = await db.select().from(schema.heartbeats).where(and(eq(schema.heartbeats.participantId, p.id)));
    expect(beat).toMatchObject({ stage: 'chat', intervalMs: 120_000 });
    const ratings = await db.select().from(schema.ratings).where(eq(schema.ratings.participantId, p.id));
    expect(ratings.map((r) => [r.afterTurn, r.value])).toEqual([[2, 8]]);
  });

  it('each save answers with the draft revision the state reports, so a page can tell a newer draft from a stale read', async () => {
    const study = await createTestStudy(db, { config: testStudyConfig() });
    const { caller } = session();
    const slug = study.slug;
    await caller.participant.enter({ slug, query: { PROLIFIC_PID: `pid-${crypto.randomUUID()}` } });
    await reachChat(caller, slug);
    expect((await caller.participant.state({ slug })).chat).toMatchObject({ draft: null, draftRevision: 0 });
    const first = await caller.participant.saveDraft({ slug, content: 'One', source: 'edit' });
    expect(first.saved).toBe(true);
    expect((await caller.participant.state({ slug })).chat).toMatchObject({ draft: 'One', draftRevision: first.revision });
    // Saved at a later time, so a later revision; the same text again stores nothing and keeps the revision.
    while (Date.now() <= first.revision) await new Promise((resolve) => setTimeout(resolve, 1));
    const second = await caller.participant.saveDraft({ slug, content: 'Two', source: 'edit' });
    const again = await caller.participant.saveDraft({ slug, content: 'Two', source: 'edit' });
    expect(second.saved).toBe(true);
    expect(second.revision).toBeGreaterThan(first.revision);
    expect(again).toEqual({ saved: false, revision: second.revision });
    expect((await caller.participant.state({ slug })).chat).toMatchObject({ draft: 'Two', draftRevision: second.revision });
  });

  it('failing both attention checks ends with the failed-checks code and flags exclusion', async () => {
    const { slug, studyId, caller, jar } = await throughChat();
    await caller.participant.submitSurvey({ slug, ...survey, attentionAnswers: { check_a: 'Red', check_b: 'Neutral' } });
    const state = await caller.participant.state({ slug });
    expect(state).toMatchObject({ outcome: 'failed_checks', completion: { code: 'CODE-CHECKS' } });
    expect(await participantOf(jar, studyId)).toMatchObject({ attentionFailures: 2, excluded: true });
    // Coming back later (same PROLIFIC_PID) shows the same ending, never a new assignment.
    await caller.participant.enter({ slug, query: {} });
    expect((await caller.participant.state({ slug })).completion?.code).toBe('CODE-CHECKS');
  });
});
