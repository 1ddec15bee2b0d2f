/**
 * Study setup: create, edit the draft, launch (freeze version 1), publish later versions, pause,
 * resume and close. Participants always get `current_version_id`; editing the draft of a running
 * study changes nothing for them until a new version is published.
 */
import crypto from 'node:crypto';
import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { DbExecutor, Tx } from '../../db';
import { schema } from '../../db';
import { requireRole } from '../auth/roles';
import { recordAudit } from '../services/audit';
import type { ServiceContext } from '../services/context';
import { badRequest, conflict, notFound, precondition } from '../services/errors';
import { demoStyles, studyConfigSchema, type StudyConfig } from './config';
import type { createStudyInput, launchInput, publishVersionInput, setStatusInput, updateDraftInput } from './schemas';
import { starterStudyConfig } from './template';
import { configsEqual } from './config-compare';
import { publishedVersionsOnly } from './draft-preview';

export type StudyStatus = (typeof schema.studyStatus.enumValues)[number];

export interface ParticipantCounts {
  /** Real participants (previews excluded). */
  total: number;
  completed: number;
  inProgress: number;
  /** Ended without completing after consenting: failed checks or timed out (decliners are counted apart). */
  ended: number;
  /** Declined consent (never randomized). */
  declined: number;
}

export interface StudyListItem {
  id: string;
  slug: string;
  name: string;
  status: StudyStatus;
  currentVersion: number | null;
  participants: ParticipantCounts;
  updatedAt: Date;
}

export interface StudyVersionSummary {
  id: string;
  version: number;
  note: string | null;
  createdAt: Date;
  createdByEmail: string | null;
}

export interface StudyDetail {
  id: string;
  slug: string;
  name: string;
  status: StudyStatus;
  draftConfig: StudyConfig;
  currentVersionId: string | null;
  currentVersion: number | null;
  /** The draft differs from the version participants get (always true before launch). */
  hasUnpublishedChanges: boolean;
  versions: StudyVersionSummary[];
  participants: ParticipantCounts;
  createdAt: Date;
  updatedAt: Date;
}

const emptyCounts = (): ParticipantCounts => ({ total: 0, completed: 0, inProgress: 0, ended: 0, declined: 0 });

export { configsEqual } from './config-compare';

async function participantCounts(db: DbExecutor, studyIds: string[]): Promise<Map<string, ParticipantCounts>> {
  const result = new Map<string, ParticipantCounts>();
  if (studyIds.length === 0) return result;
  const p = schema.participants;
  const rows = await db
    .select({
      studyId: p.studyId,
      total: sql<number>`count(*)`.mapWith(Number),
      completed: sql<number>`count(*) filter (where ${p.outcome} = 'completed')`.mapWith(Number),
      inProgress: sql<number>`count(*) filter (where ${p.outcome} is null)`.mapWith(Number),
      declined: sql<number>`count(*) filter (where ${p.outcome} = 'no_consent')`.mapWith(Number),
    })
    .from(p)
    .where(and(inArray(p.studyId, studyIds), eq(p.isPreview, false), isNull(p.pilotId)))
    .groupBy(p.studyId);
  for (const r of rows)
    result.set(r.studyId, {
      total: r.total,
      completed: r.completed,
      inProgress: r.inProgress,
      declined: r.declined,
      ended: r.total - r.completed - r.inProgress - r.declined,
    });
  return result;
}

/**
 * Checks what the schema cannot: arm connections exist, and demo-model arms name a demo style.
 * Messages name the arm so the form can point at it.
 */
async function assertConfigRunnable(db: DbExecutor, config: StudyConfig): Promise<void> {
  const connectionIds = [...new Set(config.arms.flatMap((a) => (a.connectionId ? [a.connectionId] : [])))];
  const known = connectionIds.length
    ? new Set(
        (
          await db
            .select({ id: schema.llmConnections.id })
            .from(schema.llmConnections)
            .where(inArray(schema.llmConnections.id, connectionIds))
        ).map((r) => r.id),
      )
    : new Set<string>();
  for (const arm of config.arms) {
    if (arm.connectionId && !known.has(arm.connectionId))
      throw badRequest(`Arm "${arm.key}": its LLM connection no longer exists. Pick another connection.`);
    if (!arm.connectionId && !(demoStyles as readonly string[]).includes(arm.model))
      throw badRequest(`Arm "${arm.key}": the offline demo model takes one of ${demoStyles.join(', ')} as its model.`);
  }
}

export async function listStudies(ctx: ServiceContext): Promise<StudyListItem[]> {
  requireRole(ctx.actor, 'viewer');
  const s = schema.studies;
  const rows = await ctx.db
    .select({
      id: s.id,
      slug: s.slug,
      name: s.name,
      status: s.status,
      updatedAt: s.updatedAt,
      currentVersion: schema.studyVersions.version,
    })
    .from(s)
    .leftJoin(schema.studyVersions, eq(schema.studyVersions.id, s.currentVersionId))
    .orderBy(desc(s.updatedAt));
  const counts = await participantCounts(ctx.db, rows.map((r) => r.id));
  return rows.map((r) => ({ ...r, participants: counts.get(r.id) ?? emptyCounts() }));
}

export async function getStudy(ctx: ServiceContext, studyId: string): Promise<StudyDetail> {
  requireRole(ctx.actor, 'viewer');
  const [study] = await ctx.db.select().from(schema.studies).where(eq(schema.studies.id, studyId));
  if (!study) throw notFound('The study');
  const versions = await ctx.db
    .select({
      id: schema.studyVersions.id,
      version: schema.studyVersions.version,
      note: schema.studyVersions.note,
      createdAt: schema.studyVersions.createdAt,
      createdByEmail: schema.users.email,
      config: schema.studyVersions.config,
    })
    .from(schema.studyVersions)
    .leftJoin(schema.users, eq(schema.users.id, schema.studyVersions.createdById))
    .where(and(eq(schema.studyVersions.studyId, studyId), publishedVersionsOnly))
    .orderBy(desc(schema.studyVersions.version));
  const current = versions.find((v) => v.id === study.currentVersionId) ?? null;
  const counts = await participantCounts(ctx.db, [studyId]);
  return {
    id: study.id,
    slug: study.slug,
    name: study.name,
    status: study.status,
    draftConfig: study.draftConfig,
    currentVersionId: study.currentVersionId,
    currentVersion: current?.version ?? null,
    hasUnpublishedChanges: !current || !configsEqual(study.draftConfig, current.config),
    versions: versions.map(({ config: _config, ...v }) => v),
    participants: counts.get(studyId) ?? emptyCounts(),
    createdAt: study.createdAt,
    updatedAt: study.updatedAt,
  };
}

/** The frozen configuration of one version (for viewing history). */
export async function getStudyVersionConfig(ctx: ServiceContext, input: { studyId: string; version: number }): Promise<StudyConfig> {
  requireRole(ctx.actor, 'viewer');
  const [row] = await ctx.db
    .select({ config: schema.studyVersions.config })
    .from(schema.studyVersions)
    .where(and(eq(schema.studyVersions.studyId, input.studyId), eq(schema.studyVersions.version, input.version), publishedVersionsOnly));
  if (!row) throw notFound('That version');
  return row.config;
}

export async function createStudy(ctx: ServiceContext, input: z.infer<typeof createStudyInput>): Promise<{ id: string; slug: string }> {
  const actor = requireRole(ctx.actor, 'researcher');
  const config = studyConfigSchema.parse(input.config ?? starterStudyConfig());
  await assertConfigRunnable(ctx.db, config);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(schema.studies)
      .values({
        slug: input.slug,
        name: input.name,
        draftConfig: config,
        assignmentSeed: crypto.randomBytes(16).toString('hex'),
        createdById: actor.id,
      })
      .onConflictDoNothing({ target: schema.studies.slug })
      .returning({ id: schema.studies.id, slug: schema.studies.slug });
    if (!row) throw conflict(`The link name "${input.slug}" is taken. Choose another slug.`);
    await recordAudit(tx, { actorUserId: actor.id, action: 'study.created', targetType: 'study', targetId: row.id, details: { slug: row.slug } });
    return row;
  });
}

/** The stored draft, checked by today's rules (a draft saved before a rule existed gets a clear error, not a 500). */
function parseDraft(draft: unknown): StudyConfig {
  const parsed = studyConfigSchema.safeParse(draft);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'setup'}: ${i.message}`);
  throw precondition(`The setup has errors; fix them in Setup first (${problems.join('; ')}).`);
}

async function lockStudy(tx: Tx, studyId: string) {
  const [study] = await tx.select().from(schema.studies).where(eq(schema.studies.id, studyId)).for('update');
  if (!study) throw notFound('The study');
  return study;
}

/** Saves the draft. Participants keep the published version until "publish new version". */
export async function updateStudyDraft(ctx: ServiceContext, input: z.infer<typeof updateDraftInput>): Promise<StudyDetail> {
  requireRole(ctx.actor, 'researcher');
  const config = studyConfigSchema.parse(input.config);
  await assertConfigRunnable(ctx.db, config);
  await ctx.db.transaction(async (tx) => {
    const study = await lockStudy(tx, input.studyId);
    if (study.status === 'closed') throw precondition('This study is closed; its setup can no longer change.');
    await tx
      .update(schema.studies)
      .set({ draftConfig: config, ...(input.name ? { name: input.name } : {}) })
      .where(eq(schema.studies.id, study.id));
  });
  return getStudy(ctx, input.studyId);
}

async function freezeVersion(tx: Tx, studyId: string, config: StudyConfig, actorId: string, note: string | null) {
  const [last] = await tx
    .select({ version: schema.studyVersions.version })
    .from(schema.studyVersions)
    .where(and(eq(schema.studyVersions.studyId, studyId), publishedVersionsOnly))
    .orderBy(desc(schema.studyVersions.version))
    .limit(1);
  const [version] = await tx
    .insert(schema.studyVersions)
    .values({ studyId, version: (last?.version ?? 0) + 1, config, note, createdById: actorId })
    .returning();
  return version!;
}

/** Freezes the draft as version 1 and starts recruitment. */
export async function launchStudy(ctx: ServiceContext, input: z.infer<typeof launchInput>): Promise<StudyDetail> {
  const actor = requireRole(ctx.actor, 'researcher');
  await ctx.db.transaction(async (tx) => {
    const study = await lockStudy(tx, input.studyId);
    if (study.status !== 'draft' || study.currentVersionId)
      throw precondition('This study has already been launched. Publish a new version to change it.');
    const config = parseDraft(study.draftConfig);
    await assertConfigRunnable(tx, config);
    const version = await freezeVersion(tx, study.id, config, actor.id, input.note || null);
    await tx
      .update(schema.studies)
      .set({ status: 'running', currentVersionId: version.id })
      .where(eq(schema.studies.id, study.id));
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: 'study.launched',
      targetType: 'study',
      targetId: study.id,
      details: { version: version.version, versionId: version.id },
    });
  });
  return getStudy(ctx, input.studyId);
}

/** Freezes the current draft as the next version; new participants get it, earlier ones keep theirs. */
export async function publishStudyVersion(ctx: ServiceContext, input: z.infer<typeof publishVersionInput>): Promise<StudyDetail> {
  const actor = requireRole(ctx.actor, 'researcher');
  await ctx.db.transaction(async (tx) => {
    const study = await lockStudy(tx, input.studyId);
    if (!study.currentVersionId) throw precondition('Launch the study first; launching publishes version 1.');
    if (study.status === 'closed') throw precondition('This study is closed; it cannot get a new version.');
    const [current] = await tx
      .select({ config: schema.studyVersions.config })
      .from(schema.studyVersions)
      .where(eq(schema.studyVersions.id, study.currentVersionId));
    const config = parseDraft(study.draftConfig);
    if (current && configsEqual(config, current.config))
      throw precondition('The draft is the same as the published version; there is nothing to publish.');
    await assertConfigRunnable(tx, config);
    const version = await freezeVersion(tx, study.id, config, actor.id, input.note);
    await tx.update(schema.studies).set({ currentVersionId: version.id }).where(eq(schema.studies.id, study.id));
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: 'study.version_published',
      targetType: 'study',
      targetId: study.id,
      details: { version: version.version, versionId: version.id, note: input.note },
    });
  });
  return getStudy(ctx, input.studyId);
}

const allowedTransitions: Record<StudyStatus, StudyStatus[]> = {
  draft: [],
  running: ['paused', 'closed'],
  paused: ['running', 'closed'],
  closed: [],
};

/** Pause or resume recruitment, or close the study for good. Launching is `launchStudy`. */
export async function setStudyStatus(ctx: ServiceContext, input: z.infer<typeof setStatusInput>): Promise<StudyDetail> {
  const actor = requireRole(ctx.actor, 'researcher');
  await ctx.db.transaction(async (tx) => {
    const study = await lockStudy(tx, input.studyId);
    if (study.status === input.status) return;
    if (!allowedTransitions[study.status].includes(input.status)) {
      const why =
        study.status === 'draft'
          ? 'Launch the study first.'
          : study.status === 'closed'
            ? 'A closed study cannot be reopened.'
            : `A ${study.status} study cannot become ${input.status}.`;
      throw precondition(why);
    }
    await tx.update(schema.studies).set({ status: input.status }).where(eq(schema.studies.id, study.id));
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: 'study.status_changed',
      targetType: 'study',
      targetId: study.id,
      details: { from: study.status, to: input.status },
    });
  });
  return getStudy(ctx, input.studyId);
}

/** Connections offered in the arm editor: ids and names only, nothing secret. */
export async function listConnectionChoices(ctx: ServiceContext): Promise<{ id: string; name: string; defaultModel: string }[]> {
  requireRole(ctx.actor, 'viewer');
  return ctx.db
    .select({ id: schema.llmConnections.id, name: schema.llmConnections.name, defaultModel: schema.llmConnections.defaultModel })
    .from(schema.llmConnections)
    .orderBy(schema.llmConnections.name);
}
