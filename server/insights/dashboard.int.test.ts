import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, getDb, schema, type Database } from '../../db';
import { createCaller } from '../api/root';
import { createInnerContext } from '../api/trpc';
import type { Actor } from '../auth/session';
import { countTokens } from '../metrics';
import { compareArms, describe as describeSample, holm } from '../stats';
import { buildDashboard, outcomes as outcomeSpecs } from './dashboard';
import { boundDescription } from './bounded';

/** What the dashboard shows: SciPy's descriptives, with the interval clipped to the outcome's range. */
const shown = (key: string, values: number[]) => boundDescription(describeSample(values), outcomeSpecs.find((o) => o.key === key)!.bounds);
import { seedParticipant, seedStudy, type SeedParticipant } from './testing/seed';

let db: Database;

async function actor(role: Actor['role']): Promise<Actor> {
  const [user] = await db.insert(schema.users).values({ email: `${role}-${crypto.randomUUID()}@test.local`, role }).returning();
  return { id: user!.id, email: user!.email, name: null, role, via: 'session' };
}

// Known per-participant values, so every expected array below is written from the seed, not read back.
const baselineQuality = [6, 7, 5, 8, 6, 7, 4, 6];
const collabQuality = [8, 9, 7, 9, 8, 10, 7, 9];
const baselineInteraction = [5, 6, 6, 7, 5, 6, 4, 5];
const collabInteraction = [8, 8, 7, 9, 9, 10, 8, 7];

function turnsFor(i: number, arm: string) {
  return Array.from({ length: 1 + (i % 3) }, (_, t) => ({ user: `${arm} request ${i}.${t} please`, assistant: `${arm} reply ${i}.${t}: ${'word '.repeat(i + t)}` }));
}

describe('results dashboard', () => {
  let studyId: string;
  let v1: string;
  let v2: string;
  let manualId: string;
  const seeds: { arm: string; spec: SeedParticipant }[] = [];

  beforeAll(async () => {
    db = await getDb();
    const seeded = await seedStudy(db, { versions: 2 });
    studyId = seeded.study.id;
    v1 = seeded.versions[0]!.id;
    v2 = seeded.versions[1]!.id;
    for (const [arm, quality, interaction] of [
      ['baseline', baselineQuality, baselineInteraction],
      ['collabllm', collabQuality, collabInteraction],
    ] as const) {
      for (let i = 0; i < quality.length; i++) {
        const spec: SeedParticipant = {
          versionId: i === 0 ? v2 : v1,
          armKey: arm,
          externalId: `${arm}-${i}`,
          outcome: 'completed',
          turns: turnsFor(i, arm),
          ratings: [
            { afterTurn: 3, value: quality[i]! - 1 },
            { afterTurn: 6, value: interaction[i]! },
          ],
          survey: { documentQuality: quality[i]!, overallInteraction: interaction[i]! },
        };
        seeds.push({ arm, spec });
        await seedParticipant(db, studyId, spec);
      }
    }
    // Assigned but timed out without a survey: in ITT (turns, tokens) but never among completers.
    const timedOut: SeedParticipant = { versionId: v1, armKey: 'collabllm', outcome: 'timed_out', turns: turnsFor(5, 'collabllm') };
    seeds.push({ arm: 'collabllm', spec: timedOut });
    await seedParticipant(db, studyId, timedOut);
    // Completed, but failed both attention checks: excluded automatically.
    const failed: SeedParticipant = {
      versionId: v1,
      armKey: 'baseline',
      outcome: 'completed',
      attentionFailures: 2,
      turns: turnsFor(1, 'baseline'),
      survey: { documentQuality: 1, overallInteraction: 1 },
    };
    seeds.push({ arm: 'baseline', spec: failed });
    await seedParticipant(db, studyId, failed);
    // Completed and excluded later by a researcher (set through the API in a test below).
    const manual: SeedParticipant = {
      versionId: v1,
      armKey: 'collabllm',
      outcome: 'completed',
      turns: turnsFor(2, 'collabllm'),
      survey: { documentQuality: 2, overallInteraction: 2 },
    };
    seeds.push({ arm: 'collabllm', spec: manual });
    manualId = (await seedParticipant(db, studyId, manual)).id;
    // Never analysed: a preview, someone who declined consent, someone who left before randomization.
    await seedParticipant(db, studyId, { versionId: v1, armKey: 'baseline', isPreview: true, source: 'preview', outcome: 'completed', survey: { documentQuality: 10, overallInteraction: 10 } });
    await seedParticipant(db, studyId, { versionId: v1, consented: false, outcome: 'no_consent', stage: 'consent' });
    await seedParticipant(db, studyId, { versionId: v1, stage: 'instructions' });
  });

  afterAll(closeDb);

  const isCompleter = (s: SeedParticipant, excludedIds: Set<SeedParticipant>) =>
    s.outcome === 'completed' && !(s.attentionFailures && s.attentionFailures >= 2) && !excludedIds.has(s);

  it('returns exactly what compareArms gives on the raw arrays, for completers', async () => {
    const dashboard = await buildDashboard(db, { studyId, population: 'completers', referenceArm: 'baseline' });
    const pick = (arm: string, f: (s: SeedParticipant) => number | null) =>
      seeds.filter((x) => x.arm === arm && isCompleter(x.spec, new Set())).map((x) => f(x.spec)).filter((v): v is number => v !== null);
    const expected: Record<string, (s: SeedParticipant) => number | null> = {
      documentQuality: (s) => s.survey?.documentQuality ?? null,
      overallInteraction: (s) => s.survey?.overallInteraction ?? null,
      meanRating: (s) => (s.ratings?.length ? s.ratings.reduce((a, r) => a + r.value, 0) / s.ratings.length : null),
      turns: (s) => s.turns?.length ?? 0,
      tokensRead: (s) => (s.turns ?? []).reduce((a, t) => a + countTokens(t.assistant), 0),
      tokensTyped: (s) => (s.turns ?? []).reduce((a, t) => a + countTokens(t.user), 0),
      // Seeded sessions last 600 s (consent 30 s, then chat); each reply completes 2.1 s after its message.
      totalTime: () => 600 / 60,
      activeTime: (s) => (600_000 - 2_100 * (s.turns?.length ?? 0)) / 1000 / 60,
    };
    const welchPs: number[] = [];
    for (const [key, f] of Object.entries(expected)) {
      const outcome = dashboard.outcomes.find((o) => o.key === key)!;
      const ref = pick('baseline', f);
      const other = pick('collabllm', f);
      expect(ref.length, key).toBe(8);
      expect(outcome.perArm.find((a) => a.armKey === 'baseline')!.description).toEqual(shown(key, [...ref].sort((a, b) => a - b)));
      const comparison = outcome.comparisons.find((c) => c.armKey === 'collabllm')!;
      // The service sorts each arm's values (reproducible floating-point sums); same input order here.
      const asc = (xs: number[]) => [...xs].sort((a, b) => a - b);
      expect(comparison.comparison).toEqual(compareArms(asc(ref), asc(other)));
    }
    for (const o of dashboard.outcomes) {
      const p = o.comparisons[0]?.comparison.welch.p;
      if (p !== null && p !== undefined) welchPs.push(p);
    }
    const adjusted = holm(welchPs);
    expect(dashboard.outcomes.map((o) => o.comparisons[0]!.welchPHolm).filter((p) => p !== null)).toEqual(adjusted);
    expect(dashboard.analysed).toEqual({ baseline: 8, collabllm: 9 });
  });

  it('draws the CONSORT flow and never counts previews', async () => {
    const { flow } = await buildDashboard(db, { studyId, population: 'itt' });
    expect(flow.entered).toBe(16 + 3 + 2);
    expect(flow.declinedConsent).toBe(1);
    expect(flow.consented).toBe(20);
    expect(flow.consentedNotAssigned).toBe(1);
    expect(flow.assigned).toBe(19);
    const baseline = flow.arms.find((a) => a.armKey === 'baseline')!;
    const collab = flow.arms.find((a) => a.armKey === 'collabllm')!;
    expect(baseline).toMatchObject({ assigned: 9, completed: 9, analysedItt: 9, analysedCompleters: 8, excludedTotal: 1 });
    expect(baseline.excluded).toEqual([{ kind: 'attention_checks', reason: 'Failed attention checks', n: 1 }]);
    expect(collab).toMatchObject({ assigned: 10, completed: 9, timedOut: 1, analysedItt: 10, analysedCompleters: 9 });
  });

  it('ITT keeps non-completers and exclusions; completers drop them', async () => {
    const itt = await buildDashboard(db, { studyId, population: 'itt', referenceArm: 'baseline' });
    const turns = itt.outcomes.find((o) => o.key === 'turns')!;
    expect(turns.perArm.find((a) => a.armKey === 'collabllm')!.description.n).toBe(10);
    const quality = itt.outcomes.find((o) => o.key === 'documentQuality')!;
    // The timed-out participant has no survey: missing for this outcome, not zero.
    expect(quality.perArm.find((a) => a.armKey === 'collabllm')!.description.n).toBe(9);
    expect(quality.perArm.find((a) => a.armKey === 'baseline')!.description.n).toBe(9);
  });

  it('applies a manual exclusion at once, and only researchers may set it', async () => {
    const viewer = createCaller(createInnerContext({ db, actor: await actor('viewer') }));
    await expect(viewer.results.setExclusion({ studyId, participantId: manualId, excluded: true, reason: 'duplicate' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const researcher = createCaller(createInnerContext({ db, actor: await actor('researcher') }));
    await expect(researcher.results.setExclusion({ studyId, participantId: manualId, excluded: true, reason: '' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await researcher.results.setExclusion({ studyId, participantId: manualId, excluded: true, reason: 'Pasted text from elsewhere' });
    const after = await viewer.results.dashboard({ studyId, population: 'completers', referenceArm: 'baseline' });
    expect(after.analysed.collabllm).toBe(8);
    const collab = after.flow.arms.find((a) => a.armKey === 'collabllm')!;
    expect(collab.excluded).toContainEqual({ kind: 'manual', reason: 'Pasted text from elsewhere', n: 1 });
    const quality = after.outcomes.find((o) => o.key === 'documentQuality')!;
    expect(quality.perArm.find((a) => a.armKey === 'collabllm')!.description).toEqual(shown('documentQuality', [...collabQuality].sort((a, b) => a - b)));
    await researcher.results.setExclusion({ studyId, participantId: manualId, excluded: false });
    const restored = await viewer.results.dashboard({ studyId, population: 'completers' });
    expect(restored.analysed.collabllm).toBe(9);
  });

  it('filters by study version and builds the rating-by-turn curve per arm', async () => {
    const onlyV2 = await buildDashboard(db, { studyId, population: 'completers', versionIds: [v2] });
    expect(onlyV2.analysed).toEqual({ baseline: 1, collabllm: 1 });
    const all = await buildDashboard(db, { studyId, population: 'completers', referenceArm: 'baseline' });
    const at3 = all.ratingByTurn.find((r) => r.afterTurn === 3)!;
    expect(at3.arms.baseline).toEqual(boundDescription(describeSample(baselineQuality.map((q) => q - 1).sort((a, b) => a - b)), [1, 10]));
    expect(all.ratingByTurn.map((r) => r.afterTurn)).toEqual([3, 6]);
  });

  it('refuses anonymous callers', async () => {
    const anonymous = createCaller(createInnerContext({ db, actor: null }));
    await expect(anonymous.results.dashboard({ studyId, population: 'itt' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(anonymous.monitor.snapshot({ studyId })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(anonymous.transcripts.list({ studyId })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(anonymous.exports.summary({ studyId })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
