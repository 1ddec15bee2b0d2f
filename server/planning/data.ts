/**
 * What the planner reads from the database: a simulated pilot's outcomes, the study's own (real) outcomes so
 * far, and the study's dropout rate. Pilot participants (`participants.pilot_id` set) and previews never reach
 * the study's figures; a pilot's figures are read only from its own participants.
 */
import { and, asc, count, eq, gte, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { DbExecutor } from '../../db';
import { schema } from '../../db';
import { METRIC_INFO, METRICS, type MetricName } from '../benchmarks/metrics';
import { outcomes as resultOutcomes } from '../insights/dashboard';
import { loadAnalysisRows } from '../insights/dataset';
import { computeParticipantMetrics, refreshParticipantMetrics } from '../insights/participant-metrics';
import { inPopulation } from '../insights/populations';
import { notFound } from '../services/errors';
import type { ObservedOutcome } from './plan';

/** A pilot is planned from at most this many participants (pilots are small; this bounds one request). */
export const PILOT_PARTICIPANT_CAP = 5000;

/** Judge metrics that depend only on the messages; the planner computes those itself, once, not per judge. */
const CONVERSATION_METRICS = new Set<string>([METRICS.turns, METRICS.tokensRead, METRICS.tokensTyped, METRICS.clarifyingQuestions]);

export interface PilotSummary {
  id: string;
  status: string;
  createdAt: Date;
  finishedAt: Date | null;
  participants: number;
}

export async function listPilots(db: DbExecutor, studyId: string): Promise<PilotSummary[]> {
  const pilots = await db
    .select({ id: schema.studyPilots.id, status: schema.studyPilots.status, createdAt: schema.studyPilots.createdAt, finishedAt: schema.studyPilots.finishedAt })
    .from(schema.studyPilots)
    .where(eq(schema.studyPilots.studyId, studyId))
    .orderBy(asc(schema.studyPilots.createdAt));
  if (!pilots.length) return [];
  const counts = await db
    .select({ pilotId: schema.participants.pilotId, n: count() })
    .from(schema.participants)
    .where(and(eq(schema.participants.studyId, studyId), isNotNull(schema.participants.pilotId)))
    .groupBy(schema.participants.pilotId);
  const byPilot = new Map(counts.map((c) => [c.pilotId, Number(c.n)]));
  return pilots.map((p) => ({ ...p, participants: byPilot.get(p.id) ?? 0 }));
}

function judgeOutcomeLabel(judge: string, metric: string): string {
  const info = METRIC_INFO[metric as MetricName];
  return `Judge ${info ? info.label.replace(/^./, (c) => c.toLowerCase()) : metric} (${judge})`;
}

/** Judge scores of the given participants, one outcome per (judge, metric), values keyed by the participant's arm. */
async function judgeOutcomes(db: DbExecutor, armOf: Map<string, string>): Promise<ObservedOutcome[]> {
  const ids = [...armOf.keys()];
  if (!ids.length) return [];
  const s = schema.studyJudgeScores;
  const rows = await db
    .select({ participantId: s.participantId, judge: s.judge, metric: s.metric, value: s.value })
    .from(s)
    .where(inArray(s.participantId, ids))
    .orderBy(asc(s.judge), asc(s.metric));
  const outcomes = new Map<string, ObservedOutcome>();
  for (const row of rows) {
    if (CONVERSATION_METRICS.has(row.metric) || !Number.isFinite(row.value)) continue;
    const key = `judge:${row.judge}:${row.metric}`;
    let outcome = outcomes.get(key);
    if (!outcome) outcomes.set(key, (outcome = { key, label: judgeOutcomeLabel(row.judge, row.metric), values: {} }));
    (outcome.values[armOf.get(row.participantId)!] ??= []).push(row.value);
  }
  return sortValues([...outcomes.values()]);
}

/** Row order from the database is arbitrary; sorted values make every figure (and every resample) reproducible. */
function sortValues(outcomes: ObservedOutcome[]): ObservedOutcome[] {
  for (const o of outcomes) for (const list of Object.values(o.values)) list.sort((a, b) => a - b);
  return outcomes;
}

export interface ObservedData {
  outcomes: ObservedOutcome[];
  /** Participants per arm the values come from. */
  participantsPerArm: Record<string, number>;
  /** Real data only: participants whose cached conversation metrics are still being computed. */
  metricsPending: number;
}

/**
 * A pilot's outcomes: its participants' own ratings (survey), the judges' scores, and the conversation metrics
 * computed from their messages with the results page's definitions (`computeParticipantMetrics`).
 */
export async function loadPilotOutcomes(db: DbExecutor, studyId: string, pilotId: string): Promise<ObservedData> {
  const [pilot] = await db
    .select({ id: schema.studyPilots.id })
    .from(schema.studyPilots)
    .where(and(eq(schema.studyPilots.id, pilotId), eq(schema.studyPilots.studyId, studyId)));
  if (!pilot) throw notFound('The pilot');
  const p = schema.participants;
  const people = await db
    .select({ id: p.id, armKey: p.armKey, documentQuality: schema.surveyResponses.documentQuality, overallInteraction: schema.surveyResponses.overallInteraction })
    .from(p)
    .leftJoin(schema.surveyResponses, eq(schema.surveyResponses.participantId, p.id))
    .where(and(eq(p.studyId, studyId), eq(p.pilotId, pilotId), isNotNull(p.armKey)))
    .orderBy(asc(p.id))
    .limit(PILOT_PARTICIPANT_CAP);
  const armOf = new Map(people.map((r) => [r.id, r.armKey!]));
  const participantsPerArm: Record<string, number> = {};
  for (const r of people) participantsPerArm[r.armKey!] = (participantsPerArm[r.armKey!] ?? 0) + 1;

  const survey = (key: 'documentQuality' | 'overallInteraction', label: string): ObservedOutcome => {
    const values: Record<string, number[]> = {};
    for (const r of people) if (r[key] !== null) (values[r.armKey!] ??= []).push(r[key]);
    return { key, label, values };
  };
  const metrics = await computeParticipantMetrics(db, [...armOf.keys()]);
  const metric = (key: 'turns' | 'tokensRead' | 'tokensTyped', label: string): ObservedOutcome => {
    const values: Record<string, number[]> = {};
    for (const m of metrics) if (m[key] !== null) (values[armOf.get(m.participantId)!] ??= []).push(m[key]);
    return { key, label, values };
  };
  const outcomes = [
    survey('documentQuality', 'Document quality (participant)'),
    survey('overallInteraction', 'Overall interaction (participant)'),
    ...(await judgeOutcomes(db, armOf)),
    metric('turns', 'Turns'),
    metric('tokensRead', 'Tokens read (assistant replies)'),
    metric('tokensTyped', 'Tokens typed (participant messages)'),
  ];
  return { outcomes: sortValues(outcomes), participantsPerArm, metricsPending: 0 };
}

/**
 * The study's real data so far: the results page's outcomes for its completers (the people a study analyses;
 * dropout is planned separately), plus judge scores of real participants. Pilot participants are dropped here
 * even if the shared dataset loader still returned them.
 */
export async function loadStudyOutcomes(db: DbExecutor, studyId: string, attentionCheckCount: number): Promise<ObservedData> {
  const filter = { studyId };
  const { pending } = await refreshParticipantMetrics(db, filter, { budgetMs: 1500 });
  const pilotIds = new Set(
    (
      await db
        .select({ id: schema.participants.id })
        .from(schema.participants)
        .where(and(eq(schema.participants.studyId, studyId), isNotNull(schema.participants.pilotId)))
    ).map((r) => r.id),
  );
  const rows = (await loadAnalysisRows(db, filter)).filter((r) => !pilotIds.has(r.participantId) && inPopulation(r, 'completers', attentionCheckCount));
  const armOf = new Map(rows.map((r) => [r.participantId, r.armKey!]));
  const participantsPerArm: Record<string, number> = {};
  for (const r of rows) participantsPerArm[r.armKey!] = (participantsPerArm[r.armKey!] ?? 0) + 1;
  const outcomes: ObservedOutcome[] = resultOutcomes.map((o) => {
    const values: Record<string, number[]> = {};
    for (const r of rows) {
      const v = o.value(r);
      if (v !== null && Number.isFinite(v)) (values[r.armKey!] ??= []).push(v);
    }
    return { key: o.key, label: o.label, values };
  });
  outcomes.push(...(await judgeOutcomes(db, armOf)));
  return { outcomes: sortValues(outcomes), participantsPerArm, metricsPending: pending };
}

export interface StudyDropout {
  /** Real participants who entered (previews and pilot participants excluded). */
  entered: number;
  /** Still active (no outcome, seen within the study's inactivity window): not yet counted either way. */
  inProgress: number;
  /** Finished the study and analysable (completed, not excluded, not failed checks). */
  completed: number;
  /** 1 − completed / (entered − inProgress); null while nobody has finished or dropped out. */
  rate: number | null;
}

export async function loadStudyDropout(db: DbExecutor, studyId: string, inactiveAfterMinutes: number, now = new Date()): Promise<StudyDropout> {
  const p = schema.participants;
  const activeSince = new Date(now.getTime() - inactiveAfterMinutes * 60_000);
  const [row] = await db
    .select({
      entered: count(),
      inProgress: sql<number>`count(*) filter (where ${and(isNull(p.outcome), gte(p.lastSeenAt, activeSince))})`.mapWith(Number),
      completed: sql<number>`count(*) filter (where ${and(eq(p.outcome, 'completed'), eq(p.excluded, false))})`.mapWith(Number),
    })
    .from(p)
    .where(and(eq(p.studyId, studyId), eq(p.isPreview, false), isNull(p.pilotId)));
  const entered = Number(row?.entered ?? 0);
  const inProgress = row?.inProgress ?? 0;
  const completed = row?.completed ?? 0;
  const settled = entered - inProgress;
  return { entered, inProgress, completed, rate: settled > 0 ? 1 - completed / settled : null };
}
