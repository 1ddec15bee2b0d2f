import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { closeDb, getDbHandle, schema, type Database } from '../../db';
import { openTestPglite } from '../../db/testing/pglite';
import { studyConfigSchema, type StudyConfig } from '../studies/config';
import { ALGORITHM_VERSION, replayAssignment, type ArmWeight } from '../randomization';
import { PREVIEW_SEQUENCE, assignArm } from './assignment';

const { assignments, participants, studies, studyVersions } = schema;

function configWithArms(arms: ArmWeight[]): StudyConfig {
  return studyConfigSchema.parse({
    title: 'Assignment test',
    consent: { version: 'v1', text: 'Consent text.' },
    instructions: 'Write something.',
    documentTypes: [{ key: 'essay', label: 'Essay' }],
    topics: [{ id: 't1', label: 'Topic' }],
    topicQuestions: [{ id: 'q1', prompt: 'Why?' }],
    arms: arms.map((a) => ({ key: a.key, label: a.key, connectionId: null, model: 'baseline', systemPrompt: '', weight: a.weight })),
    blindingOptions: ['A', 'B'],
    attentionChecks: [],
    completionCodes: { completed: 'C1', noConsent: 'C2', failedChecks: 'C3', timedOut: 'C4' },
  });
}

interface StudyFixture {
  studyId: string;
  studyVersionId: string;
  seed: string;
  arms: ArmWeight[];
}

async function createStudy(db: Database, arms: ArmWeight[]): Promise<StudyFixture> {
  const config = configWithArms(arms);
  const seed = `seed-${randomUUID()}`;
  const [study] = await db
    .insert(studies)
    .values({ slug: `assign-${randomUUID()}`, name: 'Assignment test', status: 'running', draftConfig: config, assignmentSeed: seed })
    .returning();
  const [version] = await db.insert(studyVersions).values({ studyId: study!.id, version: 1, config }).returning();
  await db.update(studies).set({ currentVersionId: version!.id }).where(eq(studies.id, study!.id));
  return { studyId: study!.id, studyVersionId: version!.id, seed, arms };
}

type ParticipantRow = typeof participants.$inferInsert;

async function addParticipants(db: Database, s: StudyFixture, rows: Partial<ParticipantRow>[]) {
  if (rows.length === 0) return;
  await db.insert(participants).values(rows.map((r) => ({ studyId: s.studyId, studyVersionId: s.studyVersionId, source: 'link' as const, ...r })));
}

/** One participant entering: create the row and assign, in one transaction (as the entry service would). */
function enter(db: Database, s: StudyFixture, opts: { isPreview?: boolean; now?: Date; inactiveAfterMinutes?: number } = {}) {
  return db.transaction(async (tx) => {
    const [p] = await tx
      .insert(participants)
      .values({
        studyId: s.studyId,
        studyVersionId: s.studyVersionId,
        source: opts.isPreview ? 'preview' : 'link',
        isPreview: opts.isPreview ?? false,
      })
      .returning({ id: participants.id });
    const result = await assignArm(tx, {
      studyId: s.studyId,
      studyVersionId: s.studyVersionId,
      participantId: p!.id,
      arms: s.arms,
      seed: s.seed,
      inactiveAfterMinutes: opts.inactiveAfterMinutes ?? 30,
      now: opts.now,
    });
    return { participantId: p!.id, ...result };
  });
}

function tally(keys: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of keys) out[k] = (out[k] ?? 0) + 1;
  return out;
}

async function storedAssignments(db: Database, studyId: string) {
  return db.select().from(assignments).where(eq(assignments.studyId, studyId)).orderBy(asc(assignments.sequence));
}

const abc: ArmWeight[] = [
  { key: 'a', weight: 1 },
  { key: 'b', weight: 1 },
  { key: 'c', weight: 1 },
];

describe('assignArm on Postgres', () => {
  let db: Database;
  beforeAll(async () => {
    const handle = await getDbHandle();
    expect(handle.kind).toBe('postgres');
    db = handle.db;
  });
  afterAll(closeDb);

  it('100 participants entering at once end balanced 34/33/33 with sequences 1…100 and replayable draws', async () => {
    const s = await createStudy(db, abc);
    const results = await Promise.all(Array.from({ length: 100 }, () => enter(db, s)));

    // Block guarantee: after n = 100 with three equal arms, k = 33 full blocks and one arm has the 100th.
    expect(Object.values(tally(results.map((r) => r.armKey))).sort()).toEqual([33, 33, 34]);
    expect(results.map((r) => r.sequence).sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));

    const rows = await storedAssignments(db, s.studyId);
    expect(rows).toHaveLength(100);
    for (const row of rows) {
      expect(row.algorithmVersion).toBe(ALGORITHM_VERSION);
      expect(row.seed).toBe(s.seed);
      // Each draw saw exactly the sequence − 1 participants before it (all live), and replays to the same arm.
      expect(Object.values(row.countsSeen).reduce((x, y) => x + y, 0)).toBe(row.sequence - 1);
      expect(replayAssignment({ ...row, arms: s.arms }).matches).toBe(true);
    }
    const arms = await db.select({ id: participants.id, armKey: participants.armKey }).from(participants).where(eq(participants.studyId, s.studyId));
    const byId = new Map(rows.map((r) => [r.participantId, r.armKey]));
    expect(arms.every((p) => p.armKey !== null && byId.get(p.id) === p.armKey)).toBe(true);
  });

  it('99 concurrent entries with weights 2:1 end exactly 66/33', async () => {
    const s = await createStudy(db, [
      { key: 'collab', weight: 2 },
      { key: 'base', weight: 1 },
    ]);
    const results = await Promise.all(Array.from({ length: 99 }, () => enter(db, s)));
    expect(tally(results.map((r) => r.armKey))).toEqual({ collab: 66, base: 33 });
    expect(new Set(results.map((r) => r.sequence)).size).toBe(99);
    expect(Math.max(...results.map((r) => r.sequence))).toBe(99);
  });

  it('counts completed and recently active participants only, with a configurable timeout', async () => {
    const s = await createStudy(db, [
      { key: 'a', weight: 1 },
      { key: 'b', weight: 1 },
    ]);
    const now = new Date('2026-11-27T12:00:00Z');
    const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
    await addParticipants(db, s, [
      // Arm a: 2 completed long ago (count), 3 abandoned 45 minutes ago (count only with a 60-minute timeout), 1 timed out.
      { armKey: 'a', outcome: 'completed', lastSeenAt: minutesAgo(600) },
      { armKey: 'a', outcome: 'completed', lastSeenAt: minutesAgo(600) },
      { armKey: 'a', lastSeenAt: minutesAgo(45) },
      { armKey: 'a', lastSeenAt: minutesAgo(45) },
      { armKey: 'a', lastSeenAt: minutesAgo(45) },
      { armKey: 'a', outcome: 'timed_out', lastSeenAt: minutesAgo(1) },
      // Arm b: 1 active a minute ago (counts), 1 failed checks, 2 excluded completers, 5 previews.
      { armKey: 'b', lastSeenAt: minutesAgo(1) },
      { armKey: 'b', outcome: 'failed_checks', lastSeenAt: minutesAgo(1) },
      { armKey: 'b', outcome: 'completed', excluded: true, exclusionReason: 'test', lastSeenAt: minutesAgo(5) },
      { armKey: 'b', outcome: 'completed', excluded: true, exclusionReason: 'test', lastSeenAt: minutesAgo(5) },
      ...Array.from({ length: 5 }, () => ({ armKey: 'b', isPreview: true, source: 'preview' as const, lastSeenAt: minutesAgo(1) })),
      // An arm that is no longer in the arm set.
      ...Array.from({ length: 10 }, () => ({ armKey: 'retired', outcome: 'completed' as const, lastSeenAt: minutesAgo(1) })),
    ]);

    const first = await enter(db, s, { now, inactiveAfterMinutes: 30 });
    const [row1] = await db.select().from(assignments).where(eq(assignments.participantId, first.participantId));
    expect(row1!.countsSeen).toEqual({ a: 2, b: 1 });
    // b is below its share (1 < 2), so it is refilled whatever the draw.
    expect(first.armKey).toBe('b');

    // With a 60-minute timeout the three from 45 minutes ago count again.
    const second = await enter(db, s, { now, inactiveAfterMinutes: 60 });
    const [row2] = await db.select().from(assignments).where(eq(assignments.participantId, second.participantId));
    // b: the one active participant and the first newcomer.
    expect(row2!.countsSeen).toEqual({ a: 5, b: 2 });
    expect(second.armKey).toBe('b');
    expect([first.sequence, second.sequence]).toEqual([1, 2]);
  });

  it('an abandoned participant stops counting once the timeout passes, and the arm is refilled', async () => {
    const s = await createStudy(db, [
      { key: 'a', weight: 1 },
      { key: 'b', weight: 1 },
    ]);
    const t0 = new Date('2026-11-27T09:00:00Z');
    const first = await enter(db, s, { now: t0 });
    const second = await enter(db, s, { now: t0 });
    expect(new Set([first.armKey, second.armKey])).toEqual(new Set(['a', 'b']));
    // The first participant goes quiet at t0; the second keeps sending heartbeats.
    const later = new Date(t0.getTime() + 31 * 60_000);
    await db.update(participants).set({ lastSeenAt: t0 }).where(eq(participants.id, first.participantId));
    await db.update(participants).set({ lastSeenAt: later }).where(eq(participants.id, second.participantId));

    const third = await enter(db, s, { now: later, inactiveAfterMinutes: 30 });
    expect(third.armKey).toBe(first.armKey);
    const [row] = await db.select().from(assignments).where(eq(assignments.participantId, third.participantId));
    // The entering participant has no arm yet while counting, so only the first two are candidates.
    expect(row!.countsSeen).toEqual({ [first.armKey]: 0, [second.armKey]: 1 });
  });

  it('previews get an arm but never count and never take a sequence number', async () => {
    const s = await createStudy(db, abc);
    const previews = await Promise.all(Array.from({ length: 12 }, () => enter(db, s, { isPreview: true })));
    expect(previews.every((p) => p.sequence === PREVIEW_SEQUENCE)).toBe(true);
    expect(previews.every((p) => abc.some((a) => a.key === p.armKey))).toBe(true);

    const real = await enter(db, s);
    expect(real.sequence).toBe(1);
    const [row] = await db.select().from(assignments).where(eq(assignments.participantId, real.participantId));
    expect(row!.countsSeen).toEqual({ a: 0, b: 0, c: 0 });
  });

  it('is idempotent: a second call (also concurrently) returns the first assignment and stores one row', async () => {
    const s = await createStudy(db, abc);
    const first = await enter(db, s);
    const input = { studyId: s.studyId, studyVersionId: s.studyVersionId, participantId: first.participantId, arms: s.arms, seed: s.seed, inactiveAfterMinutes: 30 };
    const again = await db.transaction((tx) => assignArm(tx, input));
    expect(again).toEqual({ armKey: first.armKey, draw: first.draw, sequence: first.sequence, algorithmVersion: first.algorithmVersion });

    const [p] = await db.insert(participants).values({ studyId: s.studyId, studyVersionId: s.studyVersionId, source: 'link' }).returning();
    const both = await Promise.all(
      [0, 1].map(() => db.transaction((tx) => assignArm(tx, { ...input, participantId: p!.id }))),
    );
    expect(both[0]).toEqual(both[1]);
    expect(await db.select().from(assignments).where(eq(assignments.participantId, p!.id))).toHaveLength(1);
    expect(both[0]!.sequence).toBe(2);
  });

  it('rejects unknown studies, participants of another study, and unusable arms', async () => {
    const s = await createStudy(db, abc);
    const other = await createStudy(db, abc);
    const [p] = await db.insert(participants).values({ studyId: other.studyId, studyVersionId: other.studyVersionId, source: 'link' }).returning();
    const base = { studyId: s.studyId, studyVersionId: s.studyVersionId, participantId: p!.id, arms: abc, seed: 'x', inactiveAfterMinutes: 30 };
    await expect(db.transaction((tx) => assignArm(tx, base))).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'Participant was not found.' });
    await expect(db.transaction((tx) => assignArm(tx, { ...base, studyId: randomUUID() }))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(db.transaction((tx) => assignArm(tx, { ...base, arms: [] }))).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    await expect(db.transaction((tx) => assignArm(tx, { ...base, inactiveAfterMinutes: 0 }))).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    expect(await storedAssignments(db, s.studyId)).toHaveLength(0);
  });
});

describe('assignArm on embedded PGlite', () => {
  let dir: string;
  let handle: Awaited<ReturnType<typeof openTestPglite>>;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'collab-assign-pglite-'));
    handle = await openTestPglite(dir);
  });
  afterAll(async () => {
    await handle?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('assigns 30 simultaneous entries 10/10/10 with sequences 1…30, idempotently, ignoring abandoned participants', async () => {
    const db = handle.db;
    const s = await createStudy(db, abc);
    const results = await Promise.all(Array.from({ length: 30 }, () => enter(db, s)));
    expect(tally(results.map((r) => r.armKey))).toEqual({ a: 10, b: 10, c: 10 });
    expect(results.map((r) => r.sequence).sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const rows = await storedAssignments(db, s.studyId);
    expect(rows.every((row) => replayAssignment({ ...row, arms: abc }).matches)).toBe(true);

    const again = await db.transaction((tx) =>
      assignArm(tx, { studyId: s.studyId, studyVersionId: s.studyVersionId, participantId: results[0]!.participantId, arms: abc, seed: s.seed, inactiveAfterMinutes: 30 }),
    );
    expect(again.sequence).toBe(results[0]!.sequence);

    // Everyone in arm a goes quiet for an hour: the next three all refill a.
    const aIds = results.filter((r) => r.armKey === 'a').map((r) => r.participantId);
    for (const id of aIds) await db.update(participants).set({ lastSeenAt: new Date(Date.now() - 3_600_000) }).where(eq(participants.id, id));
    const next = [];
    for (let i = 0; i < 3; i++) next.push(await enter(db, s));
    expect(next.map((r) => r.armKey)).toEqual(['a', 'a', 'a']);
    expect(next.map((r) => r.sequence)).toEqual([31, 32, 33]);
  });
});
