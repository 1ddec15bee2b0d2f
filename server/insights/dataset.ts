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
  outcome: Outcome | null;
  consented: boolean;
  /** Arm from the recorded randomization draw; null before assignment. */
  armKey: string | null;
  attentionFailures: number | null;
  excluded: boolean;
  exclusionReason: string | null;
  documentQuality: number | null;
  overallInteraction: number | null;
  /** Periodic ratings in checkpoint order: after this many turns, this value. */
  ratingTurns: number[];
  ratingValues: number[];
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

/**
 * One row per participant; selects only what the dashboard uses (no timestamps: parsing 10,000s of dates is a
 * measurable share of the load). Ratings come from the participant_metrics cache (aggregating every rating on
 * each load dominated the query on a 10,000-participant study), so refresh the cache first.
 */
export async function loadAnalysisRows(db: DbExecutor, filter: DatasetFilter): Promise<AnalysisRow[]> {
  const p = schema.participants;
  const a = schema.assignments;
  const s = schema.surveyResponses;
  const pm = schema.participantMetrics;

  const rows = await db
    .select({
      participantId: p.id,
      outcome: p.outcome,
      consented: sql<boolean>`${p.consentedAt} is not null`,
      armKey: a.armKey,
      attentionFailures: p.attentionFailures,
      excluded: p.excluded,
      exclusionReason: p.exclusionReason,
      documentQuality: s.documentQuality,
      overallInteraction: s.overallInteraction,
      ratingTurns: pm.ratingTurns,
      ratingValues: pm.ratingValues,
      turns: pm.turns,
      tokensRead: pm.tokensRead,
      tokensTyped: pm.tokensTyped,
      totalTimeSec: pm.totalTimeSec,
      activeTimeSec: pm.activeTimeSec,
    })
    .from(p)
    .leftJoin(a, eq(a.participantId, p.id))
    .leftJoin(s, eq(s.participantId, p.id))
    .leftJoin(pm, eq(pm.participantId, p.id))
    .where(participantScope(filter));

  return rows.map((row) => {
    const ratingValues = (row.ratingValues ?? []).map(Number);
    return {
      ...row,
      consented: row.consented === true || (row.consented as unknown) === 't',
      ratingTurns: (row.ratingTurns ?? []).map(Number),
      ratingValues,
      meanRating: ratingValues.length ? ratingValues.reduce((x, y) => x + y, 0) / ratingValues.length : null,
    };
  });
}
