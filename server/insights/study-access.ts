/** Read-only look-ups of a study and its versions shared by the monitor, dashboard, transcripts and exports. */
import { and, asc, eq } from 'drizzle-orm';
import type { DbExecutor } from '../../db';
import { schema } from '../../db';
import { notFound } from '../services/errors';
import type { StudyConfig } from '../studies/config';

export interface StudyArm {
  key: string;
  label: string;
}

export interface StudyOverview {
  id: string;
  slug: string;
  name: string;
  status: string;
  currentVersionId: string | null;
  versions: { id: string; version: number; createdAt: Date }[];
  /** Arms across every version (newest label wins), in the order of the newest version. */
  arms: StudyArm[];
  attentionCheckCount: number;
}

export async function loadStudyOverview(db: DbExecutor, studyId: string): Promise<StudyOverview> {
  const [study] = await db.select().from(schema.studies).where(eq(schema.studies.id, studyId));
  if (!study) throw notFound('The study');
  const versions = await db
    .select({
      id: schema.studyVersions.id,
      version: schema.studyVersions.version,
      createdAt: schema.studyVersions.createdAt,
      config: schema.studyVersions.config,
    })
    .from(schema.studyVersions)
    .where(and(eq(schema.studyVersions.studyId, studyId), eq(schema.studyVersions.draftPreview, false)))
    .orderBy(asc(schema.studyVersions.version));
  const configs: StudyConfig[] = versions.length ? versions.map((v) => v.config) : [study.draftConfig];
  const arms = new Map<string, StudyArm>();
  for (const config of [...configs].reverse()) {
    for (const arm of config.arms ?? []) if (!arms.has(arm.key)) arms.set(arm.key, { key: arm.key, label: arm.label });
  }
  const newest = configs[configs.length - 1];
  return {
    id: study.id,
    slug: study.slug,
    name: study.name,
    status: study.status,
    currentVersionId: study.currentVersionId,
    versions: versions.map(({ id, version, createdAt }) => ({ id, version, createdAt })),
    arms: [...arms.values()],
    attentionCheckCount: newest?.attentionChecks?.length ?? 0,
  };
}
