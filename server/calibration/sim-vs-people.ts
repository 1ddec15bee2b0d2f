/**
 * Simulation vs people (pure): does a benchmark run predict what the study's participants said?
 *
 * Arms are matched run ↔ study (`matchArms`): a researcher's explicit choice first, then the same arm key,
 * then the same identity (connection, model, mode, trimmed system prompt and template text). The reference
 * arm is the run's reference arm, and the study side uses its match, so both effects are "this arm minus the
 * same reference".
 *
 * Effects on the common 0–1 scale (`scales.ts`): for people, the difference of means of the arm's and the
 * reference's ratings with the Welch interval (`welchDifference`, independent samples); for the run, the
 * paired mean difference over (task, replicate) with its t interval from `server/benchmarks/analysis`,
 * divided by the judge scale's width. Outcomes: document quality (survey ↔ judge `quality`) and interaction
 * (survey overall interaction ↔ judge `interactivity`).
 *
 * Ranking: every pair of arms (reference included, at effect 0) is concordant when both sides order it the
 * same way; ties on either side count as "not the same". `sameOrder` = every pair concordant; Kendall's tau-b
 * over the arms' estimates is reported for three or more arms.
 */
import { METRICS } from '../benchmarks/metrics';
import type { MetricComparison } from '../benchmarks/analysis/paired';
import { kendallTauB, welchDifference, type DifferenceInterval, type Maybe } from '../stats';
import { judgeScaleWidth, ratingToUnit } from './scales';

export interface MatchableArm {
  key: string;
  label: string;
  connectionId: string | null;
  model: string;
  systemPrompt: string;
  mode?: string;
  template?: { text: string };
}

export interface ArmMatch {
  studyArmKey: string;
  runArmKey: string;
  how: 'chosen' | 'key' | 'identity';
}

export interface ArmMatching {
  matches: ArmMatch[];
  unmatchedStudyArms: string[];
  unmatchedRunArms: string[];
}

function identity(arm: MatchableArm): string {
  return JSON.stringify([arm.connectionId, arm.model, arm.mode ?? 'system_prompt', arm.systemPrompt.trim(), arm.template?.text.trim() ?? null]);
}

/** One-to-one matching; `chosen` maps study arm key → run arm key (unknown keys and duplicates are ignored). */
export function matchArms(studyArms: readonly MatchableArm[], runArms: readonly MatchableArm[], chosen: Readonly<Record<string, string>> = {}): ArmMatching {
  const freeStudy = new Set(studyArms.map((a) => a.key));
  const freeRun = new Set(runArms.map((a) => a.key));
  const matches: ArmMatch[] = [];
  const take = (studyArmKey: string, runArmKey: string, how: ArmMatch['how']) => {
    if (!freeStudy.has(studyArmKey) || !freeRun.has(runArmKey)) return;
    freeStudy.delete(studyArmKey);
    freeRun.delete(runArmKey);
    matches.push({ studyArmKey, runArmKey, how });
  };
  for (const [studyKey, runKey] of Object.entries(chosen)) take(studyKey, runKey, 'chosen');
  for (const arm of studyArms) if (freeRun.has(arm.key)) take(arm.key, arm.key, 'key');
  for (const arm of studyArms) {
    if (!freeStudy.has(arm.key)) continue;
    const twin = runArms.find((r) => freeRun.has(r.key) && identity(r) === identity(arm));
    if (twin) take(arm.key, twin.key, 'identity');
  }
  const order = new Map(studyArms.map((a, i) => [a.key, i]));
  matches.sort((a, b) => order.get(a.studyArmKey)! - order.get(b.studyArmKey)!);
  return { matches, unmatchedStudyArms: [...freeStudy], unmatchedRunArms: [...freeRun] };
}

export const EFFECT_OUTCOMES = [
  { key: 'document_quality', label: 'Document quality', human: 'documentQuality', metric: METRICS.quality },
  { key: 'interaction', label: 'Interaction', human: 'overallInteraction', metric: METRICS.interactivity },
] as const;

export type EffectOutcomeKey = (typeof EFFECT_OUTCOMES)[number]['key'];

export interface ArmEffect {
  studyArmKey: string;
  runArmKey: string;
  /** People: arm − reference on the common scale (Welch interval); n = both arms' participants with the rating. */
  people: DifferenceInterval & { nArm: number; nReference: number };
  /** Simulation: paired arm − reference on the common scale (t interval); pairs = complete (task, replicate) pairs. */
  simulation: { estimate: Maybe; lower: Maybe; upper: Maybe; pairs: number };
}

export interface RankAgreement {
  /** Arms (study keys, reference included) with an estimate on both sides. */
  arms: string[];
  concordantPairs: number;
  discordantPairs: number;
  /** Pairs of arms where either side has exactly equal estimates. */
  tiedPairs: number;
  sameOrder: boolean | null;
  /** Kendall's tau-b between the two sides' estimates over the arms; null below three arms or when undefined. */
  tau: Maybe;
}

export interface OutcomeEffects {
  key: EffectOutcomeKey;
  label: string;
  effects: ArmEffect[];
  ranking: RankAgreement;
}

export interface HumanRatings {
  armKey: string;
  documentQuality: number | null;
  overallInteraction: number | null;
}

export function rankAgreement(rows: readonly { arm: string; people: Maybe; simulation: Maybe }[]): RankAgreement {
  const usable = rows.filter((r): r is { arm: string; people: number; simulation: number } => r.people !== null && r.simulation !== null);
  let concordant = 0;
  let discordant = 0;
  let tied = 0;
  for (let i = 0; i < usable.length; i++) {
    for (let j = i + 1; j < usable.length; j++) {
      const s = Math.sign(usable[i]!.people - usable[j]!.people) * Math.sign(usable[i]!.simulation - usable[j]!.simulation);
      if (s > 0) concordant++;
      else if (s < 0) discordant++;
      else tied++;
    }
  }
  const tau = usable.length >= 3 ? kendallTauB(usable.map((r) => r.people), usable.map((r) => r.simulation)).tau : null;
  return {
    arms: usable.map((r) => r.arm),
    concordantPairs: concordant,
    discordantPairs: discordant,
    tiedPairs: tied,
    sameOrder: usable.length >= 2 ? discordant === 0 && tied === 0 : null,
    tau,
  };
}

export function simVsPeople(input: {
  matching: ArmMatching;
  runReferenceArmKey: string;
  judgeLabel: string;
  people: readonly HumanRatings[];
  /** The run analysis's comparisons (each run arm vs the run's reference). */
  comparisons: readonly { armKey: string; metrics: readonly MetricComparison[] }[];
}): { referenceStudyArmKey: string | null; outcomes: OutcomeEffects[] } {
  const reference = input.matching.matches.find((m) => m.runArmKey === input.runReferenceArmKey);
  if (!reference) return { referenceStudyArmKey: null, outcomes: [] };
  const outcomes = EFFECT_OUTCOMES.map((outcome): OutcomeEffects => {
    const width = judgeScaleWidth(outcome.metric, input.judgeLabel)!;
    const ratingsOf = (armKey: string) =>
      input.people
        .filter((p) => p.armKey === armKey && p[outcome.human] !== null)
        .map((p) => ratingToUnit(p[outcome.human]!))
        .sort((a, b) => a - b);
    const referenceRatings = ratingsOf(reference.studyArmKey);
    const effects = input.matching.matches
      .filter((m) => m !== reference)
      .map((m): ArmEffect => {
        const armRatings = ratingsOf(m.studyArmKey);
        const comparison = input.comparisons.find((c) => c.armKey === m.runArmKey)?.metrics.find((x) => x.metric === outcome.metric);
        const scaled = (x: Maybe | undefined) => (x === null || x === undefined ? null : x / width);
        return {
          studyArmKey: m.studyArmKey,
          runArmKey: m.runArmKey,
          people: { ...welchDifference(armRatings, referenceRatings), nArm: armRatings.length, nReference: referenceRatings.length },
          simulation: {
            estimate: scaled(comparison?.meanDifference),
            lower: scaled(comparison?.tCi.lower),
            upper: scaled(comparison?.tCi.upper),
            pairs: comparison?.pairs ?? 0,
          },
        };
      });
    const ranking = rankAgreement([
      { arm: reference.studyArmKey, people: referenceRatings.length ? 0 : null, simulation: 0 },
      ...effects.map((e) => ({ arm: e.studyArmKey, people: e.people.estimate, simulation: e.simulation.estimate })),
    ]);
    return { key: outcome.key, label: outcome.label, effects, ranking };
  });
  return { referenceStudyArmKey: reference.studyArmKey, outcomes };
}
