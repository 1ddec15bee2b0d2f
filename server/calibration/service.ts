/**
 * The calibration report of a study (issue 11 §2): judges vs people, and simulation (a benchmark run) vs
 * people. Reads only; every number comes from the pure modules beside this file.
 *
 * Who counts (the results page's rules, `server/insights/populations.ts`): the study's real participants —
 * not previews, not simulated pilot participants (`pilot_id` null) — who were randomized to an arm and are
 * not excluded (manually, or automatically for failed attention checks). Judge scores are those of the
 * study's judging runs (`study_judge_scores`, written by the judging job), one set per judge label.
 */
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../db';
import { schema } from '../../db';
import { runAnalysis } from '../benchmarks/analysis';
import { METRICS } from '../benchmarks/metrics';
import { runConfigSchema } from '../benchmarks/run-config';
import { exclusionOf } from '../insights/populations';
import type { AnalysisRow } from '../insights/dataset';
import { notFound } from '../services/errors';
import type { StudyConfig } from '../studies/config';
import { judgesVsPeople, type CalibrationParticipant, type JudgeReport } from './judges-vs-people';
import { matchArms, simVsPeople, type ArmMatching, type MatchableArm, type OutcomeEffects } from './sim-vs-people';

export const POPULATION_NOTE =
  'Real participants only (no previews, no simulated pilots), randomized to an arm and not excluded (by a researcher or for failed attention checks).';

interface StudyArms {
  study: { id: string; name: string };
  /** Newest definition of every arm the study ever had, in the newest version's order. */
  arms: MatchableArm[];
  attentionCheckCount: number;
}

async function loadStudyArms(db: Database, studyId: string): Promise<StudyArms> {
  const [study] = await db.select({ id: schema.studies.id, name: schema.studies.name, draftConfig: schema.studies.draftConfig }).from(schema.studies).where(eq(schema.studies.id, studyId));
  if (!study) throw notFound('The study');
  const versions = await db
    .select({ config: schema.studyVersions.config })
    .from(schema.studyVersions)
    .where(and(eq(schema.studyVersions.studyId, studyId), eq(schema.studyVersions.draftPreview, false)))
    .orderBy(asc(schema.studyVersions.version));
  const configs: StudyConfig[] = versions.length ? versions.map((v) => v.config) : [study.draftConfig];
  const arms = new Map<string, MatchableArm>();
  for (const config of [...configs].reverse()) for (const arm of config.arms ?? []) if (!arms.has(arm.key)) arms.set(arm.key, arm);
  return { study: { id: study.id, name: study.name }, arms: [...arms.values()], attentionCheckCount: configs[configs.length - 1]?.attentionChecks?.length ?? 0 };
}

/** The analysed participants with their own ratings (survey and mean in-chat rating). */
async function loadPeople(db: Database, studyId: string, attentionCheckCount: number): Promise<CalibrationParticipant[]> {
  const p = schema.participants;
  const s = schema.surveyResponses;
  const meanRating = db
    .select({ participantId: schema.ratings.participantId, mean: sql<number>`avg(${schema.ratings.value})::float8`.as('mean_rating') })
    .from(schema.ratings)
    .groupBy(schema.ratings.participantId)
    .as('mean_ratings');
  const rows = await db
    .select({
      participantId: p.id,
      armKey: schema.assignments.armKey,
      outcome: p.outcome,
      excluded: p.excluded,
      attentionFailures: p.attentionFailures,
      documentQuality: s.documentQuality,
      overallInteraction: s.overallInteraction,
      meanInChatRating: meanRating.mean,
    })
    .from(p)
    .innerJoin(schema.assignments, eq(schema.assignments.participantId, p.id))
    .leftJoin(s, eq(s.participantId, p.id))
    .leftJoin(meanRating, eq(meanRating.participantId, p.id))
    .where(and(eq(p.studyId, studyId), eq(p.isPreview, false), isNull(p.pilotId)));
  return rows
    // exclusionOf reads only these four fields of an analysis row.
    .filter((r) => exclusionOf({ excluded: r.excluded, exclusionReason: null, outcome: r.outcome, attentionFailures: r.attentionFailures } as AnalysisRow, attentionCheckCount) === null)
    .map((r) => ({
      participantId: r.participantId,
      armKey: r.armKey,
      documentQuality: r.documentQuality,
      overallInteraction: r.overallInteraction,
      meanInChatRating: r.meanInChatRating === null ? null : Number(r.meanInChatRating),
    }));
}

function armKeysOf(arms: readonly MatchableArm[], people: readonly CalibrationParticipant[]): string[] {
  const keys = arms.map((a) => a.key);
  for (const p of people) if (!keys.includes(p.armKey)) keys.push(p.armKey);
  return keys;
}

export interface RunChoice {
  id: string;
  name: string;
  status: string;
  createdAt: Date;
  arms: { key: string; label: string }[];
  /** Arms matched automatically (same key or same identity). */
  matchedArms: number;
}

export interface CalibrationReport {
  study: { id: string; name: string };
  arms: { key: string; label: string }[];
  population: string;
  /** Analysed participants, and how many of them any judge has scored. */
  participants: number;
  judgedParticipants: number;
  judges: JudgeReport[];
  runs: RunChoice[];
}

export async function calibrationReport(db: Database, input: { studyId: string }): Promise<CalibrationReport> {
  const { study, arms, attentionCheckCount } = await loadStudyArms(db, input.studyId);
  const people = await loadPeople(db, input.studyId, attentionCheckCount);
  const scores = await db
    .select({
      participantId: schema.studyJudgeScores.participantId,
      judge: schema.studyJudgeScores.judge,
      metric: schema.studyJudgeScores.metric,
      value: schema.studyJudgeScores.value,
      details: schema.studyJudgeScores.details,
    })
    .from(schema.studyJudgeScores)
    .innerJoin(schema.participants, eq(schema.participants.id, schema.studyJudgeScores.participantId))
    .where(and(eq(schema.participants.studyId, input.studyId), isNull(schema.participants.pilotId), inArray(schema.studyJudgeScores.metric, [METRICS.quality, METRICS.interactivity])));
  const armKeys = armKeysOf(arms, people);
  const eligible = new Set(people.map((p) => p.participantId));
  const runRows = await db.select().from(schema.benchmarkRuns).orderBy(desc(schema.benchmarkRuns.createdAt)).limit(100);
  const runs = runRows.flatMap((r): RunChoice[] => {
    const config = runConfigSchema.safeParse(r.config);
    if (!config.success) return [];
    return [
      {
        id: r.id,
        name: r.name,
        status: r.status,
        createdAt: r.createdAt,
        arms: config.data.arms.map((a) => ({ key: a.key, label: a.label })),
        matchedArms: matchArms(arms, config.data.arms).matches.length,
      },
    ];
  });
  return {
    study,
    arms: armKeys.map((key) => ({ key, label: arms.find((a) => a.key === key)?.label ?? key })),
    population: POPULATION_NOTE,
    participants: people.length,
    judgedParticipants: new Set(scores.filter((s) => eligible.has(s.participantId)).map((s) => s.participantId)).size,
    judges: judgesVsPeople(people, scores, armKeys),
    runs,
  };
}

export interface SimulationVsPeople {
  run: { id: string; name: string; status: string; referenceArmKey: string; judge: string | null; judges: string[] };
  studyArms: { key: string; label: string }[];
  runArms: { key: string; label: string }[];
  matching: ArmMatching;
  /** The study arm matched to the run's reference arm; null when the run's reference has no match. */
  referenceStudyArmKey: string | null;
  outcomes: OutcomeEffects[];
}

export async function simulationVsPeople(
  db: Database,
  input: { studyId: string; runId: string; armMapping?: Record<string, string>; judge?: string },
): Promise<SimulationVsPeople> {
  const { arms, attentionCheckCount } = await loadStudyArms(db, input.studyId);
  const [people, analysis, [run]] = await Promise.all([
    loadPeople(db, input.studyId, attentionCheckCount),
    runAnalysis(db, input.runId, { judge: input.judge }),
    db.select().from(schema.benchmarkRuns).where(eq(schema.benchmarkRuns.id, input.runId)),
  ]);
  const config = runConfigSchema.parse(run!.config);
  const matching = matchArms(arms, config.arms, input.armMapping);
  const referenceArmKey = config.referenceArmKey ?? config.arms[0]!.key;
  const result = analysis.judge
    ? simVsPeople({ matching, runReferenceArmKey: referenceArmKey, judgeLabel: analysis.judge, people, comparisons: analysis.comparisons })
    : { referenceStudyArmKey: matching.matches.find((m) => m.runArmKey === referenceArmKey)?.studyArmKey ?? null, outcomes: [] };
  return {
    run: { id: run!.id, name: run!.name, status: run!.status, referenceArmKey, judge: analysis.judge, judges: analysis.judges },
    studyArms: arms.map((a) => ({ key: a.key, label: a.label })),
    runArms: config.arms.map((a) => ({ key: a.key, label: a.label })),
    matching,
    ...result,
  };
}
