/**
 * Study judging end to end on the test Postgres: the real queue and worker, the benchmark's judges through the
 * real `openai` SDK over HTTP against the fake OpenAI-compatible server (and the offline demo-judge), and the
 * export. Covers targeting (real vs pilot participants), the pane/extraction choice, tokens and cost,
 * idempotent re-runs, two judges side by side, a terminal error with retry, cancel, and a worker process
 * killed with SIGKILL mid-run whose participants a second worker finishes without duplicate scores.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse/sync';
import { and, count, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../scripts/fake-openai-server';
import { closeDb, getDb, schema, type Database } from '../../db';
import { fakeBenchmarkResponder } from '../benchmarks/runs/testing/fake-benchmark-responder';
import { EXTRACTION_SYSTEM } from '../benchmarks/judge-prompts';
import { DEMO_JUDGE_LABEL, judgeLabelFor } from '../benchmarks/judges';
import { createStudyExport } from '../exports/archive';
import { seedParticipant, seedStudy } from '../insights/testing/seed';
import { appJobDefinitions } from '../jobs/definitions';
import { countGroupJobs, enqueueJobs } from '../jobs/queue';
import { JobWorker } from '../jobs/worker';
import { encryptSecret } from '../lib/secret';
import type { ServiceContext } from '../services/context';
import { executeStudyJudgeItem } from './execute-item';
import { JUDGE_ITEM_JOB } from './jobs';
import { judgeRunGroupKey } from './lifecycle';
import { cancelJudgeRun, listJudgeRuns, participantJudgeScores, retryFailedJudgeItems, startJudgeRunAsStaff, startStudyJudgeRun } from './service';
import { waitFor } from '../lib/testing/wait-for';

const API_KEY = 'sk-fake-study-judging-key';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let fake: FakeOpenAIServer;
let db: Database;
let ctx: ServiceContext;
let connectionId: string;
let badConnectionId: string;
const children: ChildProcess[] = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collab-judging-'));

const turns = [
  { user: 'Please help me write a blog post about my trip to Lisbon.', assistant: 'Gladly. Who will read it, and what stood out most?' },
  { user: 'Friends and family; the trams and the custard tarts.', assistant: 'Here is a draft:\n<document>\nLisbon, trams and tarts.\n</document>' },
];

/** A study with: two real completed participants (one with a pane document, one without), and others that must not be judged. */
async function seedJudgingStudy() {
  const { study, versions } = await seedStudy(db);
  const versionId = versions[0]!.id;
  const withPane = await seedParticipant(db, study.id, { versionId, armKey: 'baseline', outcome: 'completed', turns, survey: { documentQuality: 8, overallInteraction: 9 }, ratings: [{ afterTurn: 3, value: 7 }], drafts: ['first draft'] });
  const noPane = await seedParticipant(db, study.id, { versionId, armKey: 'collabllm', outcome: 'completed', turns, survey: { documentQuality: 5, overallInteraction: 6 } });
  await db.update(schema.surveyResponses).set({ finalDocument: null }).where(eq(schema.surveyResponses.participantId, noPane.id));
  const preview = await seedParticipant(db, study.id, { versionId, armKey: 'baseline', outcome: 'completed', isPreview: true, source: 'preview', turns });
  const inProgress = await seedParticipant(db, study.id, { versionId, armKey: 'baseline', outcome: null, turns });
  const noMessages = await seedParticipant(db, study.id, { versionId, armKey: 'baseline', outcome: 'completed' });
  const [pilot] = await db.insert(schema.studyPilots).values({ studyId: study.id, config: { participantsPerArm: 1 } }).returning();
  const pilotParticipant = await seedParticipant(db, study.id, { versionId, armKey: 'collabllm', outcome: 'completed', turns, drafts: ['pilot pane'], externalId: 'PILOT_SIM_1' });
  await db.update(schema.participants).set({ pilotId: pilot!.id, source: 'link' }).where(eq(schema.participants.id, pilotParticipant.id));
  return { study, withPane, noPane, preview, inProgress, noMessages, pilot: pilot!, pilotParticipant };
}

async function runRow(runId: string) {
  return (await db.select().from(schema.studyJudgeRuns).where(eq(schema.studyJudgeRuns.id, runId)))[0]!;
}
async function itemsOf(runId: string) {
  return db.select().from(schema.studyJudgeItems).where(eq(schema.studyJudgeItems.runId, runId));
}
/** Score rows per (participant, judge, metric): each must be exactly one. */
async function scoreCounts(participantIds: string[]) {
  const S = schema.studyJudgeScores;
  return db
    .select({ participantId: S.participantId, judge: S.judge, metric: S.metric, n: count() })
    .from(S)
    .where(inArray(S.participantId, participantIds))
    .groupBy(S.participantId, S.judge, S.metric);
}

const JUDGE_METRICS = ['clarifying_questions', 'document_words', 'interactivity', 'quality', 'tokens_read', 'tokens_typed', 'turns'];

function startWorker(concurrency = 4) {
  const worker = new JobWorker({ db, definitions: appJobDefinitions(), concurrency, pollIntervalMs: 20, retryBaseMs: 5 });
  worker.start();
  return worker;
}

beforeAll(async () => {
  fake = await startFakeOpenAIServer({ apiKey: API_KEY, latencyMs: 5, responder: fakeBenchmarkResponder() });
  db = await getDb();
  const tag = randomUUID().slice(0, 8);
  const [good] = await db
    .insert(schema.llmConnections)
    .values({ name: `judge-${tag}`, baseUrl: fake.url, apiKeyEncrypted: encryptSecret(API_KEY), defaultModel: 'fake-judge' })
    .returning();
  const [bad] = await db
    .insert(schema.llmConnections)
    .values({ name: `judge-bad-${tag}`, baseUrl: fake.url, apiKeyEncrypted: encryptSecret('sk-wrong-judge-key-1'), defaultModel: 'fake-judge' })
    .returning();
  connectionId = good!.id;
  badConnectionId = bad!.id;
  const [user] = await db.insert(schema.users).values({ email: `judging-${tag}@test.local`, role: 'researcher' }).returning();
  ctx = { db, actor: { id: user!.id, email: user!.email, name: null, role: 'researcher', via: 'session' } };
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await fake?.close();
  await closeDb();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('judging a study', () => {
  let seeded: Awaited<ReturnType<typeof seedJudgingStudy>>;
  let llmLabel: string;
  let firstRunId: string;

  it('judges every real completed participant end to end: pane or extraction, scores, tokens and cost', async () => {
    seeded = await seedJudgingStudy();
    llmLabel = judgeLabelFor({ connectionId, model: 'fake-judge' });
    fake.reset();
    const worker = startWorker();
    try {
      const started = await startJudgeRunAsStaff(ctx, {
        studyId: seeded.study.id,
        judge: { connectionId, model: 'fake-judge' },
        concurrency: 2,
        pricing: { input: 2, output: 4 },
      });
      firstRunId = started.runId;
      expect(started).toMatchObject({ participants: 2, judge: llmLabel, reused: false });
      await waitFor(async () => (await runRow(started.runId)).status === 'completed');
    } finally {
      await worker.stop({ graceMs: 1000 });
    }
    const items = await itemsOf(firstRunId);
    expect(items.map((i) => i.participantId).sort()).toEqual([seeded.withPane.id, seeded.noPane.id].sort());
    const pane = items.find((i) => i.participantId === seeded.withPane.id)!;
    const extracted = items.find((i) => i.participantId === seeded.noPane.id)!;
    expect(pane).toMatchObject({ status: 'completed', documentSource: 'pane', finalDocument: 'Final text', attempts: 1 });
    expect(extracted).toMatchObject({ status: 'completed', documentSource: 'extraction' });
    expect(extracted.finalDocument).toMatch(/^Here is a draft for you\./);
    // Only the participant without a pane document needed the extraction judge.
    expect(fake.requests.filter((r) => r.body?.messages?.[0]?.content === EXTRACTION_SYSTEM)).toHaveLength(1);
    expect(fake.requests.every((r) => r.headers.authorization === `Bearer ${API_KEY}`)).toBe(true);

    const counts = await scoreCounts([seeded.withPane.id, seeded.noPane.id]);
    expect(counts.every((c) => c.n === 1 && c.judge === llmLabel)).toBe(true);
    for (const id of [seeded.withPane.id, seeded.noPane.id])
      expect(counts.filter((c) => c.participantId === id).map((c) => c.metric).sort()).toEqual(JUDGE_METRICS);
    const scores = await participantJudgeScores(db, { studyId: seeded.study.id, participantId: seeded.withPane.id });
    expect(scores).toHaveLength(1);
    expect(scores[0]).toMatchObject({ judge: llmLabel, promptVersion: 'judge-v1', documentSource: 'pane' });
    const byMetric = Object.fromEntries(scores[0]!.scores.map((s) => [s.metric, s.value]));
    expect(byMetric).toMatchObject({ interactivity: 1, quality: 7, turns: 2, document_words: 2 });
    expect(scores[0]!.scores.find((s) => s.metric === 'quality')!.rationale).toBe('covers most of the brief');

    const [run] = (await listJudgeRuns(db, seeded.study.id)).filter((r) => r.id === firstRunId);
    expect(run).toMatchObject({ status: 'completed', counts: { total: 2, completed: 2, failed: 0 }, judge: llmLabel, isDemo: false, pilotId: null });
    expect(run!.tokens.prompt).toBeGreaterThan(0);
    expect(run!.tokens.completion).toBeGreaterThan(0);
    expect(run!.estimatedCostUsd).toBeCloseTo((run!.tokens.prompt * 2 + run!.tokens.completion * 4) / 1e6, 12);
  });

  it('re-running is idempotent; another judge adds its own scores and keeps the first', async () => {
    // The same item again (a duplicate delivery) does nothing, and the same job keys enqueue nothing.
    const items = await itemsOf(firstRunId);
    expect(await executeStudyJudgeItem(db, items[0]!.id)).toEqual({ status: 'skipped' });
    expect(
      await enqueueJobs(db, items.map((i) => ({ kind: JUDGE_ITEM_JOB, payload: { runId: firstRunId, itemId: i.id }, key: `study-judge-item:${i.id}`, groupKey: judgeRunGroupKey(firstRunId) }))),
    ).toBe(0);

    const worker = startWorker();
    try {
      // A second run with the same judge: the scores are replaced, not duplicated.
      const again = await startJudgeRunAsStaff(ctx, { studyId: seeded.study.id, judge: { connectionId, model: 'fake-judge' } });
      await waitFor(async () => (await runRow(again.runId)).status === 'completed');
      // And the offline demo-judge: a second label next to the first.
      const demo = await startJudgeRunAsStaff(ctx, { studyId: seeded.study.id, judge: { connectionId: null } });
      expect(demo.judge).toBe(DEMO_JUDGE_LABEL);
      await waitFor(async () => (await runRow(demo.runId)).status === 'completed');
      const ids = [seeded.withPane.id, seeded.noPane.id];
      const counts = await scoreCounts(ids);
      expect(counts.every((c) => c.n === 1)).toBe(true);
      for (const id of ids) {
        expect(counts.filter((c) => c.participantId === id && c.judge === llmLabel).map((c) => c.metric).sort()).toEqual(JUDGE_METRICS);
        expect(counts.filter((c) => c.participantId === id && c.judge === DEMO_JUDGE_LABEL).map((c) => c.metric).sort()).toEqual(JUDGE_METRICS);
      }
      // The LLM judge's rows now belong to the second run's items.
      const llmItems = await db
        .select({ runId: schema.studyJudgeItems.runId })
        .from(schema.studyJudgeScores)
        .innerJoin(schema.studyJudgeItems, eq(schema.studyJudgeItems.id, schema.studyJudgeScores.itemId))
        .where(and(eq(schema.studyJudgeScores.judge, llmLabel), inArray(schema.studyJudgeScores.participantId, ids)));
      expect(new Set(llmItems.map((r) => r.runId))).toEqual(new Set([again.runId]));
      const shown = await participantJudgeScores(db, { studyId: seeded.study.id, participantId: seeded.noPane.id });
      expect(shown.map((s) => s.judge).sort()).toEqual([DEMO_JUDGE_LABEL, llmLabel].sort());
      expect(shown.find((s) => s.judge === DEMO_JUDGE_LABEL)).toMatchObject({ promptVersion: 'demo-v1', documentSource: 'extraction' });
      // The demo-judge spends no tokens.
      const demoRun = (await listJudgeRuns(db, seeded.study.id)).find((r) => r.id === demo.runId)!;
      expect(demoRun).toMatchObject({ isDemo: true, tokens: { prompt: 0, completion: 0 }, estimatedCostUsd: 0 });
    } finally {
      await worker.stop({ graceMs: 1000 });
    }
  });

  it('targets either the real participants or exactly one pilot, and refuses a second live run of the same judge', async () => {
    // No worker: runs stay queued, so the live-run check and cancel can be seen.
    const pilotRun = await startStudyJudgeRun(db, { studyId: seeded.study.id, pilotId: seeded.pilot.id, judge: { connectionId: null } });
    expect(pilotRun.participants).toBe(1);
    expect((await itemsOf(pilotRun.runId)).map((i) => i.participantId)).toEqual([seeded.pilotParticipant.id]);
    expect((await runRow(pilotRun.runId)).pilotId).toBe(seeded.pilot.id);

    const realRun = await startStudyJudgeRun(db, { studyId: seeded.study.id, judge: { connectionId: null } });
    const judged = (await itemsOf(realRun.runId)).map((i) => i.participantId);
    expect(judged.sort()).toEqual([seeded.withPane.id, seeded.noPane.id].sort());
    for (const never of [seeded.preview, seeded.inProgress, seeded.noMessages, seeded.pilotParticipant]) expect(judged).not.toContain(never.id);

    await expect(startStudyJudgeRun(db, { studyId: seeded.study.id, judge: { connectionId: null } })).rejects.toMatchObject({ code: 'CONFLICT' });
    // A caller that may run twice (the pilot's job) gets the existing run back instead.
    expect(await startStudyJudgeRun(db, { studyId: seeded.study.id, pilotId: seeded.pilot.id, judge: { connectionId: null }, reuseExisting: true })).toEqual({
      ...pilotRun,
      reused: true,
    });
    // A pilot of another study is not found here.
    const other = await seedStudy(db);
    const [foreign] = await db.insert(schema.studyPilots).values({ studyId: other.study.id, config: {} }).returning();
    await expect(startStudyJudgeRun(db, { studyId: seeded.study.id, pilotId: foreign!.id, judge: { connectionId: null } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(startStudyJudgeRun(db, { studyId: other.study.id, judge: { connectionId: null } })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });

    for (const runId of [pilotRun.runId, realRun.runId]) {
      await cancelJudgeRun(ctx, { studyId: seeded.study.id, runId });
      expect((await runRow(runId)).status).toBe('cancelled');
      expect((await itemsOf(runId)).every((i) => i.status === 'cancelled')).toBe(true);
      expect(await countGroupJobs(db, judgeRunGroupKey(runId))).toMatchObject({ queued: 0, active: 0 });
    }
    await expect(cancelJudgeRun(ctx, { studyId: seeded.study.id, runId: realRun.runId })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    await expect(retryFailedJudgeItems(ctx, { studyId: seeded.study.id, runId: realRun.runId })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    // Pilot participants were never scored by a real-participant run.
    expect(await scoreCounts([seeded.pilotParticipant.id])).toEqual([]);
  });

  it('stops the run on a rejected key (401) without retrying, and "retry failed" finishes it once the key is fixed', async () => {
    const worker = startWorker();
    try {
      const { runId } = await startJudgeRunAsStaff(ctx, { studyId: seeded.study.id, judge: { connectionId: badConnectionId, model: 'fake-judge' }, concurrency: 1 });
      await waitFor(async () => (await runRow(runId)).status === 'failed');
      await waitFor(async () => (await countGroupJobs(db, judgeRunGroupKey(runId))).active === 0);
      const run = await runRow(runId);
      expect(run.error).toMatch(/retrying cannot fix/);
      expect(run.error).not.toContain('sk-wrong-judge-key-1');
      const items = await itemsOf(runId);
      expect(items.filter((i) => i.status === 'failed')).toHaveLength(1);
      expect(items.filter((i) => i.status === 'failed')[0]!.attempts).toBe(1);
      expect(items.filter((i) => i.status === 'cancelled')).toHaveLength(1);
      const listed = (await listJudgeRuns(db, seeded.study.id)).find((r) => r.id === runId)!;
      expect(listed.failures[0]!.reason).toMatch(/401|key/i);

      await db.update(schema.llmConnections).set({ apiKeyEncrypted: encryptSecret(API_KEY) }).where(eq(schema.llmConnections.id, badConnectionId));
      expect(await retryFailedJudgeItems(ctx, { studyId: seeded.study.id, runId })).toEqual({ retried: 2 });
      await waitFor(async () => (await runRow(runId)).status === 'completed');
      expect((await itemsOf(runId)).every((i) => i.status === 'completed')).toBe(true);
      await expect(retryFailedJudgeItems(ctx, { studyId: seeded.study.id, runId })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
      const label = judgeLabelFor({ connectionId: badConnectionId, model: 'fake-judge' });
      expect((await scoreCounts([seeded.withPane.id])).filter((c) => c.judge === label)).toHaveLength(JUDGE_METRICS.length);
    } finally {
      await worker.stop({ graceMs: 1000 });
    }
  });

  it('exports the judge scores of real participants only (CSV and JSONL), with a codebook entry', async () => {
    for (const includePreviews of [false, true]) {
      const { stream, filename } = await createStudyExport(db, { studyId: seeded.study.id, versionIds: [], includePreviews, hashExternalIds: false, formats: ['csv', 'jsonl'] });
      const zip = path.join(tmp, `${includePreviews}-${filename}`);
      await pipeline(stream, fs.createWriteStream(zip));
      const read = (name: string) => execFileSync('unzip', ['-p', zip, `${seeded.study.slug}/${name}`], { encoding: 'utf8', maxBuffer: 64 << 20 });
      const csv = parse(read('judge_scores.csv'), { columns: true }) as Record<string, string>[];
      const jsonl = read('judge_scores.jsonl').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(jsonl).toHaveLength(csv.length);
      const participantsInScores = new Set(csv.map((r) => r.participant_id));
      expect([...participantsInScores].sort()).toEqual([seeded.withPane.id, seeded.noPane.id].sort());
      expect(new Set(csv.map((r) => r.judge))).toEqual(new Set([llmLabel, DEMO_JUDGE_LABEL, judgeLabelFor({ connectionId: badConnectionId, model: 'fake-judge' })]));
      expect(csv.some((r) => r.metric!.startsWith('bleu'))).toBe(false);
      const quality = csv.find((r) => r.participant_id === seeded.withPane.id && r.judge === llmLabel && r.metric === 'quality')!;
      expect(quality).toMatchObject({ value: '7', document_source: 'pane', prompt_version: 'judge-v1', rationale: 'covers most of the brief' });
      const participantsCsv = read('participants.csv');
      expect(participantsCsv).not.toContain(seeded.pilotParticipant.id);
      expect(read('judge_scores.jsonl')).not.toContain(seeded.pilotParticipant.id);
      expect(read('codebook.md')).toContain('## judge_scores');
    }
  });
});

describe('a worker killed mid-run', () => {
  it('resumes on another worker without duplicate scores', async () => {
    const PARTICIPANTS = 24;
    const { study, versions } = await seedStudy(db);
    const ids: string[] = [];
    // Enough participants that the worker cannot finish them all between two looks at its progress.
    for (let i = 0; i < PARTICIPANTS; i++)
      ids.push((await seedParticipant(db, study.id, { versionId: versions[0]!.id, armKey: i % 2 ? 'baseline' : 'collabllm', outcome: 'completed', turns, drafts: [`pane ${i}`] })).id);
    fake.reset();
    const { runId } = await startStudyJudgeRun(db, { studyId: study.id, judge: { connectionId, model: 'fake-judge' }, concurrency: 2 });
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/worker.ts'], {
      // A short lease so the killed worker's items come back soon; a request the fake holds stays open until the kill.
      env: { ...process.env, JOB_LEASE_MS: '3000', JOB_POLL_INTERVAL_MS: '50', WORKER_CONCURRENCY: '2', LLM_TIMEOUT_MS: '600000', LOG_LEVEL: 'error' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const completed = async () => (await itemsOf(runId)).filter((i) => i.status === 'completed').length;
    try {
      await waitFor(async () => (await completed()) >= 2);
    } catch (err) {
      throw new Error(`worker made no progress: ${stderr}`, { cause: err });
    }
    // Freeze the worker mid-judging: its next two model requests (one per slot) are held open.
    const hangsBefore = fake.requests.filter((r) => r.failure?.kind === 'hang').length;
    fake.failNext({ kind: 'hang' }, { kind: 'hang' });
    await waitFor(async () => fake.requests.filter((r) => r.failure?.kind === 'hang').length - hangsBefore === 2);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const interrupted = (await itemsOf(runId)).filter((i) => i.status === 'running').map((i) => i.id);
    expect(interrupted.length).toBeGreaterThan(0);
    expect((await runRow(runId)).status).toBe('running');

    const worker = new JobWorker({ db, definitions: appJobDefinitions(), concurrency: 4, pollIntervalMs: 20, retryBaseMs: 5, leaseMs: 30_000 });
    worker.start();
    try {
      await waitFor(async () => (await runRow(runId)).status === 'completed');
    } finally {
      await worker.stop({ graceMs: 1000 });
    }
    const items = await itemsOf(runId);
    expect(items).toHaveLength(PARTICIPANTS);
    expect(items.every((i) => i.status === 'completed' && i.documentSource === 'pane')).toBe(true);
    for (const id of interrupted) expect(items.find((i) => i.id === id)!.attempts).toBeGreaterThanOrEqual(2);
    const counts = await scoreCounts(ids);
    expect(counts.every((c) => c.n === 1)).toBe(true);
    expect(counts).toHaveLength(PARTICIPANTS * JUDGE_METRICS.length);
    expect(await countGroupJobs(db, judgeRunGroupKey(runId))).toMatchObject({ completed: PARTICIPANTS, active: 0, queued: 0 });
  }, 180_000);
});
