/**
 * Previewing the draft before it is published. A preview session needs a frozen configuration to
 * point at (participants record the version they saw, and every later step reads it), so the draft
 * is snapshotted into `study_versions` with `draft_preview = true` and a version number ≤ 0. Those
 * rows are never current, never listed as versions, and only preview sessions reference them;
 * an unchanged draft reuses its last snapshot.
 */
import { and, eq, lte, min } from 'drizzle-orm';
import type { Database } from '../../db';
import { schema } from '../../db';
import { studyConfigSchema } from './config';
import { configsEqual } from './config-compare';

/** Filter for the versions researchers publish (excludes draft-preview snapshots). */
export const publishedVersionsOnly = eq(schema.studyVersions.draftPreview, false);

/** The snapshot row of the study's current draft, created if the draft changed since the last one. */
export async function draftPreviewVersionId(db: Database, studyId: string, actorId: string): Promise<string> {
  return db.transaction(async (tx) => {
    // The study row lock serializes snapshot numbering with launches and publishes.
    const [study] = await tx.select().from(schema.studies).where(eq(schema.studies.id, studyId)).for('update');
    if (!study) throw new Error(`study ${studyId} disappeared`);
    const config = studyConfigSchema.parse(study.draftConfig);
    const V = schema.studyVersions;
    const [latest] = await tx
      .select({ id: V.id, config: V.config })
      .from(V)
      .where(and(eq(V.studyId, studyId), eq(V.draftPreview, true)))
      .orderBy(V.version)
      .limit(1);
    if (latest && configsEqual(latest.config, config)) return latest.id;
    const [lowest] = await tx
      .select({ version: min(V.version) })
      .from(V)
      .where(and(eq(V.studyId, studyId), lte(V.version, 0)));
    const [row] = await tx
      .insert(V)
      .values({
        studyId,
        version: Math.min(lowest?.version ?? 1, 1) - 1,
        config,
        note: 'Draft preview',
        draftPreview: true,
        createdById: actorId,
      })
      .returning({ id: V.id });
    return row!.id;
  });
}
