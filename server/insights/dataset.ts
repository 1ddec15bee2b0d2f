/**
 * Loads one row per participant of a study with everything the dashboard compares, in a handful of
 * set-based queries (no per-participant round trips), so a 10,000-participant study stays fast.
 * Preview sessions are filtered out here, the single entry point, so they can never be counted.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { DbExecutor } from '../../db';
import { schema } from '../../db';

export type Outcome = (typeof schema.participantOutcome.enumValues)[number];
export type Stage = (typeof schema.participantStage.enumValues)[number];

export interface AnalysisRow {
  participantId: string;
  studyVersionId: string;
  source: string;
  stage: Stage;
  outcome: Outcome | null;
  consented: boolean;
  /** Arm from the recorded randomization draw; null before assignment. */
  armKey: string | null;
  attentionFailures: number | null;
  excluded: boolean;
  exclusionReason: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  lastSeenAt: Date;
  documentQuality: number | null;
  overallInteraction: number | null;
  meanRating: number | null;
  /** From the participant_metrics cache; null until computed. */
  turns: number | null;
  tokensRead: number | null;
  tokensTyped: number | null;
  totalTimeSec: number | null;
  activeTimeSec: number | null;
}

export interface DatasetFilter {
  studyId: string;
  /** Restrict to these study versions; empty or undefined = all versions. */
  versionIds?: string[];
}

export function participantScope(filter: DatasetFilter) {
  const p = schema.participants;
  return and(
    eq(p.studyId, filter.studyId),
    eq(p.isPreview, false),
    filter.versionIds?.length ? inArray(p.studyVersionId, filter.versionIds) : undefined,
  );
}

export async function loadAnalysisRows(db: DbExecutor, filter: DatasetFilter): Promise<AnalysisRow[]> {
  const p = schema.participants;
  const a = schema.assignments;
  const s = schema.surveyResponses;
  const r = schema.ratings;
  const pm = schema.participantMetrics;
  const ratingMeans = db
    .select({
      participantId: r.participantId,
      meanRating: sql<number>`avg(${r.value})::float8`.as('mean_rating'),
    })
    .from(r)
    .innerJoin(p, eq(p.id, r.participantId))
    .where(participantScope(filter))
    .groupBy(r.participantId)
    .as('rating_means');

  const rows = await db
    .select({
      participantId: p.id,
      studyVersionId: p.studyVersionId,
      source: p.source,
      stage: p.stage,
      outcome: p.outcome,
      consentedAt: p.consentedAt,
      armKey: a.armKey,
      attentionFailures: p.attentionFailures,
      excluded: p.excluded,
      exclusionReason: p.exclusionReason,
      createdAt: p.createdAt,
      finishedAt: p.finishedAt,
      lastSeenAt: p.lastSeenAt,
      documentQuality: s.documentQuality,
      overallInteraction: s.overallInteraction,
      meanRating: ratingMeans.meanRating,
      turns: pm.turns,
      tokensRead: pm.tokensRead,
      tokensTyped: pm.tokensTyped,
      totalTimeSec: pm.totalTimeSec,
      activeTimeSec: pm.activeTimeSec,
    })
    .from(p)
    .leftJoin(a, eq(a.participantId, p.id))
    .leftJoin(s, eq(s.participantId, p.id))
    .leftJoin(ratingMeans, eq(ratingMeans.participantId, p.id))
    .leftJoin(pm, eq(pm.participantId, p.id))
    .where(participantScope(filter));

  return rows.map(({ consentedAt, ...row }) => ({
    ...row,
    consented: consentedAt !== null,
    meanRating: row.meanRating === null ? null : Number(row.meanRating),
  }));
}

export interface RatingPoint {
  participantId: string;
  armKey: string;
  afterTurn: number;
  value: number;
}

/** Every periodic rating of assigned participants in scope (for the rating-by-turn curve). */
export async function loadRatings(db: DbExecutor, filter: DatasetFilter): Promise<RatingPoint[]> {
  const p = schema.participants;
  const a = schema.assignments;
  const r = schema.ratings;
  return db
    .select({ participantId: r.participantId, armKey: a.armKey, afterTurn: r.afterTurn, value: r.value })
    .from(r)
    .innerJoin(p, eq(p.id, r.participantId))
    .innerJoin(a, eq(a.participantId, p.id))
    .where(participantScope(filter));
}
