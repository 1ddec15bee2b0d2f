/**
 * Working from a study's history: duplicate a study (a new draft from any study's draft or one of
 * its versions) and compare two configurations (the draft or any published version) field by field.
 */
import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { schema } from '../../db';
import { requireRole } from '../auth/roles';
import type { ServiceContext } from '../services/context';
import { notFound } from '../services/errors';
import type { StudyConfig } from './config';
import { diffConfigs, type ConfigChange } from './config-compare';
import { publishedVersionsOnly } from './draft-preview';
import type { compareConfigsInput, configSourceSchema, duplicateStudyInput } from './schemas';
import { createStudy } from './service';

type ConfigSource = z.infer<typeof configSourceSchema>;

/** The draft, or a published version by number. */
export async function loadConfigSource(ctx: ServiceContext, studyId: string, source: ConfigSource): Promise<StudyConfig> {
  requireRole(ctx.actor, 'viewer');
  if (source === 'draft') {
    const [study] = await ctx.db.select({ config: schema.studies.draftConfig }).from(schema.studies).where(eq(schema.studies.id, studyId));
    if (!study) throw notFound('The study');
    return study.config;
  }
  const V = schema.studyVersions;
  const [row] = await ctx.db
    .select({ config: V.config })
    .from(V)
    .where(and(eq(V.studyId, studyId), eq(V.version, source), publishedVersionsOnly));
  if (!row) throw notFound(`Version ${source}`);
  return row.config;
}

/** A new draft study with the source's configuration; its own slug, name and assignment seed. */
export async function duplicateStudy(ctx: ServiceContext, input: z.infer<typeof duplicateStudyInput>): Promise<{ id: string; slug: string }> {
  requireRole(ctx.actor, 'researcher');
  const config = await loadConfigSource(ctx, input.studyId, input.source);
  return createStudy(ctx, { slug: input.slug, name: input.name, config });
}

export async function compareConfigs(
  ctx: ServiceContext,
  input: z.infer<typeof compareConfigsInput>,
): Promise<{ changes: ConfigChange[] }> {
  const [before, after] = await Promise.all([
    loadConfigSource(ctx, input.studyId, input.from),
    loadConfigSource(ctx, input.studyId, input.to),
  ]);
  return { changes: diffConfigs(before, after) };
}
