import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, getDb, schema, type Database } from '../../db';
import { createCaller } from '../api/root';
import { planningRouter } from '../api/routers/planning';
import { createRoleActors, expectRoleMatrix } from '../api/testing/role-matrix';
import { createInnerContext, router } from '../api/trpc';
import type { Actor } from '../auth/session';
import { seedParticipant, seedStudy } from '../insights/testing/seed';
import { describe as describeSample } from '../stats';
import { inflateForDropout, solveWelchN } from '../stats/power';

let db: Database;

async function actor(role: Actor['role']): Promise<Actor> {
  const [user] = await db.insert(schema.users).values({ email: `${role}-${crypto.randomUUID()}@test.local`, role }).returning();
  return { id: user!.id, email: user!.email, name: null, role, via: 'session' };
}

// Known values, so every expectation is computed from the seed, not read back from the service.
const pilotQuality = { baseline: [5, 6, 6, 7, 5, 6, 4, 6], collabllm: [7, 8, 7, 9, 8, 7, 6, 8] };
const pilotJudgeQuality = { baseline: [5.5, 6, 6.5, 5, 6, 7, 5.5, 6], collabllm: [7, 7.5, 8, 6.5, 8, 7, 7.5, 8.5] };
const realQuality = { baseline: [6, 7, 5, 8, 6, 7], collabllm: [7, 9, 6, 9, 8, 7] };

describe('sample-size planner service', () => {
  let studyId: string;
  let pilotId: string;
  let versionId: string;
  let viewer: ReturnType<typeof createCaller>;

  beforeAll(async () => {
    db = await getDb();
    const { study, versions } = await seedStudy(db);
    studyId = study.id;
    versionId = versions[0]!.id;
    viewer = createCaller(createInnerContext({ db, actor: await actor('viewer') }));

    // Real participants: 12 completed with ratings, 3 dropped out (2 timed out, 1 left long ago), 1 declined
    // consent, 1 still in progress (seen just now), 1 excluded by a researcher. Previews and pilot participants
    // must not change the dropout rate: 12 completed of 18 settled → d = 1/3.
    for (const arm of ['baseline', 'collabllm'] as const) {
      for (const [i, q] of realQuality[arm].entries()) {
        await seedParticipant(db, studyId, { versionId, armKey: arm, outcome: 'completed', survey: { documentQuality: q, overallInteraction: 5 + (i % 3) }, turns: [{ user: 'hi', assistant: 'hello' }] });
      }
    }
    await seedParticipant(db, studyId, { versionId, armKey: 'baseline', outcome: 'timed_out' });
    await seedParticipant(db, studyId, { versionId, armKey: 'collabllm', outcome: 'timed_out' });
    await seedParticipant(db, studyId, { versionId, armKey: 'collabllm', outcome: null, startedAt: new Date(Date.now() - 5 * 3600_000) });
    await seedParticipant(db, studyId, { versionId, consented: false, outcome: 'no_consent' });
    await seedParticipant(db, studyId, { versionId, armKey: 'baseline', outcome: null, startedAt: new Date(Date.now() - 60_000), durationSec: 50 });
    await seedParticipant(db, studyId, { versionId, armKey: 'baseline', outcome: 'completed', excluded: true, exclusionReason: 'bot', survey: { documentQuality: 1, overallInteraction: 1 } });
    await seedParticipant(db, studyId, { versionId, armKey: 'baseline', isPreview: true, source: 'preview', outcome: 'timed_out' });
    await seedParticipant(db, studyId, { versionId, armKey: 'collabllm', isPreview: true, source: 'preview', outcome: 'timed_out' });

    // A simulated pilot: its participants carry pilotId; survey ratings and a judge's scores per participant.
    const [pilot] = await db.insert(schema.studyPilots).values({ studyId, status: 'completed', config: { perArm: 8 } }).returning();
    pilotId = pilot!.id;
    const [run] = await db.insert(schema.studyJudgeRuns).values({ studyId, pilotId, status: 'completed', config: { judge: 'demo-judge' } }).returning();
    for (const arm of ['baseline', 'collabllm'] as const) {
      for (let i = 0; i < 8; i++) {
        const p = await seedParticipant(db, studyId, {
          versionId,
          armKey: arm,
          outcome: i === 7 ? 'timed_out' : 'completed',
          survey: { documentQuality: pilotQuality[arm][i]!, overallInteraction: 6 },
          turns: Array.from({ length: arm === 'collabllm' ? 2 + (i % 3) : 1 + (i % 2) }, (_, t) => ({ user: `ask ${t}`, assistant: `reply ${t} ${'w '.repeat(i)}` })),
        });
        await db.update(schema.participants).set({ pilotId }).where(eq(schema.participants.id, p.id));
        const [item] = await db.insert(schema.studyJudgeItems).values({ runId: run!.id, participantId: p.id, status: 'completed' }).returning();
        await db.insert(schema.studyJudgeScores).values([
          { itemId: item!.id, participantId: p.id, judge: 'demo-judge', promptVersion: 'v1', metric: 'quality', value: pilotJudgeQuality[arm][i]! },
          { itemId: item!.id, participantId: p.id, judge: 'demo-judge', promptVersion: 'v1', metric: 'interactivity', value: arm === 'collabllm' ? 0.5 + i / 20 : 0.3 + i / 40 },
          // A conversation metric stored by the judge job is computed by the planner itself, not read per judge.
          { itemId: item!.id, participantId: p.id, judge: 'demo-judge', promptVersion: 'v1', metric: 'turns', value: 99 },
        ]);
      }
    }
  });
  afterAll(closeDb);

  it('lists the pilot and measures dropout on real participants only', async () => {
    const options = await viewer.planning.options({ studyId });
    expect(options.pilots).toEqual([expect.objectContaining({ id: pilotId, status: 'completed', participants: 16 })]);
    // entered: 12 + 2 + 1 + 1 + 1 + 1 = 18 real; in progress 1; completed and not excluded 12 → 1 − 12/17.
    expect(options.dropout).toEqual({ entered: 18, inProgress: 1, completed: 12, rate: 1 - 12 / 17 });
    expect(options.arms.map((a) => a.key)).toEqual(['baseline', 'collabllm']);
  });

  it('plans from the pilot (participant and judge outcomes) with the study’s dropout', async () => {
    const plan = await viewer.planning.plan({ studyId, source: { kind: 'pilot', pilotId }, alpha: 0.05, power: 0.8, test: 'welch', dropout: { kind: 'study' } });
    expect(plan.source.participantsPerArm).toEqual({ baseline: 8, collabllm: 8 });
    const d = 1 - 12 / 17;
    expect(plan.dropout.rate).toBeCloseTo(d, 15);

    for (const [label, values] of [
      ['Document quality (participant)', pilotQuality],
      ['Judge document quality (1–10) (demo-judge)', pilotJudgeQuality],
    ] as const) {
      const row = plan.rows.find((r) => r.outcomeLabel === label)!;
      expect(row, label).toBeDefined();
      const a = describeSample([...values.baseline]);
      const b = describeSample([...values.collabllm]);
      expect(row.meanDifference).toBeCloseTo(b.mean! - a.mean!, 12);
      const expected = solveWelchN({ meanDifference: b.mean! - a.mean!, sdReference: a.sd!, sdOther: b.sd!, alpha: 0.05, power: 0.8, nMax: 5000 });
      expect(row.nPerArm).toBe(expected.nPerArm);
      expect(row.nPerArmWithDropout).toBe(inflateForDropout(expected.nPerArm!, d));
      expect(row.totalWithDropout).toBe(2 * row.nPerArmWithDropout!);
      const curve = plan.curves.find((c) => c.rowId === row.id)!;
      expect(curve.points.length).toBeGreaterThan(10);
      expect(curve.points.every((p, i) => i === 0 || p.power >= curve.points[i - 1]!.power - 1e-12)).toBe(true);
    }
    const labels = plan.rows.map((r) => r.outcomeLabel);
    expect(labels).toContain('Judge interactivity (0–1) (demo-judge)');
    expect(labels.filter((l) => l === 'Turns')).toHaveLength(1);
    // Turns come from the pilot's own messages (1–2 baseline, 2–4 collabllm), never the judge's stored 99.
    expect(Math.abs(plan.rows.find((r) => r.outcomeLabel === 'Turns')!.meanDifference!)).toBeLessThan(5);
    expect(plan.summary!.nPerArm).toBe(Math.max(...plan.rows.filter((r) => r.nPerArm !== null).map((r) => r.nPerArm!)));
  });

  it('plans from the study’s own data without pilot or preview participants', async () => {
    const plan = await viewer.planning.plan({ studyId, source: { kind: 'study' }, alpha: 0.05, power: 0.9, test: 'welch', dropout: { kind: 'typed', rate: 0.2 } });
    expect(plan.source.participantsPerArm).toEqual({ baseline: 6, collabllm: 6 });
    const row = plan.rows.find((r) => r.outcomeKey === 'documentQuality')!;
    expect(row.nObservedReference).toBe(6);
    const a = describeSample(realQuality.baseline);
    const b = describeSample(realQuality.collabllm);
    expect(row.meanDifference).toBeCloseTo(b.mean! - a.mean!, 12);
    expect(row.nPerArmWithDropout).toBe(inflateForDropout(row.nPerArm!, 0.2));
    // No judge has scored real participants: no judge rows.
    expect(plan.rows.some((r) => r.outcomeKey.startsWith('judge:'))).toBe(false);
  });

  it('simulates Mann–Whitney reproducibly from the pilot, with a Monte-Carlo standard error', async () => {
    const input = { studyId, source: { kind: 'pilot' as const, pilotId }, alpha: 0.05, power: 0.8, test: 'mann-whitney' as const, dropout: { kind: 'typed' as const, rate: 0 }, simulations: 300, seed: 42 };
    const first = await viewer.planning.plan(input);
    const second = await viewer.planning.plan(input);
    expect(second.rows).toEqual(first.rows);
    const row = first.rows.find((r) => r.outcomeKey === 'documentQuality')!;
    expect(row.nPerArm).not.toBeNull();
    expect(row.standardError).toBeCloseTo(Math.sqrt((row.achievedPower! * (1 - row.achievedPower!)) / 300), 12);
    expect(first.curves.find((c) => c.rowId === row.id)!.points.every((p) => p.standardError !== null)).toBe(true);
  });

  it('plans typed effects for every comparison with Bonferroni α', async () => {
    const plan = await viewer.planning.plan({
      studyId,
      source: { kind: 'typed', outcomes: [{ label: 'Quality', effect: { kind: 'd', d: 0.5 } }, { label: 'Time', effect: { kind: 'mean', meanDifference: -2, sd: 4, sdOther: 6 } }] },
      alpha: 0.05,
      power: 0.8,
      test: 'welch',
      adjustment: 'bonferroni',
      dropout: { kind: 'typed', rate: 0.1 },
    });
    expect(plan.rows.map((r) => r.alpha)).toEqual([0.025, 0.025]);
    expect(plan.rows[0]!.nPerArm).toBe(solveWelchN({ meanDifference: 0.5, sdReference: 1, sdOther: 1, alpha: 0.025, power: 0.8, nMax: 5000 }).nPerArm);
    expect(plan.rows[1]!.cohensD).toBeCloseTo(-2 / Math.sqrt((16 + 36) / 2), 12);
  });

  it('refuses bad input with clear 4xx errors', async () => {
    const base = { studyId, source: { kind: 'study' as const }, alpha: 0.05, power: 0.8, test: 'welch' as const, dropout: { kind: 'typed' as const, rate: 0 } };
    await expect(viewer.planning.plan({ ...base, alpha: 0.6 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(viewer.planning.plan({ ...base, power: 1 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(viewer.planning.plan({ ...base, simulations: 10_000 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(viewer.planning.plan({ ...base, alpha: 0.5, power: 0.5 })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('larger than α') });
    await expect(viewer.planning.plan({ ...base, referenceArm: 'nope' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(viewer.planning.plan({ ...base, source: { kind: 'typed', outcomes: [{ label: '  ', effect: { kind: 'd', d: 0.5 } }] } })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const other = await seedStudy(db);
    await expect(viewer.planning.plan({ ...base, studyId: other.study.id, source: { kind: 'pilot', pilotId } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(viewer.planning.plan({ ...base, studyId: other.study.id, dropout: { kind: 'study' } })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('no finished participants') });
  });

  it('is open to every staff role and closed to anonymous callers', async () => {
    const rows = await expectRoleMatrix({
      router: router({ planning: planningRouter }),
      db,
      actors: await createRoleActors(db, 'planning'),
      access: { 'planning.options': 'viewer', 'planning.plan': 'viewer' },
      inputs: {
        'planning.options': { studyId },
        'planning.plan': { studyId, source: { kind: 'typed', outcomes: [{ label: 'Q', effect: { kind: 'd', d: 0.8 } }] }, alpha: 0.05, power: 0.8, test: 'welch', dropout: { kind: 'typed', rate: 0 } },
      },
    });
    expect(rows.filter((r) => r.expected === 'allowed').every((r) => r.got === 'ok')).toBe(true);
  });
});
