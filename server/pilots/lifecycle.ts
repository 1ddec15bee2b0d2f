/**
 * Pilot status: queued → running → completed | failed | cancelled. Every transition is a conditional update
 * from the statuses it may leave, so workers racing on the same pilot cannot undo each other.
 *
 * A pilot is done when each of its planned participants has an outcome or has failed for good (the failure is
 * recorded on the participant row, `external_params.failure`, so it outlives the pruned job rows).
 */
import { and, eq, inArray, isNotNull, or, sql, count } from 'drizzle-orm';
import type { Database, DbExecutor } from '../../db';
import { schema } from '../../db';
import { cancelGroup } from '../jobs/queue';
import { logger } from '../lib/logger';
import { startStudyJudgeRun } from '../study-judging/service';
import { parsePilotConfig } from './config';

const { studyPilots, participants } = schema;

export const pilotGroupKey = (pilotId: string) => `study-pilot:${pilotId}`;
export const pilotJobKey = (pilotId: string, index: number) => `pilot-participant:${pilotId}:${index}`;

const LIVE = ['queued', 'running'] as const;

/** Marks a queued pilot running; true while the pilot is live (its participants should run). */
export async function startPilotIfLive(db: DbExecutor, pilotId: string): Promise<boolean> {
  await db
    .update(studyPilots)
    .set({ status: 'running', startedAt: new Date() })
    .where(and(eq(studyPilots.id, pilotId), eq(studyPilots.status, 'queued')));
  const [pilot] = await db.select({ status: studyPilots.status }).from(studyPilots).where(eq(studyPilots.id, pilotId));
  return pilot?.status === 'running';
}

/** A participant's failure marker (its job gave up): set once, the first reason kept. */
export async function recordParticipantFailure(db: DbExecutor, pilotId: string, index: number, error: string): Promise<void> {
  await db
    .update(participants)
    .set({ externalParams: sql`${participants.externalParams} || jsonb_build_object('failure', ${error.slice(0, 500)}::text)` })
    .where(
      and(
        eq(participants.pilotId, pilotId),
        sql`${participants.externalParams} ->> 'index' = ${String(index)}`,
        sql`not (${participants.externalParams} ? 'failure')`,
      ),
    );
}

/**
 * Ends the pilot once every planned participant finished or failed: `completed` when at least one reached an
 * outcome, else `failed`. Returns the new status (to the one caller that made the transition), or null.
 */
export async function finalizePilotIfDone(db: DbExecutor, pilotId: string): Promise<'completed' | 'failed' | null> {
  const [pilot] = await db.select().from(studyPilots).where(eq(studyPilots.id, pilotId));
  if (!pilot || !(LIVE as readonly string[]).includes(pilot.status)) return null;
  const config = parsePilotConfig(pilot.config);
  const [row] = await db
    .select({
      ended: count(),
      finished: sql<number>`count(*) filter (where ${participants.outcome} is not null)`.mapWith(Number),
      lastFailure: sql<string | null>`max(${participants.externalParams} ->> 'failure')`,
    })
    .from(participants)
    .where(and(eq(participants.pilotId, pilotId), or(isNotNull(participants.outcome), sql`${participants.externalParams} ? 'failure'`)));
  if ((row?.ended ?? 0) < config.participants) return null;
  const status = (row?.finished ?? 0) > 0 ? 'completed' : 'failed';
  const updated = await db
    .update(studyPilots)
    .set({ status, finishedAt: new Date(), error: status === 'failed' ? `No simulated participant finished; last error: ${row?.lastFailure ?? 'unknown'}` : null })
    .where(and(eq(studyPilots.id, pilotId), inArray(studyPilots.status, [...LIVE])))
    .returning({ id: studyPilots.id });
  if (updated.length === 0) return null;
  if (status === 'completed') await onPilotCompleted(db, pilotId);
  return status;
}

/**
 * Ends a live pilot early (cancel, or an error every participant would hit): status and reason, and its queued
 * and running jobs cancelled (running ones abort at their next lease renewal). False if it had already ended.
 */
export async function endPilotEarly(db: DbExecutor, pilotId: string, end: { status: 'cancelled' | 'failed'; error: string | null }): Promise<boolean> {
  const updated = await db
    .update(studyPilots)
    .set({ status: end.status, error: end.error, finishedAt: new Date() })
    .where(and(eq(studyPilots.id, pilotId), inArray(studyPilots.status, [...LIVE])))
    .returning({ id: studyPilots.id });
  if (updated.length === 0) return false;
  await cancelGroup(db, pilotGroupKey(pilotId));
  return true;
}

/**
 * Called once, by whichever worker completes the pilot (after the status is `completed`): starts judging the
 * pilot's conversations with the pilot's judge, exactly as a human study's are judged (server/study-judging), so
 * the sample-size planner and the calibration of judges see the same scores for simulated and real participants.
 * `reuseExisting` makes a retried completion find the run it already started. A judge that cannot start (its
 * connection was deleted, say) does not undo the pilot: the reason is recorded on the pilot, and the Judging tab
 * can judge it later.
 */
export async function onPilotCompleted(db: DbExecutor, pilotId: string): Promise<void> {
  const [pilot] = await db.select().from(studyPilots).where(eq(studyPilots.id, pilotId));
  if (!pilot) return;
  const config = parsePilotConfig(pilot.config);
  logger.info('pilot completed', { pilotId });
  if (!config.judge) return;
  try {
    const { runId } = await startStudyJudgeRun(db as Database, {
      studyId: pilot.studyId,
      pilotId,
      judge: config.judge,
      createdById: pilot.createdById,
      reuseExisting: true,
    });
    logger.info('pilot judging started', { pilotId, runId });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    logger.warn('pilot judging could not start', { pilotId, error });
    await db.update(studyPilots).set({ error: `Judging could not start: ${reason}`.slice(0, 2000) }).where(eq(studyPilots.id, pilotId));
  }
}
