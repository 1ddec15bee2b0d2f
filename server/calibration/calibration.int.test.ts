/**
 * The calibration report on a real database: a three-arm study with participants seeded as the participant
 * flow stores them (survey, in-chat ratings; plus a preview, an excluded participant, one who failed the
 * attention checks and a simulated-pilot participant, all of whom carry judge scores that must not count),
 * two judges' scores as the judging job stores them, and a finished benchmark run whose third arm has another
 * key. Every number is checked against the pure statistics on arrays written from the seed.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, getDb, schema, type Database } from '../../db';
import { createCaller } from '../api/root';
import { createInnerContext } from '../api/trpc';
import { createRoleActors, expectRoleMatrix, type RoleMatrixActors } from '../api/testing/role-matrix';
import { calibrationRouter } from '../api/routers/calibration';
import { seedParticipant, seedStudy } from '../insights/testing/seed';
import { kendallTauB, meanBias, pairedTTest, spearman, welchDifference } from '../stats';
import { seedJudgeScores, seedScoredRun } from './testing/seed';

let db: Database;
let actors: RoleMatrixActors;
let studyId: string;
let runId: string;

const ARMS = ['baseline', 'proactive', 'collabllm'] as const;
// Per arm: survey document quality, overall interaction and in-chat ratings (1–10) of 6 participants.
const quality: Record<string, number[]> = { baseline: [4, 5, 6, 5, 3, 6], proactive: [6, 6, 7, 5, 8, 7], collabllm: [8, 7, 9, 9, 6, 8] };
const interaction: Record<string, number[]> = { baseline: [5, 4, 6, 5, 4, 5], proactive: [7, 6, 6, 8, 7, 6], collabllm: [9, 8, 8, 9, 7, 10] };
const inChat: Record<string, [number, number][]> = {
  baseline: [[4, 5], [5, 5], [6, 7], [4, 4], [3, 5], [6, 6]],
  proactive: [[6, 7], [6, 6], [7, 7], [5, 6], [8, 8], [6, 7]],
  collabllm: [[8, 9], [7, 8], [9, 9], [8, 8], [6, 7], [9, 10]],
};
// Judge A: quality 1–10 and interactivity on the released anchors; judge B: interactivity on Table 1 (stored rescaled).
const judgeAQuality = (arm: string, i: number) => Math.min(10, quality[arm]![i]! + ((i % 3) - 1));
const judgeAItr = (arm: string, i: number) => (arm === 'baseline' ? [0, 0.5, 0, 0.5, 0, 0.5][i]! : arm === 'proactive' ? 0.5 : [1, 0.5, 1, 1, 0.5, 1][i]!);
const judgeBRaw = (arm: string, i: number) => (arm === 'baseline' ? 1 + (i % 2) : arm === 'proactive' ? 2 : 3 - (i === 4 ? 1 : 0));
const rescale = (raw: number) => 2 * (raw - 2.5);
const JUDGE_A = 'judge-a@judge-v1#conn';
const JUDGE_B = 'judge-b@judge-v1+itr-table1#conn';
const RUN_JUDGE = 'demo-judge@demo-v1';
const unit = (x: number) => (x - 1) / 9;

beforeAll(async () => {
  db = await getDb();
  actors = await createRoleActors(db, 'calibration');
  const seeded = await seedStudy(db, { armKeys: [...ARMS] });
  studyId = seeded.study.id;
  const versionId = seeded.versions[0]!.id;
  const judgedA: Parameters<typeof seedJudgeScores>[3][number][] = [];
  const judgedB: Parameters<typeof seedJudgeScores>[3][number][] = [];
  for (const arm of ARMS) {
    for (let i = 0; i < 6; i++) {
      const p = await seedParticipant(db, studyId, {
        versionId,
        armKey: arm,
        externalId: `${arm}-${i}`,
        outcome: 'completed',
        ratings: [
          { afterTurn: 3, value: inChat[arm]![i]![0] },
          { afterTurn: 6, value: inChat[arm]![i]![1] },
        ],
        survey: { documentQuality: quality[arm]![i]!, overallInteraction: interaction[arm]![i]! },
      });
      judgedA.push({ participantId: p.id, quality: judgeAQuality(arm, i), interactivity: judgeAItr(arm, i) });
      // Judge B scored the first four participants of each arm only.
      if (i < 4) judgedB.push({ participantId: p.id, interactivity: rescale(judgeBRaw(arm, i)), interactivityDetails: { interactivityScale: 'paper-table1', rawScore: judgeBRaw(arm, i) } });
    }
  }
  // Participants who must not count, each with judge scores and ratings that would change every statistic.
  const outliers = { ratings: [{ afterTurn: 3, value: 1 }], survey: { documentQuality: 1, overallInteraction: 10 } };
  const preview = await seedParticipant(db, studyId, { versionId, armKey: 'baseline', isPreview: true, source: 'preview', outcome: 'completed', ...outliers });
  const excluded = await seedParticipant(db, studyId, { versionId, armKey: 'proactive', externalId: 'excluded', outcome: 'completed', excluded: true, exclusionReason: 'Pasted text', ...outliers });
  const failed = await seedParticipant(db, studyId, { versionId, armKey: 'collabllm', externalId: 'failed', outcome: 'completed', attentionFailures: 2, ...outliers });
  const unassigned = await seedParticipant(db, studyId, { versionId, armKey: null, externalId: 'unassigned', outcome: 'completed', ...outliers });
  const pilotParticipant = await seedParticipant(db, studyId, { versionId, armKey: 'baseline', externalId: 'pilot', outcome: 'completed', ...outliers });
  const [pilot] = await db.insert(schema.studyPilots).values({ studyId, status: 'completed', config: {} }).returning();
  await db.update(schema.participants).set({ pilotId: pilot!.id }).where(eq(schema.participants.id, pilotParticipant.id));
  for (const o of [preview, excluded, failed, unassigned, pilotParticipant]) judgedA.push({ participantId: o.id, quality: 10, interactivity: 0 });
  await seedJudgeScores(db, studyId, JUDGE_A, judgedA);
  await seedJudgeScores(db, studyId, JUDGE_B, judgedB);

  ({ run: { id: runId } } = await seedScoredRun(db, {
    name: 'Calibration run',
    arms: [
      { key: 'baseline', label: 'Base', connectionId: null, model: 'baseline', systemPrompt: '' },
      { key: 'proactive', label: 'Proactive', connectionId: null, model: 'proactive', systemPrompt: '' },
      { key: 'collab-v2', label: 'Collab v2', connectionId: null, model: 'collabllm', systemPrompt: '' },
    ],
    referenceArmKey: 'baseline',
    judge: RUN_JUDGE,
    tasks: 3,
    replicates: 2,
    score: (arm, t, r) => ({
      quality: 5 + t + r * 0.5 + (arm === 'proactive' ? 0.5 + 0.25 * t : arm === 'collab-v2' ? 1.5 + 0.5 * r : 0),
      interactivity: arm === 'baseline' ? 0.25 * r : arm === 'proactive' ? 0.5 : 0.75 + 0.125 * t,
    }),
  }));
});

afterAll(closeDb);

async function caller(role: 'viewer' | 'researcher' | 'admin' = 'viewer') {
  return createCaller(createInnerContext({ db, actor: actors[role] }));
}

describe('calibration report: judges vs people', () => {
  it('shows each judge, per pair pooled and per arm, with SciPy-equal coefficients and the bias on the common scale', async () => {
    const report = await (await caller()).calibration.report({ studyId });
    expect(report.participants).toBe(18);
    expect(report.judgedParticipants).toBe(18);
    expect(report.arms.map((a) => a.key)).toEqual([...ARMS]);
    expect(report.judges.map((j) => j.judge)).toEqual([JUDGE_A, JUDGE_B]);

    const a = report.judges[0]!;
    expect(a.participants).toBe(18);
    const dq = a.pairs.find((p) => p.key === 'document_quality')!;
    const judgeQ = ARMS.flatMap((arm) => quality[arm]!.map((_, i) => judgeAQuality(arm, i)));
    const humanQ = ARMS.flatMap((arm) => quality[arm]!);
    expect(dq.pooled.n).toBe(18);
    // Same numbers as the pure functions on the seeded arrays (order does not matter for ranks; the bias is a mean).
    expect(dq.pooled.spearman.rho).toBeCloseTo(spearman(judgeQ, humanQ).rho!, 12);
    expect(dq.pooled.spearman.p).toBeCloseTo(spearman(judgeQ, humanQ).p!, 12);
    expect(dq.pooled.kendall.tau).toBeCloseTo(kendallTauB(judgeQ, humanQ).tau!, 12);
    expect(dq.pooled.kendall.p).toBeCloseTo(kendallTauB(judgeQ, humanQ).p!, 12);
    expect(dq.pooled.kendall.method).toBe('asymptotic');
    expect(dq.pooled.bias.estimate).toBeCloseTo(meanBias(judgeQ.map(unit), humanQ.map(unit)).estimate!, 12);
    expect(dq.pooled.bias.lower).toBeCloseTo(meanBias(judgeQ.map(unit), humanQ.map(unit)).lower!, 12);
    expect(dq.points).toHaveLength(18);
    for (const [armIndex, person, judge] of dq.points) {
      expect(armIndex).toBeGreaterThanOrEqual(0);
      expect(person).toBeGreaterThanOrEqual(0);
      expect(judge).toBeLessThanOrEqual(1);
    }
    const collab = dq.perArm.find((g) => g.armKey === 'collabllm')!;
    const cj = quality.collabllm!.map((_, i) => judgeAQuality('collabllm', i));
    expect(collab.n).toBe(6);
    expect(collab.spearman.rho).toBeCloseTo(spearman(cj, quality.collabllm!).rho!, 12);
    expect(collab.kendall.p).toBeCloseTo(kendallTauB(cj, quality.collabllm!).p!, 12);

    // Judge A's interactivity is constant within the proactive arm: not defined there, with the reason.
    const overall = a.pairs.find((p) => p.key === 'interaction_overall')!;
    const proactive = overall.perArm.find((g) => g.armKey === 'proactive')!;
    expect(proactive).toMatchObject({ n: 6, spearman: { rho: null, undefinedReason: 'constant_x' }, kendall: { tau: null } });
    const itr = ARMS.flatMap((arm) => quality[arm]!.map((_, i) => judgeAItr(arm, i)));
    expect(overall.pooled.spearman.rho).toBeCloseTo(spearman(itr, ARMS.flatMap((arm) => interaction[arm]!)).rho!, 12);
    expect(overall.pooled.bias.estimate).toBeCloseTo(meanBias(itr, ARMS.flatMap((arm) => interaction[arm]!.map(unit))).estimate!, 12);

    const chat = a.pairs.find((p) => p.key === 'interaction_in_chat')!;
    const meanChat = ARMS.flatMap((arm) => inChat[arm]!.map(([x, y]) => (x + y) / 2));
    expect(chat.pooled.kendall.tau).toBeCloseTo(kendallTauB(itr, meanChat).tau!, 12);

    // Judge B: Table-1 interactivity mapped to the common scale as (raw − 1) / 2; it scored 12 participants and no quality.
    const b = report.judges[1]!;
    expect(b.participants).toBe(12);
    expect(b.pairs.find((p) => p.key === 'document_quality')!.pooled.n).toBe(0);
    const bOverall = b.pairs.find((p) => p.key === 'interaction_overall')!;
    const raws = ARMS.flatMap((arm) => [0, 1, 2, 3].map((i) => judgeBRaw(arm, i)));
    const humans = ARMS.flatMap((arm) => interaction[arm]!.slice(0, 4));
    expect(bOverall.pooled.n).toBe(12);
    expect(bOverall.pooled.spearman.rho).toBeCloseTo(spearman(raws, humans).rho!, 12);
    expect(bOverall.pooled.bias.estimate).toBeCloseTo(meanBias(raws.map((r) => (r - 1) / 2), humans.map(unit)).estimate!, 12);
  });

  it('lists benchmark runs with how many arms match automatically', async () => {
    const report = await (await caller()).calibration.report({ studyId });
    expect(report.runs.find((r) => r.id === runId)).toMatchObject({ name: 'Calibration run', matchedArms: 2 });
  });

  it('says so when nobody has been judged', async () => {
    const empty = await seedStudy(db);
    const report = await (await caller()).calibration.report({ studyId: empty.study.id });
    expect(report).toMatchObject({ participants: 0, judgedParticipants: 0, judges: [] });
  });
});

describe('calibration report: simulation vs people', () => {
  const runScore = (arm: string, t: number, r: number) =>
    5 + t + r * 0.5 + (arm === 'proactive' ? 0.5 + 0.25 * t : arm === 'collab-v2' ? 1.5 + 0.5 * r : 0);
  const runPairs = (arm: string) => {
    const ref: number[] = [];
    const other: number[] = [];
    for (let t = 0; t < 3; t++) for (let r = 0; r < 2; r++) (ref.push(runScore('baseline', t, r)), other.push(runScore(arm, t, r)));
    return { ref, other };
  };

  it('matches arms by key, leaves a differently keyed arm to the researcher, and compares effects on the common scale', async () => {
    const api = await caller();
    const auto = await api.calibration.simulationVsPeople({ studyId, runId });
    expect(auto.matching.matches).toEqual([
      { studyArmKey: 'baseline', runArmKey: 'baseline', how: 'key' },
      { studyArmKey: 'proactive', runArmKey: 'proactive', how: 'key' },
    ]);
    expect(auto.matching.unmatchedStudyArms).toEqual(['collabllm']);
    expect(auto.matching.unmatchedRunArms).toEqual(['collab-v2']);
    expect(auto.referenceStudyArmKey).toBe('baseline');
    expect(auto.run.judge).toBe(RUN_JUDGE);

    const chosen = await api.calibration.simulationVsPeople({ studyId, runId, armMapping: { collabllm: 'collab-v2' } });
    expect(chosen.matching.matches.map((m) => [m.studyArmKey, m.runArmKey, m.how])).toEqual([
      ['baseline', 'baseline', 'key'],
      ['proactive', 'proactive', 'key'],
      ['collabllm', 'collab-v2', 'chosen'],
    ]);
    const dq = chosen.outcomes.find((o) => o.key === 'document_quality')!;
    const collab = dq.effects.find((e) => e.studyArmKey === 'collabllm')!;
    const people = welchDifference(quality.collabllm!.map(unit), quality.baseline!.map(unit));
    expect(collab.people.estimate).toBeCloseTo(people.estimate!, 12);
    expect(collab.people.lower).toBeCloseTo(people.lower!, 12);
    expect(collab.people.upper).toBeCloseTo(people.upper!, 12);
    expect(collab.people).toMatchObject({ nArm: 6, nReference: 6 });
    const { ref, other } = runPairs('collab-v2');
    const sim = pairedTTest(other, ref);
    expect(collab.simulation.estimate).toBeCloseTo(sim.meanDifference! / 9, 12);
    expect(collab.simulation.lower).toBeCloseTo(sim.ciLower! / 9, 12);
    expect(collab.simulation.pairs).toBe(6);
    // People: collabllm > proactive > baseline; the run: collab-v2 (+1.75) > proactive (+0.75) > baseline.
    expect(dq.ranking).toMatchObject({ arms: ['baseline', 'proactive', 'collabllm'], concordantPairs: 3, discordantPairs: 0, sameOrder: true, tau: 1 });

    const itr = chosen.outcomes.find((o) => o.key === 'interaction')!;
    const pItr = itr.effects.find((e) => e.studyArmKey === 'proactive')!;
    expect(pItr.simulation.estimate).toBeCloseTo(0.5 - 0.125, 12);
    expect(pItr.people.estimate).toBeCloseTo(welchDifference(interaction.proactive!.map(unit), interaction.baseline!.map(unit)).estimate!, 12);
  });

  it('says the reference arm has no match and refuses unknown runs and studies', async () => {
    const api = await caller();
    const other = await seedStudy(db, { armKeys: ['x', 'y'] });
    // Its arms have other keys; x is the run's baseline arm in all but name (same connection, model and prompt).
    const byIdentity = await api.calibration.simulationVsPeople({ studyId: other.study.id, runId });
    expect(byIdentity.matching.matches).toEqual([{ studyArmKey: 'x', runArmKey: 'baseline', how: 'identity' }]);
    expect(byIdentity.referenceStudyArmKey).toBe('x');
    // Mapped elsewhere by the researcher, the run's reference arm has no study arm: no effects to compare.
    const r = await api.calibration.simulationVsPeople({ studyId: other.study.id, runId, armMapping: { x: 'proactive', y: 'collab-v2' } });
    expect(r).toMatchObject({ referenceStudyArmKey: null, outcomes: [] });
    await expect(api.calibration.simulationVsPeople({ studyId, runId: randomUUID() })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(api.calibration.report({ studyId: randomUUID() })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(api.calibration.simulationVsPeople({ studyId, runId, armMapping: { ['k'.repeat(41)]: 'x' } })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('fails closed: anonymous callers are refused, every staff role may read', async () => {
    await expectRoleMatrix({ router: calibrationRouter, db, actors, access: { report: 'viewer', simulationVsPeople: 'viewer' } });
  });
});
