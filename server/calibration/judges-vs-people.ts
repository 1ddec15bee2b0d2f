/**
 * Judges vs people (pure): for each judge label, how its scores of a study's participants agree with the
 * participants' own ratings. Three pairs: judge document quality vs the survey's document-quality rating;
 * judge interactivity vs the survey's overall-interaction rating, and vs the participant's mean in-chat
 * rating. Each pair pooled and per arm: Spearman's rho and Kendall's tau-b (SciPy semantics, Fisher-z CIs),
 * n, the mean bias judge − person on the common 0–1 scale (`scales.ts`) with its t interval, and the points
 * for a scatter plot.
 */
import { METRICS } from '../benchmarks/metrics';
import { kendallTauB, meanBias, spearman, type DifferenceInterval, type KendallResult, type SpearmanResult } from '../stats';
import { judgeToUnit, ratingToUnit } from './scales';

export interface CalibrationParticipant {
  participantId: string;
  armKey: string;
  /** Survey ratings, 1–10; null when the participant has no survey. */
  documentQuality: number | null;
  overallInteraction: number | null;
  /** Mean of the participant's in-chat (periodic) ratings, 1–10; null without any. */
  meanInChatRating: number | null;
}

export interface JudgeScoreRow {
  participantId: string;
  judge: string;
  metric: string;
  value: number;
  details: Record<string, unknown> | null;
}

type HumanField = 'documentQuality' | 'overallInteraction' | 'meanInChatRating';

export const CALIBRATION_PAIRS = [
  { key: 'document_quality', judgeMetric: METRICS.quality, human: 'documentQuality', judgeLabel: 'Judge: document quality (1–10)', humanLabel: 'Participant: document quality (survey, 1–10)' },
  { key: 'interaction_overall', judgeMetric: METRICS.interactivity, human: 'overallInteraction', judgeLabel: 'Judge: interactivity', humanLabel: 'Participant: overall interaction (survey, 1–10)' },
  { key: 'interaction_in_chat', judgeMetric: METRICS.interactivity, human: 'meanInChatRating', judgeLabel: 'Judge: interactivity', humanLabel: 'Participant: mean in-chat rating (1–10)' },
] as const satisfies readonly { key: string; judgeMetric: string; human: HumanField; judgeLabel: string; humanLabel: string }[];

export type CalibrationPairKey = (typeof CALIBRATION_PAIRS)[number]['key'];

export interface AgreementStats {
  /** null = all arms pooled. */
  armKey: string | null;
  n: number;
  spearman: SpearmanResult;
  kendall: KendallResult;
  /** Mean of judge − person on the common 0–1 scale, with its 95% t interval. */
  bias: DifferenceInterval;
}

/** A scatter point on the common scale: [arm index in `arms`, person, judge]. */
export type ScatterPoint = [armIndex: number, person: number, judge: number];

export interface PairReport {
  key: CalibrationPairKey;
  judgeLabel: string;
  humanLabel: string;
  pooled: AgreementStats;
  perArm: AgreementStats[];
  points: ScatterPoint[];
  /** Participants with a judge score for this pair's metric but no matching own rating. */
  missingHumanRating: number;
}

export interface JudgeReport {
  judge: string;
  /** Participants this judge scored (any metric). */
  participants: number;
  pairs: PairReport[];
}

/** Points per pair sent to the chart; beyond it an evenly spaced subset (the statistics use every pair). */
export const MAX_SCATTER_POINTS = 1500;

function agreement(armKey: string | null, judgeValues: number[], humanValues: number[], judgeUnits: number[], humanUnits: number[]): AgreementStats {
  return {
    armKey,
    n: judgeValues.length,
    spearman: spearman(judgeValues, humanValues),
    kendall: kendallTauB(judgeValues, humanValues),
    bias: meanBias(judgeUnits, humanUnits),
  };
}

export function judgesVsPeople(participants: readonly CalibrationParticipant[], scores: readonly JudgeScoreRow[], armKeys: readonly string[]): JudgeReport[] {
  // Sorted by participant id so sums (and thus the last bits of every statistic) do not depend on row order.
  const people = new Map([...participants].sort((a, b) => (a.participantId < b.participantId ? -1 : 1)).map((p) => [p.participantId, p]));
  const byJudge = new Map<string, Map<string, Map<string, JudgeScoreRow>>>();
  for (const s of scores) {
    if (!people.has(s.participantId)) continue;
    const judge = byJudge.get(s.judge) ?? new Map<string, Map<string, JudgeScoreRow>>();
    const metric = judge.get(s.metric) ?? new Map<string, JudgeScoreRow>();
    metric.set(s.participantId, s);
    judge.set(s.metric, metric);
    byJudge.set(s.judge, judge);
  }

  return [...byJudge.keys()].sort().map((judge) => {
    const metrics = byJudge.get(judge)!;
    const scored = new Set<string>();
    for (const m of metrics.values()) for (const id of m.keys()) scored.add(id);
    const pairs = CALIBRATION_PAIRS.map((pair): PairReport => {
      const judged = metrics.get(pair.judgeMetric) ?? new Map<string, JudgeScoreRow>();
      const rows: { armKey: string; j: number; h: number; ju: number; hu: number }[] = [];
      let missingHumanRating = 0;
      for (const [id, person] of people) {
        const score = judged.get(id);
        if (!score) continue;
        const human = person[pair.human];
        const unit = judgeToUnit(pair.judgeMetric, score.value, judge, score.details);
        if (human === null || unit === null) {
          missingHumanRating++;
          continue;
        }
        rows.push({ armKey: person.armKey, j: score.value, h: human, ju: unit, hu: ratingToUnit(human) });
      }
      const stats = (armKey: string | null) => {
        const r = armKey === null ? rows : rows.filter((x) => x.armKey === armKey);
        return agreement(armKey, r.map((x) => x.j), r.map((x) => x.h), r.map((x) => x.ju), r.map((x) => x.hu));
      };
      const step = rows.length > MAX_SCATTER_POINTS ? rows.length / MAX_SCATTER_POINTS : 1;
      const shown = step === 1 ? rows : Array.from({ length: MAX_SCATTER_POINTS }, (_, i) => rows[Math.floor(i * step)]!);
      return {
        key: pair.key,
        judgeLabel: pair.judgeLabel,
        humanLabel: pair.humanLabel,
        pooled: stats(null),
        perArm: armKeys.map((k) => stats(k)),
        points: shown.map((x) => [armKeys.indexOf(x.armKey), x.hu, x.ju]),
        missingHumanRating,
      };
    });
    return { judge, participants: scored.size, pairs };
  });
}
