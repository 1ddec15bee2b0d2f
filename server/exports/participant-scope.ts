/**
 * Who an export covers and how they are named: the participants in scope, read page by page (keyset on
 * participants.id, so memory stays bounded by one page however large the study is), the pseudonyms of external
 * ids, and the participant_id column every table joins on.
 */
import { and, asc, eq, gt, inArray, isNull } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { schema } from '../../db';
import { hmac } from '../lib/secret';
import type { Column, ExportContext } from './table-spec';

const P = schema.participants;

/** Keyset pagination over the participants in scope. */
export async function* participantPages(ctx: ExportContext) {
  let after: string | null = null;
  for (;;) {
    const rows: (typeof P.$inferSelect)[] = await ctx.db
      .select()
      .from(P)
      .where(
        and(
          eq(P.studyId, ctx.scope.studyId),
          // Simulated pilot participants are never exported with the study's data, previews included or not.
          isNull(P.pilotId),
          ctx.scope.includePreviews ? undefined : eq(P.isPreview, false),
          ctx.scope.versionIds.length ? inArray(P.studyVersionId, ctx.scope.versionIds) : undefined,
          after ? gt(P.id, after) : undefined,
        ),
      )
      .orderBy(asc(P.id))
      .limit(ctx.pageSize);
    if (!rows.length) return;
    yield rows;
    if (rows.length < ctx.pageSize) return;
    after = rows[rows.length - 1]!.id;
  }
}

/** A table with a row (or rows) per participant, keyed by participant_id. */
type PerParticipantTable = PgTable & { participantId: PgColumn };

/**
 * For each page of participants in scope, the rows of a per-participant table that belong to them, in the given
 * ascending order: one query per page, so memory stays bounded by one page's rows.
 */
export async function* rowsPerParticipantPage<T extends PerParticipantTable>(
  ctx: ExportContext,
  table: T,
  orderBy: PgColumn[],
): AsyncGenerator<T['$inferSelect'][]> {
  for await (const page of participantPages(ctx)) {
    const rows = await ctx.db
      .select()
      .from(table as PgTable)
      .where(inArray(table.participantId, page.map((p) => p.id)))
      .orderBy(...orderBy.map((column) => asc(column)));
    yield rows as T['$inferSelect'][];
  }
}

/** Study-specific keyed hash: the same participant maps to the same pseudonym within a study, never across studies. */
export function pseudonymize(studyId: string, value: string): string {
  return hmac(`export-participant-ids:${studyId}`, value);
}

/** An external id as exported: its pseudonym when the export hashes ids. */
export function externalIdOf(ctx: ExportContext, value: string | null): string | null {
  if (value === null) return null;
  return ctx.scope.hashExternalIds ? pseudonymize(ctx.scope.studyId, value) : value;
}

export const participantIdColumn: Column = { name: 'participant_id', type: 'uuid', description: 'Internal participant id (random UUID; joins every table).' };
