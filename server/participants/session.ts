/**
 * Building blocks of a participant session shared by the flow services: the study version's config,
 * stage changes (with server-timestamped stage_visits) and the terminal outcomes.
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { DbExecutor } from '../../db';
import { schema } from '../../db';
import { storedStudyConfigSchema, type StudyConfig } from '../studies/config';
import { ServiceError } from '../services/errors';
import type { ParticipantRow } from './identity';

export type Stage = (typeof schema.participantStage.enumValues)[number];
export type Outcome = (typeof schema.participantOutcome.enumValues)[number];

// Study versions are immutable, so a parsed config can be kept for the life of the process.
const configCache = new Map<string, StudyConfig>();

export async function loadVersionConfig(db: DbExecutor, studyVersionId: string): Promise<StudyConfig> {
  const cached = configCache.get(studyVersionId);
  if (cached) return cached;
  const [version] = await db
    .select({ config: schema.studyVersions.config })
    .from(schema.studyVersions)
    .where(eq(schema.studyVersions.id, studyVersionId));
  if (!version) throw new ServiceError('NOT_FOUND', 'This study version no longer exists.');
  const config = storedStudyConfigSchema.parse(version.config);
  if (configCache.size > 500) configCache.clear();
  configCache.set(studyVersionId, config);
  return config;
}

/** Closes the open stage visit and opens one for `stage`. */
export async function recordStageVisit(tx: DbExecutor, participantId: string, stage: Stage, now: Date): Promise<void> {
  await tx
    .update(schema.stageVisits)
    .set({ leftAt: now })
    .where(and(eq(schema.stageVisits.participantId, participantId), isNull(schema.stageVisits.leftAt)));
  await tx.insert(schema.stageVisits).values({ participantId, stage, enteredAt: now });
}

export async function moveToStage(
  tx: DbExecutor,
  participantId: string,
  stage: Stage,
  now: Date,
  extra: Partial<typeof schema.participants.$inferInsert> = {},
): Promise<void> {
  await tx
    .update(schema.participants)
    .set({ ...extra, stage, lastSeenAt: now })
    .where(eq(schema.participants.id, participantId));
  await recordStageVisit(tx, participantId, stage, now);
}

export function completionCodeFor(config: StudyConfig, outcome: Outcome): string {
  switch (outcome) {
    case 'completed':
      return config.completionCodes.completed;
    case 'no_consent':
      return config.completionCodes.noConsent;
    case 'failed_checks':
      return config.completionCodes.failedChecks;
    case 'timed_out':
      return config.completionCodes.timedOut;
  }
}

export async function finishWithOutcome(
  tx: DbExecutor,
  participant: Pick<ParticipantRow, 'id'>,
  config: StudyConfig,
  outcome: Outcome,
  now: Date,
  extra: Partial<typeof schema.participants.$inferInsert> = {},
): Promise<void> {
  await moveToStage(tx, participant.id, 'done', now, {
    ...extra,
    outcome,
    completionCode: completionCodeFor(config, outcome),
    finishedAt: now,
  });
}

export function sessionDeadline(participant: Pick<ParticipantRow, 'createdAt'>, config: StudyConfig): Date {
  return new Date(participant.createdAt.getTime() + config.timeLimitMinutes * 60_000);
}

/**
 * Sends a participant past the study's time limit to the timed-out ending.
 * Returns true when the participant is (now) finished, so callers stop what they were doing.
 */
export async function enforceTimeLimit(
  db: DbExecutor,
  participant: ParticipantRow,
  config: StudyConfig,
  now: Date,
): Promise<boolean> {
  if (participant.outcome) return true;
  if (now < sessionDeadline(participant, config)) return false;
  await db.transaction(async (tx) => {
    const [fresh] = await tx
      .select({ outcome: schema.participants.outcome })
      .from(schema.participants)
      .where(eq(schema.participants.id, participant.id))
      .for('update');
    if (fresh && !fresh.outcome) await finishWithOutcome(tx, participant, config, 'timed_out', now);
  });
  return true;
}

/** Why nothing more can happen in a finished session, in the participant's words: time up is not the same as done. */
export function sessionEndedError(outcome: Outcome | null): ServiceError {
  if (outcome === null || outcome === 'timed_out')
    return new ServiceError('PRECONDITION_FAILED', 'The time for this study is up. Please reload the page.');
  return new ServiceError(
    'CONFLICT',
    'You have already finished this study, so nothing more can be sent. Please reload the page to see your completion code.',
  );
}

/** Like enforceTimeLimit, but a finished session is an error: the caller's step would otherwise silently do nothing. */
export async function assertSessionOpen(db: DbExecutor, participant: ParticipantRow, config: StudyConfig, now: Date): Promise<void> {
  if (await enforceTimeLimit(db, participant, config, now)) throw sessionEndedError(participant.outcome);
}

const STAGE_ORDER: readonly Stage[] = schema.participantStage.enumValues;

/**
 * For a step that belongs to `expected`: true when the participant is already past it (a double click or a
 * second tab; the step was done, so the call may succeed without doing it again); throws when the participant has
 * not reached it yet (e.g. a survey sent during the chat), which would otherwise do nothing and say OK.
 */
export function isPastStage(participant: Pick<ParticipantRow, 'stage' | 'outcome'>, expected: Stage): boolean {
  if (participant.outcome) throw sessionEndedError(participant.outcome);
  const at = STAGE_ORDER.indexOf(participant.stage);
  const want = STAGE_ORDER.indexOf(expected);
  if (at < want) throw new ServiceError('CONFLICT', 'Please finish the earlier steps first. Reload the page to continue.');
  return at > want;
}

export function assertStage(participant: ParticipantRow, expected: Stage): void {
  if (participant.outcome) throw sessionEndedError(participant.outcome);
  if (participant.stage !== expected)
    throw new ServiceError('CONFLICT', 'This step is already done. Please reload the page to continue.');
}
