/**
 * Stratified assignment through the real participant flow on Postgres: 200 participants consenting (or
 * answering the stratifying setup question) at once; within every stratum each arm stays within one
 * permuted block, and every stored draw replays exactly from its row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { closeDb, getDbHandle, schema, type Database } from '../../db';
import { STRATIFIED_ALGORITHM_VERSION, replayAssignment, type ArmWeight } from '../randomization';
import { studyConfigSchema, type StudyConfig } from '../studies/config';
import { buildDashboard } from '../insights/dashboard';
import { createCaller } from '../api/root';
import { createInnerContext } from '../api/trpc';
import { DOCUMENT_TYPE_FACTOR } from './assignment';
import { finishInstructions, recordConsent, submitSetup } from './flow';
import { createTestStudy, demoArm, testStudyConfig } from './testing/fixtures';

const { assignments, participants } = schema;

let db: Database;
beforeAll(async () => {
  const handle = await getDbHandle();
  expect(handle.kind).toBe('postgres');
  db = handle.db;
});
afterAll(closeDb);

async function newParticipant(studyId: string, studyVersionId: string) {
  const [row] = await db.insert(participants).values({ studyId, studyVersionId, source: 'link' }).returning();
  return row!;
}

async function reload(id: string) {
  const [row] = await db.select().from(participants).where(eq(participants.id, id));
  return row!;
}

/** Within each stratum: every arm between k·w and (k+1)·w with k = ⌊n/W⌋ (the permuted-block guarantee). */
function expectBlockBalance(cells: Map<string, Record<string, number>>, arms: ArmWeight[]) {
  const W = arms.reduce((sum, a) => sum + a.weight, 0);
  for (const counts of cells.values()) {
    const n = Object.values(counts).reduce((x, y) => x + y, 0);
    const k = Math.floor(n / W);
    for (const arm of arms) {
      expect(counts[arm.key] ?? 0).toBeGreaterThanOrEqual(k * arm.weight);
      expect(counts[arm.key] ?? 0).toBeLessThanOrEqual((k + 1) * arm.weight);
    }
  }
}

async function storedRows(studyId: string) {
  return db.select().from(assignments).where(eq(assignments.studyId, studyId)).orderBy(asc(assignments.sequence));
}

function armWeights(config: StudyConfig): ArmWeight[] {
  return config.arms.map((a) => ({ key: a.key, weight: a.weight }));
}

describe('stratified assignment under concurrency (Postgres)', () => {
  it('by document type: 200 concurrent consents stay within one block per stratum and replay exactly', async () => {
    const config = testStudyConfig({ stratification: { by: 'documentType' } });
    const { studyId, versionId } = await createTestStudy(db, { config });
    const rows = await Promise.all(Array.from({ length: 200 }, () => newParticipant(studyId, versionId!)));
    await Promise.all(rows.map((p) => recordConsent(db, p, { accept: true, consentVersion: config.consent.version })));

    const stored = await storedRows(studyId);
    expect(stored).toHaveLength(200);
    expect(stored.map((r) => r.sequence)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    const people = new Map((await db.select().from(participants).where(eq(participants.studyId, studyId))).map((p) => [p.id, p]));
    const cells = new Map<string, Record<string, number>>();
    for (const row of stored) {
      const p = people.get(row.participantId)!;
      expect(row.algorithmVersion).toBe(STRATIFIED_ALGORITHM_VERSION);
      expect(row.stratumFactor).toBe(DOCUMENT_TYPE_FACTOR);
      expect(row.stratum).toBe(p.documentType);
      expect(p.armKey).toBe(row.armKey);
      // Everyone stays live, so each draw saw exactly the earlier entrants of its own stratum.
      const cell = cells.get(row.stratum!) ?? {};
      expect(Object.values(row.countsSeen).reduce((x, y) => x + y, 0)).toBe(Object.values(cell).reduce((x, y) => x + y, 0));
      cell[row.armKey] = (cell[row.armKey] ?? 0) + 1;
      cells.set(row.stratum!, cell);
      expect(replayAssignment({ ...row, arms: armWeights(config) })).toMatchObject({ matches: true, armKey: row.armKey, draw: row.draw });
    }
    expect(cells.size).toBe(3);
    expectBlockBalance(cells, armWeights(config));

    // The results page's balance table shows the same cells.
    const dashboard = await buildDashboard(db, { studyId, population: 'itt' });
    expect(dashboard.balance.factor).toEqual({ kind: 'documentType', stratified: true });
    for (const row of dashboard.balance.rows) {
      for (const arm of config.arms) expect(row.counts[arm.key]).toBe(cells.get(row.stratum)?.[arm.key] ?? 0);
    }
    expect(dashboard.balance.rows.map((r) => r.stratum).sort()).toEqual([...cells.keys()].sort());
  });

  it('by a fixed-choice topic answer, weights 2:1: the arm is assigned after the answer is stored; 200 concurrent entries', async () => {
    const base = testStudyConfig();
    const config: StudyConfig = studyConfigSchema.parse({
      ...base,
      arms: [demoArm('collabllm', { weight: 2 }), demoArm('baseline')],
      topicQuestions: [...base.topicQuestions, { id: 'experience', prompt: 'How much do you write?', options: ['Rarely', 'Weekly', 'Daily'] }],
      stratification: { by: 'topicQuestion', questionId: 'experience' },
    });
    const { studyId, versionId } = await createTestStudy(db, { config });
    const options = ['Rarely', 'Weekly', 'Daily'];
    await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const p = await newParticipant(studyId, versionId!);
        await recordConsent(db, p, { accept: true, consentVersion: config.consent.version });
        const consented = await reload(p.id);
        // No arm before the stratifying answer is known.
        expect(consented.armKey).toBeNull();
        expect(consented.documentType).not.toBeNull();
        await finishInstructions(db, consented);
        await submitSetup(db, await reload(p.id), {
          topicId: 'travel',
          answers: { audience: 'friends', point: 'a point', experience: options[(i * 7) % 3]! },
        });
      }),
    );
    const stored = await storedRows(studyId);
    expect(stored).toHaveLength(200);
    const cells = new Map<string, Record<string, number>>();
    for (const row of stored) {
      expect(row.stratumFactor).toBe('topic_question:experience');
      const cell = cells.get(row.stratum!) ?? {};
      cell[row.armKey] = (cell[row.armKey] ?? 0) + 1;
      cells.set(row.stratum!, cell);
      expect(replayAssignment({ ...row, arms: armWeights(config) }).matches).toBe(true);
    }
    expect([...cells.keys()].sort()).toEqual(['Daily', 'Rarely', 'Weekly']);
    expectBlockBalance(cells, armWeights(config));
    const conversations = await db.select().from(schema.conversations);
    const assigned = new Set(stored.map((r) => r.participantId));
    expect(conversations.filter((c) => c.participantId && assigned.has(c.participantId))).toHaveLength(200);

    // An answer outside the options is refused, and nothing is assigned.
    const p = await newParticipant(studyId, versionId!);
    await recordConsent(db, p, { accept: true, consentVersion: config.consent.version });
    await finishInstructions(db, await reload(p.id));
    await expect(
      submitSetup(db, await reload(p.id), { topicId: 'travel', answers: { audience: 'x', point: 'y', experience: 'Hourly' } }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect((await reload(p.id)).armKey).toBeNull();

    const dashboard = await buildDashboard(db, { studyId, population: 'itt' });
    expect(dashboard.balance.factor).toEqual({ kind: 'topicQuestion', questionId: 'experience', label: 'How much do you write?', stratified: true });
    expect(dashboard.balance.rows.find((r) => r.stratum === 'Daily')?.counts).toEqual(cells.get('Daily'));
  });

  it('an unstratified study keeps blocked-urn-live/v1 and still gets a balance table by document type', async () => {
    const config = testStudyConfig();
    const { studyId, versionId } = await createTestStudy(db, { config });
    const rows = await Promise.all(Array.from({ length: 12 }, () => newParticipant(studyId, versionId!)));
    for (const p of rows) await recordConsent(db, p, { accept: true, consentVersion: config.consent.version });
    const stored = await storedRows(studyId);
    expect(stored.every((r) => r.algorithmVersion === 'blocked-urn-live/v1' && r.stratum === null && r.stratumFactor === null)).toBe(true);
    // Through the results.dashboard procedure, as the results page loads it (any signed-in viewer).
    const [user] = await db.insert(schema.users).values({ email: `viewer-${studyId}@test.local`, role: 'viewer' }).returning();
    const viewer = createCaller(createInnerContext({ db, actor: { id: user!.id, email: user!.email, name: null, role: 'viewer', via: 'session' } }));
    const dashboard = await viewer.results.dashboard({ studyId, population: 'itt' });
    expect(dashboard.balance.factor).toEqual({ kind: 'documentType', stratified: false });
    expect(dashboard.balance.rows.every((r) => r.label === config.documentTypes.find((d) => d.key === r.stratum)?.label)).toBe(true);
    const total = dashboard.balance.rows.reduce((sum, r) => sum + Object.values(r.counts).reduce((x, y) => x + y, 0), 0);
    expect(total).toBe(12);
  });
});
