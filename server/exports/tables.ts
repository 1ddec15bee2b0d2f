/**
 * The export's tables in file and codebook order, and the study versions they refer to. Each table's columns
 * and paged row source live with it: participant-tables.ts, message-tables.ts and judge-scores.ts; every table is
 * read participant page by participant page (participant-scope.ts).
 */
import { asc, eq } from 'drizzle-orm';
import type { DbExecutor } from '../../db';
import { schema } from '../../db';
import { redactSecrets } from '../insights/transcripts';
import { judgeScoresTableSpec } from './judge-scores';
import { messagesTable } from './message-tables';
import { participantPages } from './participant-scope';
import {
  assignmentsTable,
  draftsTable,
  heartbeatsTable,
  participantsTable,
  ratingsTable,
  stageTimingsTable,
  surveysTable,
} from './participant-tables';
import type { TableSpec } from './table-spec';

export const tables: TableSpec[] = [
  participantsTable,
  assignmentsTable,
  messagesTable,
  ratingsTable,
  surveysTable,
  stageTimingsTable,
  draftsTable,
  heartbeatsTable,
  judgeScoresTableSpec(participantPages),
];

/** Published versions; with `includeDraftPreviews`, also the draft snapshots (version ≤ 0) preview sessions point at. */
export async function studyVersionRows(db: DbExecutor, studyId: string, opts: { includeDraftPreviews?: boolean } = {}) {
  const V = schema.studyVersions;
  const rows = (await db.select().from(V).where(eq(V.studyId, studyId)).orderBy(asc(V.version))).filter(
    (v) => opts.includeDraftPreviews || !v.draftPreview,
  );
  return rows.map((v) => ({ version_id: v.id, version: v.version, note: v.note, created_at: v.createdAt, config: redactSecrets(v.config) }));
}

/** `<versionId>:<armKey>` → label, for the arm_label column. */
export function armLabelsOf(versions: { version_id: string; config: { arms?: { key: string; label: string }[] } }[]): Map<string, string> {
  const labels = new Map<string, string>();
  for (const v of versions) for (const arm of v.config.arms ?? []) labels.set(`${v.version_id}:${arm.key}`, arm.label);
  return labels;
}
