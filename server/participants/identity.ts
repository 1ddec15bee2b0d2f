/**
 * Participant identity: a signed, per-study HttpOnly cookie holding the participant id.
 * Every participant procedure resolves "who is calling" from this cookie alone, never from input ids,
 * so one participant can only ever reach their own session.
 */
import crypto from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { DbExecutor } from '../../db';
import { schema } from '../../db';
import type { CookieJar } from '../api/trpc';
import { hmac } from '../lib/secret';
import { ServiceError } from '../services/errors';

const COOKIE_PURPOSE = 'participant-cookie-v1';
const COOKIE_MAX_AGE_SECONDS = 60 * 60 * 24 * 30;

export type ParticipantRow = typeof schema.participants.$inferSelect;
export type StudyRow = typeof schema.studies.$inferSelect;

/** One cookie per study, so a person taking two studies keeps two independent sessions. */
export function participantCookieName(studyId: string): string {
  return `cs_p_${studyId.replace(/-/g, '')}`;
}

function signature(studyId: string, participantId: string): string {
  return hmac(COOKIE_PURPOSE, `${studyId}:${participantId}`);
}

export function signParticipantCookie(studyId: string, participantId: string): string {
  return `${participantId}.${signature(studyId, participantId)}`;
}

/** The participant id in a cookie value, or null when the value is missing, malformed or tampered with. */
export function verifyParticipantCookie(studyId: string, value: string | undefined | null): string | null {
  if (!value || value.length > 200) return null;
  const dot = value.indexOf('.');
  if (dot <= 0) return null;
  const participantId = value.slice(0, dot);
  if (!/^[0-9a-f-]{36}$/i.test(participantId)) return null;
  const given = Buffer.from(value.slice(dot + 1));
  const expected = Buffer.from(signature(studyId, participantId));
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
  return participantId;
}

export function setParticipantCookie(cookies: CookieJar, studyId: string, participantId: string): void {
  cookies.set(participantCookieName(studyId), signParticipantCookie(studyId, participantId), {
    maxAgeSeconds: COOKIE_MAX_AGE_SECONDS,
  });
}

export async function findStudyBySlug(db: DbExecutor, slug: string): Promise<StudyRow | null> {
  const [study] = await db.select().from(schema.studies).where(eq(schema.studies.slug, slug));
  return study ?? null;
}

/** The calling participant of the study at `slug`, from the signed cookie; throws when there is none. */
export async function requireParticipant(
  db: DbExecutor,
  cookies: CookieJar,
  slug: string,
): Promise<{ study: StudyRow; participant: ParticipantRow }> {
  const study = await findStudyBySlug(db, slug);
  if (!study) throw new ServiceError('NOT_FOUND', 'This study does not exist.');
  const participantId = verifyParticipantCookie(study.id, cookies.get(participantCookieName(study.id)));
  if (!participantId)
    throw new ServiceError('FORBIDDEN', 'Your session was not recognised. Please open the study link again.');
  const [participant] = await db
    .select()
    .from(schema.participants)
    .where(and(eq(schema.participants.id, participantId), eq(schema.participants.studyId, study.id)));
  if (!participant)
    throw new ServiceError('FORBIDDEN', 'Your session was not recognised. Please open the study link again.');
  return { study, participant };
}
