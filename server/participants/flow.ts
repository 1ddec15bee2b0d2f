/**
 * The participant's steps outside the chat: consent (and assignment), instructions, the pre-chat setup
 * (document type, topic, topic questions), leaving the chat, and the final survey.
 * Each step locks the participant row, so double clicks and two tabs cannot run a step twice.
 */
import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database, DbExecutor, Tx } from '../../db';
import { schema } from '../../db';
import { isFixedChoiceQuestion, stratificationOf, type ArmConfig, type StudyConfig } from '../studies/config';
import { sha256 } from '../lib/secret';
import { ServiceError } from '../services/errors';
import { assignArm, stratumFor } from './assignment';
import type { ParticipantRow } from './identity';
import { assertSessionOpen, assertStage, enforceTimeLimit, finishWithOutcome, isPastStage, loadVersionConfig, moveToStage, sessionEndedError } from './session';
import { chatProgress } from './conversation';
import { latestDraft } from './drafts';

async function lockParticipant(tx: Tx, participantId: string): Promise<ParticipantRow> {
  const [row] = await tx.select().from(schema.participants).where(eq(schema.participants.id, participantId)).for('update');
  if (!row) throw new ServiceError('NOT_FOUND', 'Your session was not found.');
  return row;
}

/** A uniform draw in [0, 1) from a seed string, reproducible from what is stored. */
export function seededUnit(seed: string): number {
  const digest = crypto.createHash('sha256').update(seed).digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}

export function drawDocumentType(config: StudyConfig, assignmentSeed: string, participantId: string): string {
  const index = Math.floor(seededUnit(`${assignmentSeed}:document-type:${participantId}`) * config.documentTypes.length);
  return config.documentTypes[Math.min(index, config.documentTypes.length - 1)]!.key;
}

/** What generated the assistant side, kept with the conversation for the record (never sent to the browser). */
export function assistantSnapshot(arm: ArmConfig): Record<string, unknown> {
  return {
    armKey: arm.key,
    connectionId: arm.connectionId,
    model: arm.model,
    systemPromptSha256: sha256(arm.systemPrompt),
    temperature: arm.temperature,
    topP: arm.topP,
    maxTokens: arm.maxTokens,
    isDemo: arm.connectionId === null,
    mode: arm.mode ?? 'system_prompt',
    ...(arm.mode === 'template' && arm.template && { templateSha256: sha256(arm.template.text), responseField: arm.template.responseField }),
  };
}

export async function recordConsent(
  db: Database,
  participant: ParticipantRow,
  input: { accept: boolean; consentVersion: string; now?: Date },
): Promise<void> {
  const now = input.now ?? new Date();
  const config = await loadVersionConfig(db, participant.studyVersionId);
  // Declining twice (a double click) is the same answer; anything else after the end is refused.
  const repeatsDecline = (p: ParticipantRow) => p.outcome === 'no_consent' && !input.accept;
  if ((await enforceTimeLimit(db, participant, config, now)) && !repeatsDecline(participant)) throw sessionEndedError(participant.outcome);
  await db.transaction(async (tx) => {
    const current = await lockParticipant(tx, participant.id);
    if (current.outcome) {
      if (repeatsDecline(current)) return;
      throw sessionEndedError(current.outcome);
    }
    if (current.consentedAt) {
      if (input.accept) return; // already agreed: a resend is a no-op
      throw new ServiceError('CONFLICT', 'You have already agreed to take part. If you want to stop, you can close this page.');
    }
    assertStage(current, 'consent');
    if (!input.accept) {
      await finishWithOutcome(tx, current, config, 'no_consent', now);
      return;
    }
    if (input.consentVersion !== config.consent.version)
      throw new ServiceError('CONFLICT', 'The consent text has changed. Please reload the page and read it again.');

    const seed = await assignmentSeed(tx, current.studyId);
    // The document type is drawn first so that it is known (and stored) when it is the stratum.
    const documentType = drawDocumentType(config, seed, current.id);
    await moveToStage(tx, current.id, 'instructions', now, {
      consentVersion: config.consent.version,
      consentedAt: now,
      documentType,
    });
    // Stratified by a topic answer: the arm is assigned when the setup answers are stored (submitSetup).
    if (stratificationOf(config).by === 'topicQuestion') return;
    await assignAndOpenConversation(tx, { ...current, documentType }, config, seed, now);
  });
}

async function assignmentSeed(tx: Tx, studyId: string): Promise<string> {
  const [study] = await tx
    .select({ assignmentSeed: schema.studies.assignmentSeed })
    .from(schema.studies)
    .where(eq(schema.studies.id, studyId));
  if (!study) throw new ServiceError('NOT_FOUND', 'This study no longer exists.');
  return study.assignmentSeed;
}

/**
 * Assigns the arm (within the participant's stratum when stratified) and creates the conversation with the
 * arm's snapshot. The participant row must already hold the stratum's attribute.
 */
async function assignAndOpenConversation(tx: Tx, participant: ParticipantRow, config: StudyConfig, seed: string, now: Date) {
  // Previews get an arm too, but assignArm keeps them out of the study's sequence and balance.
  const { armKey } = await assignArm(tx, {
    studyId: participant.studyId,
    studyVersionId: participant.studyVersionId,
    participantId: participant.id,
    arms: config.arms.map((a) => ({ key: a.key, weight: a.weight })),
    seed,
    inactiveAfterMinutes: config.inactiveAfterMinutes,
    stratum: stratumFor(config, participant),
    now,
  });
  const arm = config.arms.find((a) => a.key === armKey);
  if (!arm) throw new Error(`assigned arm ${armKey} is not in the study version`);
  await tx
    .insert(schema.conversations)
    .values({ kind: 'participant', participantId: participant.id, armKey, assistantConfig: assistantSnapshot(arm) })
    .onConflictDoNothing();
}

export async function finishInstructions(db: Database, participant: ParticipantRow, now = new Date()): Promise<void> {
  const config = await loadVersionConfig(db, participant.studyVersionId);
  await assertSessionOpen(db, participant, config, now);
  await db.transaction(async (tx) => {
    const current = await lockParticipant(tx, participant.id);
    if (isPastStage(current, 'instructions')) return;
    await moveToStage(tx, current.id, 'setup', now);
  });
}

export async function submitSetup(
  db: Database,
  participant: ParticipantRow,
  input: { topicId: string; answers: Record<string, string>; now?: Date },
): Promise<void> {
  const now = input.now ?? new Date();
  const config = await loadVersionConfig(db, participant.studyVersionId);
  await assertSessionOpen(db, participant, config, now);
  if (!config.topics.some((t) => t.id === input.topicId)) throw new ServiceError('BAD_REQUEST', 'Please choose one of the listed topics.');
  const answers: Record<string, string> = {};
  for (const question of config.topicQuestions) {
    const answer = input.answers[question.id]?.trim() ?? '';
    if (!answer) throw new ServiceError('BAD_REQUEST', `Please answer: ${question.prompt}`);
    if (isFixedChoiceQuestion(question) && !question.options!.includes(answer))
      throw new ServiceError('BAD_REQUEST', `Please choose one of the listed answers to: ${question.prompt}`);
    answers[question.id] = answer;
  }
  await db.transaction(async (tx) => {
    const current = await lockParticipant(tx, participant.id);
    if (isPastStage(current, 'setup')) return;
    await moveToStage(tx, current.id, 'chat', now, { topicId: input.topicId, topicAnswers: answers });
    // Stratified by a topic answer: assign now, after the answer is stored, in the same transaction.
    if (!current.armKey)
      await assignAndOpenConversation(tx, { ...current, topicAnswers: answers }, config, await assignmentSeed(tx, current.studyId), now);
  });
}

export async function finishChat(db: Database, participant: ParticipantRow, now = new Date()): Promise<void> {
  const config = await loadVersionConfig(db, participant.studyVersionId);
  await assertSessionOpen(db, participant, config, now);
  await db.transaction(async (tx) => {
    const current = await lockParticipant(tx, participant.id);
    if (isPastStage(current, 'chat')) return;
    const progress = await chatProgress(tx, current.id, config);
    if (progress.generating) throw new ServiceError('CONFLICT', 'Please wait until the assistant has finished replying.');
    if (progress.pendingRatingAfterTurn !== null)
      throw new ServiceError('PRECONDITION_FAILED', 'Please rate your experience so far before finishing.');
    if (progress.turnsCompleted < config.minTurns)
      throw new ServiceError(
        'PRECONDITION_FAILED',
        `Please keep chatting: you can finish after ${config.minTurns} turns (you have ${progress.turnsCompleted}).`,
      );
    await moveToStage(tx, current.id, 'survey', now);
  });
}

export interface SurveyInput {
  documentQuality: number;
  overallInteraction: number;
  strengths: string;
  weaknesses: string;
  blindingGuess: string;
  attentionAnswers: Record<string, string>;
  now?: Date;
}

/** Prolific's rule: with two or more checks, exclude only when at least two fail. */
export function failsAttentionChecks(failures: number, checkCount: number): boolean {
  if (checkCount === 0) return false;
  return failures >= Math.min(2, checkCount);
}

export async function submitSurvey(db: Database, participant: ParticipantRow, input: SurveyInput): Promise<void> {
  const now = input.now ?? new Date();
  const config = await loadVersionConfig(db, participant.studyVersionId);
  if (await enforceTimeLimit(db, participant, config, now)) {
    if (await surveyStored(db, participant.id)) return; // the same survey sent twice
    throw sessionEndedError(participant.outcome);
  }
  const strengths = input.strengths.trim();
  const weaknesses = input.weaknesses.trim();
  if (strengths.length < config.minFreeTextChars || weaknesses.length < config.minFreeTextChars)
    throw new ServiceError('BAD_REQUEST', `Please write at least ${config.minFreeTextChars} characters about strengths and about weaknesses.`);
  if (!config.blindingOptions.includes(input.blindingGuess))
    throw new ServiceError('BAD_REQUEST', 'Please choose which kind of assistant you think you talked to.');
  let failures = 0;
  const attentionAnswers: Record<string, string> = {};
  for (const check of config.attentionChecks) {
    const answer = input.attentionAnswers[check.id];
    if (answer === undefined || !check.options.includes(answer))
      throw new ServiceError('BAD_REQUEST', 'Please answer every question.');
    attentionAnswers[check.id] = answer;
    if (answer !== check.correctOption) failures += 1;
  }
  const failed = failsAttentionChecks(failures, config.attentionChecks.length);

  await db.transaction(async (tx) => {
    const current = await lockParticipant(tx, participant.id);
    if (current.outcome && (await surveyStored(tx, current.id))) return; // the same survey sent twice
    if (current.outcome) throw sessionEndedError(current.outcome);
    if (current.stage !== 'survey')
      throw new ServiceError('CONFLICT', 'The questionnaire comes after the chat. Please reload the page to continue.');
    const latest = await latestDraft(tx, current.id);
    await tx
      .insert(schema.surveyResponses)
      .values({
        participantId: current.id,
        documentQuality: input.documentQuality,
        overallInteraction: input.overallInteraction,
        strengths,
        weaknesses,
        blindingGuess: input.blindingGuess,
        attentionAnswers,
        finalDocument: latest,
        createdAt: now,
      })
      .onConflictDoNothing();
    await finishWithOutcome(tx, current, config, failed ? 'failed_checks' : 'completed', now, {
      attentionFailures: failures,
      ...(failed ? { excluded: true, exclusionReason: `failed ${failures} of ${config.attentionChecks.length} attention checks` } : {}),
    });
  });
}

async function surveyStored(db: DbExecutor, participantId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: schema.surveyResponses.participantId })
    .from(schema.surveyResponses)
    .where(eq(schema.surveyResponses.participantId, participantId));
  return Boolean(row);
}
