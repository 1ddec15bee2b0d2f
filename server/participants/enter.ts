/**
 * Arriving at /s/<slug>: what the page should show (describeEntry, read-only, used by the server
 * component) and creating or resuming the participant session (enterStudy, sets the cookie).
 * The same external id always resumes the same session, so nobody is assigned twice.
 */
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db';
import { schema } from '../../db';
import type { Actor } from '../auth/session';
import type { CookieJar } from '../api/trpc';
import { ServiceError } from '../services/errors';
import {
  findStudyBySlug,
  participantCookieName,
  setParticipantCookie,
  verifyParticipantCookie,
  type ParticipantRow,
  type StudyRow,
} from './identity';
import { parseRecruitment, type Recruitment, type RecruitmentQuery } from './recruitment';
import { loadVersionConfig, recordStageVisit } from './session';
import { studyUsesDemoModel } from './public-view';
import { canPreview } from '../studies/preview';
import { draftPreviewVersionId } from '../studies/draft-preview';
import { ENTER_LIMIT, hitRateLimit } from './rate-limit';

export type EntryView =
  | { kind: 'not_found' }
  | { kind: 'unavailable'; title: string; message: string }
  | { kind: 'mturk_preview'; title: string; instructions: string; usesDemoModel: boolean }
  | { kind: 'ready'; title: string; isPreview: boolean; usesDemoModel: boolean }
  | { kind: 'already_participating'; title: string; message: string };

/** Shown to someone who brings a recruitment id that already has a session elsewhere; says nothing about it. */
export const ALREADY_PARTICIPATING_MESSAGE =
  'You are already taking part in this study in another browser or on another device. Please continue there. ' +
  'If you cannot, contact the researcher through the recruitment platform.';

const STATUS_MESSAGES: Record<StudyRow['status'], string> = {
  draft: 'This study has not started yet. Please check back later or contact the researcher.',
  paused: 'This study is paused at the moment. Please try again later.',
  closed: 'This study has closed and is no longer accepting participants. Thank you for your interest.',
  running: '',
};

/**
 * What a participant's tab and page say before a version is published. Never the study's internal name (researchers
 * name studies after their hypothesis, "CollabLLM vs baseline"), which would unblind participants.
 */
export const NEUTRAL_STUDY_TITLE = 'Writing study';

/** The participant page's `<title>`: the published version's participant-facing title, or a neutral one. */
export async function participantPageTitle(db: Database, slug: string): Promise<string> {
  const study = await findStudyBySlug(db, slug);
  if (!study) return 'Study not found';
  if (!study.currentVersionId) return NEUTRAL_STUDY_TITLE;
  return (await loadVersionConfig(db, study.currentVersionId)).title;
}

/** Read-only: decides what /s/<slug> shows before any session exists. */
export async function describeEntry(
  db: Database,
  input: { slug: string; query: RecruitmentQuery; actor: Actor | null; cookieValue?: string | null },
): Promise<EntryView> {
  const study = await findStudyBySlug(db, input.slug);
  if (!study) return { kind: 'not_found' };
  const recruitment = parseRecruitment(input.query);
  if (recruitment.previewRequested && canPreview(input.actor)) {
    // A study that was never launched can only be previewed from its draft.
    const config = recruitment.preview.draft || !study.currentVersionId ? study.draftConfig : await loadVersionConfig(db, study.currentVersionId);
    if (recruitment.preview.armKey && !config.arms.some((a) => a.key === recruitment.preview.armKey))
      return { kind: 'unavailable', title: config.title, message: `This study has no arm "${recruitment.preview.armKey}" to preview.` };
    return { kind: 'ready', title: config.title, isPreview: true, usesDemoModel: studyUsesDemoModel(config) };
  }
  if (!study.currentVersionId) {
    return {
      kind: 'unavailable',
      title: NEUTRAL_STUDY_TITLE,
      message: recruitment.previewRequested ? 'Previews are only for signed-in researchers. Please sign in first.' : STATUS_MESSAGES.draft,
    };
  }
  const config = await loadVersionConfig(db, study.currentVersionId);
  const usesDemoModel = studyUsesDemoModel(config);
  if (recruitment.previewRequested)
    return { kind: 'unavailable', title: config.title, message: 'Previews are only for signed-in researchers. Please sign in first.' };
  if (recruitment.mturkPreview) {
    return { kind: 'mturk_preview', title: config.title, instructions: config.instructions, usesDemoModel };
  }
  const existing = await findExistingParticipant(db, study, recruitment, input.cookieValue ?? null);
  if (existing && !existing.isPreview && !mayResume(existing, recruitment, verifyParticipantCookie(study.id, input.cookieValue)))
    return { kind: 'already_participating', title: config.title, message: ALREADY_PARTICIPATING_MESSAGE };
  // Someone who already has a session (e.g. finished, coming back for their code) may still see it.
  if (study.status !== 'running' && (!existing || existing.isPreview))
    return { kind: 'unavailable', title: config.title, message: STATUS_MESSAGES[study.status] };
  return { kind: 'ready', title: config.title, isPreview: false, usesDemoModel };
}

/**
 * Whether this browser may continue `existing`, found by its recruitment id. An external id alone is not a secret
 * (a Prolific id is visible to anyone the participant messaged, a worker id is on every HIT they did), so it
 * must come with the participant's signed cookie, or with the same Prolific SESSION_ID / MTurk assignmentId the
 * session started with: Prolific re-opening the same submission, or MTurk the same assignment, on a new device.
 */
export function mayResume(existing: ParticipantRow, recruitment: Recruitment, cookieParticipantId: string | null): boolean {
  if (cookieParticipantId === existing.id) return true;
  if (!recruitment.externalId) return false;
  const proof = existing.source === 'prolific' ? 'SESSION_ID' : existing.source === 'mturk' ? 'assignmentId' : null;
  if (!proof) return false;
  const stored = existing.externalParams[proof];
  return Boolean(stored) && stored === recruitment.params[proof];
}

async function findExistingParticipant(
  db: Database,
  study: StudyRow,
  recruitment: Recruitment,
  cookieValue: string | null,
): Promise<ParticipantRow | null> {
  if (recruitment.externalId) {
    const [byExternal] = await db
      .select()
      .from(schema.participants)
      .where(
        and(
          eq(schema.participants.studyId, study.id),
          eq(schema.participants.source, recruitment.source),
          eq(schema.participants.externalId, recruitment.externalId),
        ),
      );
    // A different external id than the cookie's means a different person on this browser.
    return byExternal ?? null;
  }
  const participantId = verifyParticipantCookie(study.id, cookieValue);
  if (!participantId) return null;
  const [byCookie] = await db
    .select()
    .from(schema.participants)
    .where(and(eq(schema.participants.id, participantId), eq(schema.participants.studyId, study.id)));
  return byCookie ?? null;
}

/** Creates or resumes the caller's session and sets the participant cookie. Idempotent. */
export async function enterStudy(
  db: Database,
  input: {
    slug: string;
    query: RecruitmentQuery;
    actor: Actor | null;
    cookies: CookieJar;
    userAgent: string | null;
    /** The client's address as the proxy reports it; "unknown" when there is none (then no per-address limit). */
    clientKey?: string;
    now?: Date;
  },
): Promise<{ isPreview: boolean }> {
  const now = input.now ?? new Date();
  const study = await findStudyBySlug(db, input.slug);
  if (!study) throw new ServiceError('NOT_FOUND', 'This study does not exist.');
  const recruitment = parseRecruitment(input.query);
  if (recruitment.mturkPreview)
    throw new ServiceError('PRECONDITION_FAILED', 'Please accept the HIT on MTurk before starting the task.');
  const cookieValue = input.cookies.get(participantCookieName(study.id)) ?? null;
  const userAgent = input.userAgent?.slice(0, 500) ?? null;

  if (recruitment.previewRequested) {
    if (!canPreview(input.actor) || !input.actor)
      throw new ServiceError('FORBIDDEN', 'Previews are only for signed-in researchers. Please sign in first.');
    const { draft, armKey, restart } = recruitment.preview;
    // Before launch there is only the draft to preview.
    const versionId =
      draft || !study.currentVersionId ? await draftPreviewVersionId(db, study.id, input.actor.id) : study.currentVersionId;
    if (armKey) {
      const config = await loadVersionConfig(db, versionId);
      if (!config.arms.some((a) => a.key === armKey))
        throw new ServiceError('BAD_REQUEST', `This study has no arm "${armKey}" to preview.`);
    }
    const existing = restart ? null : await findExistingParticipant(db, study, { ...recruitment, externalId: null }, cookieValue);
    if (existing?.isPreview && existing.studyVersionId === versionId && (!armKey || existing.previewArmKey === armKey)) {
      await touch(db, existing.id, now);
      return { isPreview: true };
    }
    const created = await createParticipant(db, {
      studyId: study.id,
      studyVersionId: versionId,
      source: 'preview',
      externalId: null,
      externalParams: recruitment.params,
      isPreview: true,
      previewUserId: input.actor.id,
      previewArmKey: armKey,
      userAgent,
      now,
    });
    setParticipantCookie(input.cookies, study.id, created.row.id);
    return { isPreview: true };
  }

  if (!study.currentVersionId) throw new ServiceError('PRECONDITION_FAILED', STATUS_MESSAGES.draft);
  const versionId = study.currentVersionId;
  const existing = await findExistingParticipant(db, study, recruitment, cookieValue);
  if (existing && !existing.isPreview) {
    if (!mayResume(existing, recruitment, verifyParticipantCookie(study.id, cookieValue)))
      throw new ServiceError('CONFLICT', ALREADY_PARTICIPATING_MESSAGE);
    await touch(db, existing.id, now);
    setParticipantCookie(input.cookies, study.id, existing.id);
    return { isPreview: false };
  }
  if (study.status !== 'running') throw new ServiceError('PRECONDITION_FAILED', STATUS_MESSAGES[study.status]);
  // Only new sessions count: resuming costs no row and must always work.
  if (input.clientKey && input.clientKey !== 'unknown') await hitRateLimit(db, `enter:${input.clientKey}`, ENTER_LIMIT, now);

  const participant = await createParticipant(db, {
    studyId: study.id,
    studyVersionId: versionId,
    source: recruitment.source,
    externalId: recruitment.externalId,
    externalParams: recruitment.params,
    isPreview: false,
    previewUserId: null,
    previewArmKey: null,
    userAgent,
    now,
  });
  // Lost a race on the same external id: the winner is only ours with the same session/assignment id.
  if (!participant.created && !mayResume(participant.row, recruitment, null))
    throw new ServiceError('CONFLICT', ALREADY_PARTICIPATING_MESSAGE);
  setParticipantCookie(input.cookies, study.id, participant.row.id);
  return { isPreview: false };
}

async function touch(db: Database, participantId: string, now: Date): Promise<void> {
  await db.update(schema.participants).set({ lastSeenAt: now }).where(eq(schema.participants.id, participantId));
}

async function createParticipant(
  db: Database,
  values: {
    studyId: string;
    studyVersionId: string;
    source: ParticipantRow['source'];
    externalId: string | null;
    externalParams: Record<string, string>;
    isPreview: boolean;
    previewUserId: string | null;
    previewArmKey: string | null;
    userAgent: string | null;
    now: Date;
  },
): Promise<{ row: ParticipantRow; created: boolean }> {
  return db.transaction(async (tx) => {
    const { now, ...rest } = values;
    const inserted = await tx
      .insert(schema.participants)
      .values({ ...rest, stage: 'consent', createdAt: now, lastSeenAt: now })
      .onConflictDoNothing()
      .returning();
    if (inserted[0]) {
      await recordStageVisit(tx, inserted[0].id, 'consent', now);
      return { row: inserted[0], created: true };
    }
    // Two tabs raced on the same external id: the other insert won, resume it.
    const [winner] = await tx
      .select()
      .from(schema.participants)
      .where(
        and(
          eq(schema.participants.studyId, values.studyId),
          eq(schema.participants.source, values.source),
          eq(schema.participants.externalId, values.externalId ?? ''),
        ),
      );
    if (!winner) throw new Error('participant insert conflicted but no existing row was found');
    return { row: winner, created: false };
  });
}
