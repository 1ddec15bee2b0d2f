/**
 * Simulated pilots end to end on the real Postgres, with the real `openai` SDK over HTTP against the fake
 * OpenAI-compatible server: the study's own arms, prompts and limits through the participant chat path, the
 * queue's jobs (in process, and a worker process killed with SIGKILL mid-reply), and the pilot's read.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, count, eq, inArray, isNull } from 'drizzle-orm';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../scripts/fake-openai-server';
import { closeDb, getDb, schema, type Database } from '../../db';
import { JobWorker } from '../jobs/worker';
import { countGroupJobs } from '../jobs/queue';
import { createCaller } from '../api/root';
import { createInnerContext } from '../api/trpc';
import type { Actor } from '../auth/session';
import { assistantSnapshot } from '../participants/flow';
import { createTestConnection, createTestStudy, demoArm, testStudyConfig, TEST_SYSTEM_PROMPTS } from '../participants/testing/fixtures';
import { PILOT_ALLOCATION_VERSION } from '../participants/assignment';
import { pilotJobDefinitions } from './jobs';
import { onPilotCompleted, pilotGroupKey } from './lifecycle';
import { studyJudgeJobDefinitions } from '../study-judging/jobs';
import { fakePilotResponder } from './testing/fake-pilot-responder';
import { waitFor } from '../lib/testing/wait-for';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let db: Database;
let fake: FakeOpenAIServer;
let connectionId: string;
let actor: Actor;
let holding: Promise<void> | null = null;
let releaseHeld: () => void = () => {};
const children: ChildProcess[] = [];

beforeAll(async () => {
  db = await getDb();
  fake = await startFakeOpenAIServer({ latencyMs: 5, responder: fakePilotResponder({ userTurns: 3, holdArmReply: () => holding }) });
  connectionId = (await createTestConnection(db, fake.url)).id;
  const [user] = await db.insert(schema.users).values({ email: `pilot-${randomUUID().slice(0, 8)}@test.local`, role: 'researcher' }).returning();
  actor = { id: user!.id, email: user!.email, name: null, role: 'researcher', via: 'session' };
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  releaseHeld();
  await fake.close();
  await closeDb();
});

const caller = () => createCaller(createInnerContext({ db, actor, cookies: new Map() }));

/** A running study whose two arms talk to the fake server (so the real SDK is on the path). */
async function fakeArmStudy(overrides: Parameters<typeof testStudyConfig>[0] = {}) {
  const config = testStudyConfig({
    arms: [demoArm('baseline', { connectionId, model: 'fake-model' }), demoArm('collabllm', { connectionId, model: 'fake-model' })],
    ...overrides,
  });
  return createTestStudy(db, { config });
}

async function pilotRow(pilotId: string) {
  return (await db.select().from(schema.studyPilots).where(eq(schema.studyPilots.id, pilotId)))[0]!;
}

async function pilotParticipants(pilotId: string) {
  return db.select().from(schema.participants).where(eq(schema.participants.pilotId, pilotId)).orderBy(asc(schema.participants.externalId));
}

async function messagesOf(participantId: string) {
  return db
    .select({ m: schema.messages })
    .from(schema.messages)
    .innerJoin(schema.conversations, eq(schema.conversations.id, schema.messages.conversationId))
    .where(eq(schema.conversations.participantId, participantId))
    .orderBy(asc(schema.messages.seq))
    .then((rows) => rows.map((r) => r.m));
}

/** Every participant completed once: one row per index, alternating messages, every reply complete, one survey. */
async function expectCleanSessions(pilotId: string, planned: number) {
  const rows = await pilotParticipants(pilotId);
  expect(rows).toHaveLength(planned);
  expect(new Set(rows.map((r) => r.externalParams.index)).size).toBe(planned);
  for (const p of rows) {
    expect(p.outcome).toBe('completed');
    const messages = await messagesOf(p.id);
    expect(messages.length % 2).toBe(0);
    messages.forEach((m, i) => expect(m.role).toBe(i % 2 === 0 ? 'user' : 'assistant'));
    expect(messages.every((m) => m.status === 'complete')).toBe(true);
    expect(new Set(messages.filter((m) => m.role === 'user').map((m) => m.clientMessageId)).size).toBe(messages.length / 2);
    const [surveys] = await db.select({ n: count() }).from(schema.surveyResponses).where(eq(schema.surveyResponses.participantId, p.id));
    expect(surveys!.n).toBe(1);
  }
  return rows;
}

describe('a simulated pilot', () => {
  it('runs the study through the participant chat path: arm snapshot, prompts, limits, ratings, pane and survey', async () => {
    const { studyId, versionId, config } = await fakeArmStudy();
    const worker = new JobWorker({ db, definitions: pilotJobDefinitions(), concurrency: 4, pollIntervalMs: 20, retryBaseMs: 5 });
    worker.start();
    try {
      fake.reset();
      const { pilotId, participants } = await caller().pilots.start({
        studyId,
        settings: { participantsPerArm: 2, simulator: { connectionId, model: 'fake-sim' }, seed: 'e2e', concurrency: 2, pricing: { assistant: { input: 1, output: 2 } } },
      });
      expect(participants).toBe(4);
      await waitFor(async () => (await pilotRow(pilotId)).status === 'completed');
      const pilot = await pilotRow(pilotId);
      expect(pilot.config).toMatchObject({ source: 'version', studyVersionId: versionId, versionNumber: 1 });

      const rows = await expectCleanSessions(pilotId, 4);
      // Balanced allocation: two per arm, recorded as the pilot's allocation outside the study's sequence.
      expect(rows.filter((r) => r.armKey === 'baseline')).toHaveLength(2);
      expect(rows.filter((r) => r.armKey === 'collabllm')).toHaveLength(2);
      const assignments = await db.select().from(schema.assignments).where(inArray(schema.assignments.participantId, rows.map((r) => r.id)));
      expect(assignments).toHaveLength(4);
      expect(assignments.every((a) => a.sequence === 0 && a.algorithmVersion === PILOT_ALLOCATION_VERSION && a.stratum === null)).toBe(true);

      for (const p of rows) {
        expect(p.isPreview).toBe(false);
        expect(p.documentType).not.toBeNull();
        expect(p.topicAnswers).toEqual({ audience: 'my hiking club', point: 'slow travel is rewarding' });
        const [conversation] = await db.select().from(schema.conversations).where(eq(schema.conversations.participantId, p.id));
        const arm = config.arms.find((a) => a.key === p.armKey)!;
        // The same snapshot a person's conversation records.
        expect(conversation!.assistantConfig).toEqual(assistantSnapshot(arm));
        expect(conversation!.metadata).toMatchObject({ pilot: { pilotId, simulator: { kind: 'llm', model: 'fake-sim' } } });
        const messages = await messagesOf(p.id);
        const turns = messages.length / 2;
        // The simulated user wants to stop on its third turn (and may: the study asks at least 2), so it finishes
        // the chat instead of sending that message.
        expect(turns).toBe(2);
        expect(messages.filter((m) => m.role === 'assistant').every((m) => m.model === 'fake-model' && m.promptTokens! > 0)).toBe(true);
        // The rating gate (every 2 replies) was answered as a person answers it.
        const ratings = await db.select().from(schema.ratings).where(eq(schema.ratings.participantId, p.id));
        expect(ratings.map((r) => [r.afterTurn, r.value])).toEqual([[2, 7]]);
        // "Use this in my document" copied the marked draft; the survey stored the pane's last state.
        const drafts = await db.select().from(schema.documentDrafts).where(eq(schema.documentDrafts.participantId, p.id));
        expect(drafts.some((d) => d.source === 'use_message' && d.content.startsWith('A walk along the harbour, version 2.'))).toBe(true);
        const [survey] = await db.select().from(schema.surveyResponses).where(eq(schema.surveyResponses.participantId, p.id));
        expect(survey).toMatchObject({ documentQuality: 8, overallInteraction: 6, blindingGuess: 'Not sure' });
        expect(survey!.finalDocument).toContain('harbour');
      }

      // The arms' requests carried the arm's own system prompt and the chat, never the topic answers.
      const armRequests = fake.requests.filter((r) => r.path.endsWith('/chat/completions') && r.body?.stream);
      expect(armRequests.length).toBe(8);
      for (const r of armRequests) {
        const system = r.body!.messages!.find((m) => m.role === 'system');
        const prompt = typeof system?.content === 'string' ? system.content : '';
        expect([TEST_SYSTEM_PROMPTS.collabllm, undefined]).toContain(prompt || undefined);
        expect(JSON.stringify(r.body!.messages)).not.toContain('hiking club');
      }

      const detail = await caller().pilots.get({ studyId, pilotId });
      expect(detail.progress).toMatchObject({ planned: 4, ended: 4, fraction: 1 });
      expect(detail.arms.map((a) => [a.key, a.completed, a.failed])).toEqual([
        ['baseline', 2, 0],
        ['collabllm', 2, 0],
      ]);
      expect(detail.arms[0]!.outcomes.documentQuality).toMatchObject({ n: 2, mean: 8 });
      expect(detail.arms[1]!.outcomes.turns).toMatchObject({ n: 2, mean: 2 });
      expect(detail.arms[1]!.outcomes.tokensRead.n).toBe(2);
      expect(detail.arms[1]!.outcomes.tokensRead.mean).toBeGreaterThan(20);
      expect(detail.arms[0]!.outcomes.totalTimeSec.n).toBe(2);
      expect(detail.arms[0]!.outcomes.meanRating).toMatchObject({ n: 2, mean: 7 });
      expect(detail.usage.assistant.promptTokens).toBeGreaterThan(0);
      expect(detail.usage.simulator.completionTokens).toBeGreaterThan(0);
      expect(detail.costUsd).toBeGreaterThan(0);
      const transcript = await caller().pilots.transcript({ studyId, pilotId, participantId: rows[0]!.id });
      expect(transcript.messages).toHaveLength(4);
      expect(await caller().pilots.list({ studyId })).toEqual([expect.objectContaining({ id: pilotId, status: 'completed', participants: 4 })]);
    } finally {
      await worker.stop({ graceMs: 1000 });
    }
  }, 120_000);

  it('runs a draft study on its draft configuration with the offline scripted participant and demo arms, then judges it', async () => {
    const config = testStudyConfig({ arms: [demoArm('baseline'), demoArm('proactive')], minTurns: 3 });
    const { studyId } = await createTestStudy(db, { status: 'draft', config, withVersion: false });
    const worker = new JobWorker({ db, definitions: [...pilotJobDefinitions(), ...studyJudgeJobDefinitions()], concurrency: 2, pollIntervalMs: 20, retryBaseMs: 5 });
    worker.start();
    try {
      const { pilotId } = await caller().pilots.start({ studyId, settings: { participantsPerArm: 1, simulator: { connectionId: null }, seed: 'draft' } });
      await waitFor(async () => (await pilotRow(pilotId)).status === 'completed');
      const pilot = await pilotRow(pilotId);
      expect(pilot.config).toMatchObject({ source: 'draft' });
      const [version] = await db.select().from(schema.studyVersions).where(eq(schema.studyVersions.id, (pilot.config as { studyVersionId: string }).studyVersionId));
      expect(version).toMatchObject({ draftPreview: true });
      expect(version!.version).toBeLessThanOrEqual(0);
      const rows = await expectCleanSessions(pilotId, 2);
      for (const p of rows) {
        const messages = await messagesOf(p.id);
        // The study's minimum of 3 turns holds even though the scripted user would stop sooner.
        expect(messages.length / 2).toBeGreaterThanOrEqual(3);
        expect(messages.filter((m) => m.role === 'assistant').every((m) => m.isDemoModel)).toBe(true);
      }
      // Completing the pilot started judging its conversations with the default offline demo-judge, once.
      const judged = async () => db.select().from(schema.studyJudgeRuns).where(eq(schema.studyJudgeRuns.pilotId, pilotId));
      await waitFor(async () => (await judged())[0]?.status === 'completed');
      expect(await judged()).toHaveLength(1);
      const scores = await db.select().from(schema.studyJudgeScores).where(inArray(schema.studyJudgeScores.participantId, rows.map((p) => p.id)));
      expect(new Set(scores.map((x) => x.participantId))).toEqual(new Set(rows.map((p) => p.id)));
      expect(scores.some((x) => x.metric === 'quality')).toBe(true);
      expect(scores.every((x) => x.judge.startsWith('demo-judge'))).toBe(true);
      // A retried completion finds the run it started instead of starting another.
      await onPilotCompleted(db, pilotId);
      expect(await judged()).toHaveLength(1);
      // No real participant was judged.
      expect((await db.select().from(schema.studyJudgeRuns).where(and(eq(schema.studyJudgeRuns.studyId, studyId), isNull(schema.studyJudgeRuns.pilotId))))).toHaveLength(0);
    } finally {
      await worker.stop({ graceMs: 1000 });
    }
  }, 120_000);

  it('refuses bad settings with a clear error and cancels a pilot', async () => {
    const { studyId } = await fakeArmStudy();
    await expect(caller().pilots.start({ studyId, settings: { participantsPerArm: 0, simulator: { connectionId: null }, seed: 'x' } })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(
      caller().pilots.start({ studyId, settings: { participantsPerArm: 1, simulator: { connectionId: randomUUID(), model: 'm' }, seed: 'x' } }),
    ).rejects.toThrow(/simulator connection does not exist/);
    const { pilotId } = await caller().pilots.start({ studyId, settings: { participantsPerArm: 3, simulator: { connectionId: null }, seed: 'cancel' } });
    await caller().pilots.cancel({ studyId, pilotId });
    expect((await pilotRow(pilotId)).status).toBe('cancelled');
    expect(await countGroupJobs(db, pilotGroupKey(pilotId))).toMatchObject({ cancelled: 6, queued: 0 });
    await expect(caller().pilots.cancel({ studyId, pilotId })).rejects.toThrow(/already ended \(cancelled\)/);
  });

  it('stops the whole pilot with the reason when the arm endpoint rejects the request (terminal error)', async () => {
    const { studyId } = await fakeArmStudy();
    const worker = new JobWorker({ db, definitions: pilotJobDefinitions(), concurrency: 2, pollIntervalMs: 20, retryBaseMs: 5 });
    worker.start();
    try {
      fake.reset();
      // Enough refusals for every reply attempt of both participants; the offline participant sends no model requests.
      fake.failNext(...Array.from({ length: 12 }, () => ({ kind: 'status' as const, status: 401, message: 'invalid api key' })));
      const { pilotId } = await caller().pilots.start({ studyId, settings: { participantsPerArm: 1, simulator: { connectionId: null }, seed: 'refused' } });
      await waitFor(async () => (await pilotRow(pilotId)).status === 'failed');
      const pilot = await pilotRow(pilotId);
      expect(pilot.error).toMatch(/retrying cannot fix/);
      const detail = await caller().pilots.get({ studyId, pilotId });
      expect(detail.failures.length).toBeGreaterThanOrEqual(1);
      expect(detail.failures[0]!.error).toMatch(/401/);
      expect(detail.arms.every((a) => a.completed === 0)).toBe(true);
    } finally {
      fake.reset();
      await worker.stop({ graceMs: 1000 });
    }
  }, 120_000);

  it('resumes after a worker process is killed mid-reply, without duplicate participants, messages or surveys', async () => {
    const { studyId } = await fakeArmStudy({ minTurns: 2, maxTurns: 6 });
    const workerEnv = { ...process.env, JOB_LEASE_MS: '3000', JOB_POLL_INTERVAL_MS: '50', WORKER_CONCURRENCY: '4', LLM_TIMEOUT_MS: '600000', LOG_LEVEL: 'error' };
    const startWorker = (leaseMs: string) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/worker.ts'], { env: { ...workerEnv, JOB_LEASE_MS: leaseMs }, stdio: ['ignore', 'ignore', 'pipe'] });
      children.push(child);
      return child;
    };
    const { pilotId } = await caller().pilots.start({ studyId, settings: { participantsPerArm: 2, simulator: { connectionId, model: 'fake-sim' }, seed: 'kill', concurrency: 2 } });
    const first = startWorker('3000');
    // Wait until two sessions are in the chat, then hold every arm reply open: the worker is frozen mid-reply.
    await waitFor(async () => {
      const rows = await db.select({ n: count() }).from(schema.participants).where(and(eq(schema.participants.pilotId, pilotId), eq(schema.participants.stage, 'chat')));
      return rows[0]!.n >= 1;
    });
    holding = new Promise<void>((resolve) => (releaseHeld = resolve));
    const generating = async () =>
      (
        await db
          .select({ n: count() })
          .from(schema.messages)
          .innerJoin(schema.conversations, eq(schema.conversations.id, schema.messages.conversationId))
          .innerJoin(schema.participants, eq(schema.participants.id, schema.conversations.participantId))
          .where(and(eq(schema.participants.pilotId, pilotId), eq(schema.messages.status, 'generating')))
      )[0]!.n;
    await waitFor(async () => (await generating()) >= 1);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    holding = null;
    releaseHeld();
    const orphaned = (
      await db
        .select({ id: schema.messages.id })
        .from(schema.messages)
        .innerJoin(schema.conversations, eq(schema.conversations.id, schema.messages.conversationId))
        .innerJoin(schema.participants, eq(schema.participants.id, schema.conversations.participantId))
        .where(and(eq(schema.participants.pilotId, pilotId), eq(schema.messages.status, 'generating')))
    ).map((r) => r.id);
    expect(orphaned.length).toBeGreaterThanOrEqual(1);
    expect((await pilotRow(pilotId)).status).toBe('running');

    const second = startWorker('30000');
    await waitFor(async () => (await pilotRow(pilotId)).status === 'completed', 120_000);
    second.kill('SIGTERM');
    await new Promise((r) => second.once('exit', r));

    const rows = await expectCleanSessions(pilotId, 4);
    // The replies the killed worker left generating were retried in place ("Try again"), not duplicated.
    const retried = await db.select().from(schema.messages).where(inArray(schema.messages.id, orphaned));
    expect(retried).toHaveLength(orphaned.length);
    expect(retried.every((m) => m.status === 'complete' && m.completedAt !== null && m.content.includes('<document>'))).toBe(true);
    expect(rows.every((r) => r.outcome === 'completed')).toBe(true);
    expect(await countGroupJobs(db, pilotGroupKey(pilotId))).toMatchObject({ completed: 4, active: 0, queued: 0 });
  }, 240_000);
});
