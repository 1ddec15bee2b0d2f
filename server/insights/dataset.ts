/**
 * Loads one row per participant of a study with everything the dashboard compares, in a handful of
 * set-based queries (no per-participant round trips), so a 10,000-participant study stays fast.
 * Preview sessions are filtered out here, the single entry point, so they can never be counted.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
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
    // Simulated pilot participants (issue 11 §3) never reach the study's own results, lists or figures.
    isNull(p.pilotId),
    filter.versionIds?.length ? inArray(p.studyVersionId, filter.versionIds) : undefined,
  );
}

/** One participant as json_build_array emits it, in this order (see loadAnalysisRows). */
type PackedRow = [
  participantId: string,
  outcome: Outcome | null,
  consented: boolean,
  armKey: string | null,
  attentionFailures: number | null,
  excluded: boolean,
  exclusionReason: string | null,
  documentQuality: number | null,
  overallInteraction: number | null,
  ratingTurns: number[] | null,
  ratingValues: number[] | null,
  turns: number | null,
  tokensRead: number | null,
  tokensTyped: number | null,
  totalTimeSec: number | null,
  activeTimeSec: number | null,
];

/**
 * One row per participant; selects only what the dashboard uses (no timestamps). Ratings come from the
 * participant_metrics cache (aggregating every rating on each load dominated the query on a
 * 10,000-participant study), so refresh the cache first.
 *
 * Postgres packs the rows into a single json array (json_agg of positional arrays) that is parsed with one
 * JSON.parse: for 10,000 participants the query itself takes ≈ 20 ms, but decoding 16 columns × 10,000 rows
 * through the driver and Drizzle's per-field mapping took ≈ 110 ms more and a fifth of it in garbage
 * collection (CPU profile in bench/README.md). Values are unchanged: integers, booleans and text map
 * one to one, and float8 is printed by Postgres (12+) in its shortest round-trip form, so the doubles are
 * bit-identical.
 */
export async function loadAnalysisRows(db: DbExecutor, filter: DatasetFilter): Promise<AnalysisRow[]> {
  const p = schema.participants;
  const a = schema.assignments;
  const s = schema.surveyResponses;
  const pm = schema.participantMetrics;

  const [result] = await db
    .select({
      rows: sql<PackedRow[] | string | null>`json_agg(json_build_array(
        ${p.id}, ${p.outcome}, ${p.consentedAt} is not null, ${a.armKey}, ${p.attentionFailures}, ${p.excluded},
        ${p.exclusionReason}, ${s.documentQuality}, ${s.overallInteraction}, ${pm.ratingTurns}, ${pm.ratingValues},
        ${pm.turns}, ${pm.tokensRead}, ${pm.tokensTyped}, ${pm.totalTimeSec}, ${pm.activeTimeSec}))`,
    })
    .from(p)
    .leftJoin(a, eq(a.participantId, p.id))
    .leftJoin(s, eq(s.participantId, p.id))
    .leftJoin(pm, eq(pm.participantId, p.id))
    .where(participantScope(filter));

  // postgres-js parses json results itself; other drivers may hand over the text.
  const packed: PackedRow[] = typeof result?.rows === 'string' ? (JSON.parse(result.rows) as PackedRow[]) : (result?.rows ?? []);
  return packed.map((r) => {
    const ratingValues = r[10] ?? [];
    return {
      participantId: r[0],
      outcome: r[1],
      consented: r[2],
      armKey: r[3],
      attentionFailures: r[4],
      excluded: r[5],
      exclusionReason: r[6],
      documentQuality: r[7],
      overallInteraction: r[8],
      ratingTurns: r[9] ?? [],
      ratingValues,
      meanRating: ratingValues.length ? ratingValues.reduce((x, y) => x + y, 0) / ratingValues.length : null,
      turns: r[11],
      tokensRead: r[12],
      tokensTyped: r[13],
      totalTimeSec: r[14],
      activeTimeSec: r[15],
    };
  });
}
