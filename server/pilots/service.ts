/**
 * Simulated pilots of a study: start (from the setup page), cancel, list, and the pilot page's read.
 * A pilot, its participants' jobs and its audit row are written in one transaction, so a pilot never exists
 * without its work queued; resuming after a restart is the queue's job (server/pilots/jobs.ts).
 */
import { and, desc, eq } from 'drizzle-orm';
import { ZodError, z } from 'zod';
import type { Database } from '../../db';
import { schema } from '../../db';
import { requireRole } from '../auth/roles';
import { enqueueJobs, setGroupConcurrency } from '../jobs/queue';
import { nudgeJobs } from '../jobs/runtime';
import { recordAudit } from '../services/audit';
import type { ServiceContext } from '../services/context';
import { badRequest, notFound, precondition } from '../services/errors';
import { draftPreviewVersionId } from '../studies/draft-preview';
import { loadVersionConfig } from '../participants/session';
import { pilotSettingsSchema, parsePilotConfig, type PilotConfig } from './config';
import { PARTICIPANT_MAX_ATTEMPTS, PILOT_PARTICIPANT_JOB, pilotParticipantPayload } from './jobs';
import { endPilotEarly, pilotGroupKey, pilotJobKey } from './lifecycle';

const { studyPilots, studies, llmConnections } = schema;

export const startPilotInput = z.object({ studyId: z.uuid(), settings: pilotSettingsSchema });
export type StartPilotInput = z.input<typeof startPilotInput>;

function describeIssues(error: ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
}

/**
 * Starts a pilot on the study's configuration: the draft (snapshotted like a draft preview) while the study is a
 * draft, otherwise the current published version. Researchers and admins (a pilot spends model calls).
 */
export async function startPilot(ctx: ServiceContext, input: StartPilotInput): Promise<{ pilotId: string; participants: number }> {
  requireRole(ctx.actor, 'researcher');
  const parsed = startPilotInput.safeParse(input);
  if (!parsed.success) throw badRequest(describeIssues(parsed.error));
  const { studyId, settings } = parsed.data;
  const [study] = await ctx.db.select().from(studies).where(eq(studies.id, studyId));
  if (!study) throw notFound('The study');
  if (study.status === 'closed') throw precondition('This study is closed; pilots are for studies that are still being prepared or running.');
  if (settings.simulator.connectionId) {
    const [connection] = await ctx.db.select({ id: llmConnections.id }).from(llmConnections).where(eq(llmConnections.id, settings.simulator.connectionId));
    if (!connection) throw badRequest('The simulator connection does not exist (any more). Choose another one.');
  }

  const source: PilotConfig['source'] = study.status === 'draft' || !study.currentVersionId ? 'draft' : 'version';
  let studyVersionId: string;
  if (source === 'draft') {
    try {
      studyVersionId = await draftPreviewVersionId(ctx.db, studyId, ctx.actor!.id);
    } catch (error) {
      if (error instanceof ZodError) throw badRequest(`The draft has problems; fix them on the Setup tab first (${describeIssues(error)}).`);
      throw error;
    }
  } else studyVersionId = study.currentVersionId!;
  const [version] = await ctx.db
    .select({ version: schema.studyVersions.version })
    .from(schema.studyVersions)
    .where(eq(schema.studyVersions.id, studyVersionId));
  const studyConfig = await loadVersionConfig(ctx.db, studyVersionId);
  const arms = studyConfig.arms.map((a) => ({ key: a.key, label: a.label }));
  const config: PilotConfig = {
    ...settings,
    source,
    studyVersionId,
    versionNumber: version?.version ?? 0,
    arms,
    participants: settings.participantsPerArm * arms.length,
  };

  const pilotId = await ctx.db.transaction(async (tx) => {
    const [pilot] = await tx
      .insert(studyPilots)
      .values({ studyId, config: config as unknown as Record<string, unknown>, createdById: ctx.actor?.id ?? null })
      .returning({ id: studyPilots.id });
    if (!pilot) throw new Error('pilot insert returned nothing');
    const group = pilotGroupKey(pilot.id);
    await setGroupConcurrency(tx, group, settings.concurrency);
    await enqueueJobs(
      tx,
      Array.from({ length: config.participants }, (_, index) => ({
        kind: PILOT_PARTICIPANT_JOB,
        payload: pilotParticipantPayload.parse({ pilotId: pilot.id, index }),
        key: pilotJobKey(pilot.id, index),
        groupKey: group,
        maxAttempts: PARTICIPANT_MAX_ATTEMPTS,
      })),
    );
    await recordAudit(tx, {
      actorUserId: ctx.actor?.id ?? null,
      action: 'study.pilot_started',
      targetType: 'study',
      targetId: studyId,
      details: { pilotId: pilot.id, source, version: config.versionNumber, participantsPerArm: settings.participantsPerArm, seed: settings.seed },
    });
    return pilot.id;
  });
  nudgeJobs();
  return { pilotId, participants: config.participants };
}

export async function cancelPilot(ctx: ServiceContext, input: { studyId: string; pilotId: string }): Promise<void> {
  requireRole(ctx.actor, 'researcher');
  await requirePilot(ctx.db, input);
  const ended = await ctx.db.transaction(async (tx) => {
    const done = await endPilotEarly(tx, input.pilotId, { status: 'cancelled', error: null });
    if (done)
      await recordAudit(tx, { actorUserId: ctx.actor?.id ?? null, action: 'study.pilot_cancelled', targetType: 'study', targetId: input.studyId, details: { pilotId: input.pilotId } });
    return done;
  });
  if (ended) return;
  const pilot = await requirePilot(ctx.db, input);
  throw precondition(`This pilot has already ${pilot.status === 'completed' ? 'completed' : `ended (${pilot.status})`}.`);
}

export async function requirePilot(db: Database, input: { studyId: string; pilotId: string }) {
  const [pilot] = await db
    .select()
    .from(studyPilots)
    .where(and(eq(studyPilots.id, input.pilotId), eq(studyPilots.studyId, input.studyId)));
  if (!pilot) throw notFound('The pilot');
  return pilot;
}

export interface PilotSummary {
  id: string;
  status: string;
  source: PilotConfig['source'];
  versionNumber: number;
  participants: number;
  participantsPerArm: number;
  simulator: string;
  seed: string;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

export function summarizePilot(row: typeof studyPilots.$inferSelect): PilotSummary {
  const config = parsePilotConfig(row.config);
  return {
    id: row.id,
    status: row.status,
    source: config.source,
    versionNumber: config.versionNumber,
    participants: config.participants,
    participantsPerArm: config.participantsPerArm,
    simulator: config.simulator.connectionId === null ? 'Offline scripted participant' : config.simulator.model,
    seed: config.seed,
    error: row.error,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
  };
}

export async function listPilots(ctx: ServiceContext, input: { studyId: string }): Promise<PilotSummary[]> {
  requireRole(ctx.actor, 'viewer');
  const rows = await ctx.db.select().from(studyPilots).where(eq(studyPilots.studyId, input.studyId)).orderBy(desc(studyPilots.createdAt)).limit(100);
  return rows.map(summarizePilot);
}
