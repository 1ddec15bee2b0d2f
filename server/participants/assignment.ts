/**
 * Assigns a participant to an arm inside the caller's transaction: counts the live participants of
 * the current arms (within the participant's stratum when the study is stratified), takes the next per-study sequence number, asks the pure algorithm
 * (server/randomization) for the arm, and records the draw so it can be replayed.
 *
 * Concurrency: the study row is locked `FOR NO KEY UPDATE` for the rest of the caller's transaction,
 * so assignments of one study run one at a time and each sees every earlier one (a fresh read
 * committed snapshot per statement). That lock mode does not conflict with the `FOR KEY SHARE`
 * locks that foreign-key checks take, so participants can still be inserted concurrently and two
 * entering participants cannot deadlock. It works the same on Postgres and PGlite (query builder
 * only). Callers: keep the transaction short after calling this (no LLM calls while holding it),
 * and use the default READ COMMITTED isolation.
 */
import { and, count, eq, gte, inArray, isNull, max, or, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db';
import { assignments, participants, studies } from '../../db/schema';
import {
  type ArmWeight,
  type AssignmentDecision,
  RandomizationInputError,
  type Stratum,
  decideAssignment,
  decideStratifiedAssignment,
  decidePreviewAssignment,
  validateArms,
} from '../randomization';
import { ServiceError, notFound, precondition } from '../services/errors';
import { stratificationOf, type StudyConfig } from '../studies/config';

export interface AssignArmInput {
  studyId: string;
  /** The study version the participant entered; recorded with the draw. */
  studyVersionId: string;
  participantId: string;
  /** The current arm set (from the study version's config), in configured order. */
  arms: readonly ArmWeight[];
  /** The study's assignment seed (`studies.assignment_seed`). */
  seed: string;
  /** In-progress participants not seen for this long stop counting toward balance. */
  inactiveAfterMinutes: number;
  /**
   * Set for stratified studies: the participant's stratum (see `stratumFor`), which must already be stored
   * on the participant row (document type or topic answer) so later entrants count this participant in it.
   */
  stratum?: Stratum | null;
  now?: Date;
}

export interface ArmAssignment {
  armKey: string;
  draw: number;
  /** 1, 2, 3… per study for real participants, without gaps; 0 for preview sessions. */
  sequence: number;
  algorithmVersion: string;
}

export const DOCUMENT_TYPE_FACTOR = 'document_type';
const TOPIC_QUESTION_PREFIX = 'topic_question:';

export function topicQuestionFactor(questionId: string): string {
  return `${TOPIC_QUESTION_PREFIX}${questionId}`;
}

/**
 * Which participants belong to a stratum, read from the participant's own stored attributes (not from the
 * stratum recorded with earlier draws), so participants assigned before stratification was switched on in a
 * later version still count in the stratum they belong to.
 */
export function stratumCondition(stratum: Stratum): SQL {
  if (stratum.factor === DOCUMENT_TYPE_FACTOR) return eq(participants.documentType, stratum.value);
  if (stratum.factor.startsWith(TOPIC_QUESTION_PREFIX)) {
    const questionId = stratum.factor.slice(TOPIC_QUESTION_PREFIX.length);
    return sql`(${participants.topicAnswers} ->> ${questionId}) = ${stratum.value}`;
  }
  throw new RandomizationInputError(`Unknown stratification factor "${stratum.factor}".`);
}

/**
 * The participant's stratum under the version's stratification, or null when the study is not stratified.
 * Throws if the attribute it needs is not known yet (the flow assigns only once it is).
 */
export function stratumFor(
  config: Pick<StudyConfig, 'stratification'>,
  participant: { documentType: string | null; topicAnswers: Record<string, string> | null },
): Stratum | null {
  const by = stratificationOf(config);
  if (by.by === 'none') return null;
  if (by.by === 'documentType') {
    if (!participant.documentType) throw new Error('stratumFor: the document type is drawn before the arm');
    return { factor: DOCUMENT_TYPE_FACTOR, value: participant.documentType };
  }
  const answer = participant.topicAnswers?.[by.questionId];
  if (answer === undefined) throw new Error('stratumFor: the stratifying answer is stored before the arm');
  return { factor: topicQuestionFactor(by.questionId), value: answer };
}

/** Preview sessions (and simulated pilot participants) get an arm but no place in the study's sequence. */
export const PREVIEW_SEQUENCE = 0;
/** Recorded for simulated pilot participants: the pilot allocated the arm (balanced per arm), nothing was drawn. */
export const PILOT_ALLOCATION_VERSION = 'pilot-allocation/v1';

/**
 * Live participants per current arm: not a preview, not excluded, and either completed or
 * still in progress (no outcome) and seen since the cutoff. Keyed by the current arm keys, so
 * participants of arms that were removed from the study no longer count.
 */
export async function countLiveParticipants(
  tx: Tx,
  input: { studyId: string; armKeys: readonly string[]; activeSince: Date; stratum?: Stratum | null },
): Promise<Record<string, number>> {
  if (input.armKeys.length === 0) return {};
  const rows = await tx
    .select({ armKey: participants.armKey, n: count() })
    .from(participants)
    .where(
      and(
        eq(participants.studyId, input.studyId),
        eq(participants.isPreview, false),
        // Simulated pilot participants never take a place in the real participants' randomization.
        isNull(participants.pilotId),
        eq(participants.excluded, false),
        inArray(participants.armKey, [...input.armKeys]),
        input.stratum ? stratumCondition(input.stratum) : undefined,
        or(
          eq(participants.outcome, 'completed'),
          and(isNull(participants.outcome), gte(participants.lastSeenAt, input.activeSince)),
        ),
      ),
    )
    .groupBy(participants.armKey);
  const counts: Record<string, number> = {};
  for (const row of rows) if (row.armKey) counts[row.armKey] = Number(row.n);
  return counts;
}

async function existingAssignment(tx: Tx, participantId: string): Promise<ArmAssignment | undefined> {
  const [row] = await tx
    .select({
      armKey: assignments.armKey,
      draw: assignments.draw,
      sequence: assignments.sequence,
      algorithmVersion: assignments.algorithmVersion,
    })
    .from(assignments)
    .where(eq(assignments.participantId, participantId))
    .limit(1);
  return row;
}

export async function assignArm(tx: Tx, input: AssignArmInput): Promise<ArmAssignment> {
  try {
    validateArms(input.arms);
  } catch (err) {
    if (err instanceof RandomizationInputError) throw precondition(`The study's arms cannot be assigned: ${err.message}`);
    throw err;
  }
  if (!(Number.isFinite(input.inactiveAfterMinutes) && input.inactiveAfterMinutes > 0))
    throw precondition('The inactivity timeout for assignment must be a positive number of minutes.');
  if (input.stratum) {
    try {
      stratumCondition(input.stratum);
    } catch (err) {
      if (err instanceof RandomizationInputError) throw precondition(`The study's strata cannot be assigned: ${err.message}`);
      throw err;
    }
  }

  const earlier = await existingAssignment(tx, input.participantId);
  if (earlier) return earlier;

  const [study] = await tx
    .select({ id: studies.id })
    .from(studies)
    .where(eq(studies.id, input.studyId))
    .for('no key update');
  if (!study) throw notFound('Study');

  // Checked again under the lock: a concurrent call for the same participant may have just committed.
  const raced = await existingAssignment(tx, input.participantId);
  if (raced) return raced;

  const [participant] = await tx
    .select({
      studyId: participants.studyId,
      isPreview: participants.isPreview,
      pilotId: participants.pilotId,
      previewArmKey: participants.previewArmKey,
    })
    .from(participants)
    .where(eq(participants.id, input.participantId))
    .limit(1);
  if (!participant || participant.studyId !== input.studyId) throw notFound('Participant');

  const now = input.now ?? new Date();
  let decision: AssignmentDecision;
  let sequence: number;
  let stratum: Stratum | null = null;
  if (participant.pilotId) {
    // A simulated pilot participant (server/pilots): its pilot allocated the arm (balanced per arm, stored in
    // previewArmKey when the participant was created). No draw, no place in the study's sequence or balance.
    const armKey = participant.previewArmKey;
    if (!armKey || !input.arms.some((a) => a.key === armKey)) throw precondition('The pilot participant has no arm of this study version.');
    sequence = PREVIEW_SEQUENCE;
    decision = { armKey, draw: 0, countsSeen: {}, algorithmVersion: PILOT_ALLOCATION_VERSION };
  } else if (participant.isPreview) {
    sequence = PREVIEW_SEQUENCE;
    decision = decidePreviewAssignment({ arms: input.arms, seed: input.seed, participantId: input.participantId });
    // The researcher chose the arm to preview: record it as the assignment (previews never enter balance).
    if (participant.previewArmKey && input.arms.some((a) => a.key === participant.previewArmKey))
      decision = { ...decision, armKey: participant.previewArmKey };
  } else {
    const counts = await countLiveParticipants(tx, {
      studyId: input.studyId,
      armKeys: input.arms.map((a) => a.key),
      activeSince: new Date(now.getTime() - input.inactiveAfterMinutes * 60_000),
      stratum: input.stratum,
    });
    const [last] = await tx
      .select({ sequence: max(assignments.sequence) })
      .from(assignments)
      .where(eq(assignments.studyId, input.studyId));
    // One sequence per study across strata: gap-free, and it keeps the draws of different strata distinct.
    sequence = (last?.sequence ?? 0) + 1;
    if (input.stratum) {
      stratum = input.stratum;
      decision = decideStratifiedAssignment({ arms: input.arms, seed: input.seed, sequence, stratum, counts });
    } else {
      decision = decideAssignment({ arms: input.arms, seed: input.seed, sequence, counts });
    }
  }

  await tx.insert(assignments).values({
    participantId: input.participantId,
    studyId: input.studyId,
    studyVersionId: input.studyVersionId,
    armKey: decision.armKey,
    algorithmVersion: decision.algorithmVersion,
    seed: input.seed,
    draw: decision.draw,
    countsSeen: decision.countsSeen,
    sequence,
    stratumFactor: stratum?.factor ?? null,
    stratum: stratum?.value ?? null,
    createdAt: now,
  });
  const updated = await tx
    .update(participants)
    .set({ armKey: decision.armKey })
    .where(eq(participants.id, input.participantId))
    .returning({ id: participants.id });
  if (updated.length !== 1) throw new ServiceError('CONFLICT', 'The participant disappeared while being assigned.');

  return { armKey: decision.armKey, draw: decision.draw, sequence, algorithmVersion: decision.algorithmVersion };
}
