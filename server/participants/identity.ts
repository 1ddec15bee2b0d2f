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
import { isCleanText } from '../lib/text';

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
  // A slug from a URL may hold anything; one Postgres cannot take in a query (U+0000) matches no study.
  if (!isCleanText(slug)) return null;
  const [study] = await db.select().from(schema.studies).where(eq(schema.studies.slug, slug));
  return study ?? null;
}

// slug → study id, so each participant call costs one query instead of two. A study's id never changes;
// a short lifetime covers a slug being renamed or reused.
const STUDY_ID_TTL_MS = 10_000;
const studyIdBySlug = new Map<string, { id: string; expires: number }>();

async function studyIdForSlug(db: DbExecutor, slug: string): Promise<string | null> {
  if (!isCleanText(slug)) return null;
  const cached = studyIdBySlug.get(slug);
  if (cached && cached.expires > Date.now()) return cached.id;
  const [study] = await db.select({ id: schema.studies.id }).from(schema.studies).where(eq(schema.studies.slug, slug));
  if (!study) return null;
  if (studyIdBySlug.size > 1000) studyIdBySlug.clear();
  studyIdBySlug.set(slug, { id: study.id, expires: Date.now() + STUDY_ID_TTL_MS });
  return study.id;
}

const unrecognised = () => new ServiceError('FORBIDDEN', 'Your session was not recognised. Please open the study link again.');

export interface ParticipantIdentity {
  studyId: string;
  participantId: string;
}

/**
 * The caller's identity from the signed cookie alone, without reading the participant row: the
 * signature already binds the participant id to the study. For the latency-critical send and reply
 * paths, which read (and lock) the row themselves; callers must treat a missing row as
 * `participantNotFound(slug)`.
 */
export async function identifyParticipant(db: DbExecutor, cookies: CookieJar, slug: string): Promise<ParticipantIdentity> {
  const studyId = await studyIdForSlug(db, slug);
  if (!studyId) throw new ServiceError('NOT_FOUND', 'This study does not exist.');
  const participantId = verifyParticipantCookie(studyId, cookies.get(participantCookieName(studyId)));
  if (!participantId) throw unrecognised();
  return { studyId, participantId };
}

/** The error for a verified cookie whose participant row is gone; also forgets the slug in case it was reused. */
export function participantNotFound(slug: string): ServiceError {
  studyIdBySlug.delete(slug);
  return unrecognised();
}

/** The calling participant of the study at `slug`, from the signed cookie; throws when there is none. */
export async function requireParticipant(
  db: DbExecutor,
  cookies: CookieJar,
  slug: string,
): Promise<{ studyId: string; participant: ParticipantRow }> {
  const { studyId, participantId } = await identifyParticipant(db, cookies, slug);
  const [participant] = await db
    .select()
    .from(schema.participants)
    .where(and(eq(schema.participants.id, participantId), eq(schema.participants.studyId, studyId)));
  if (!participant) throw participantNotFound(slug);
  return { studyId, participant };
}
