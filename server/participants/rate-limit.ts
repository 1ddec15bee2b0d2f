/**
 * Participant-side rate limits that hold across processes: each hit is one upsert on
 * `participant_rate_windows` (key, fixed window), whose row lock serializes concurrent hits on the same key, so
 * the count returned is exact however many processes call at once. A fixed window lets up to twice the limit
 * through around a window boundary; that is enough against floods and keeps each hit one statement.
 */
import { and, eq, lt, sql } from 'drizzle-orm';
import type { DbExecutor } from '../../db';
import { schema } from '../../db';
import { env } from '../env';
import { ServiceError } from '../services/errors';

export interface RateLimit {
  /** Hits allowed per window. */
  limit: number;
  windowMs: number;
  /** Said to the person who hit the limit. */
  message: string;
}

/** New participant sessions per client address (the proxy's X-Forwarded-For): a flood must not skew arm balance. */
export const ENTER_LIMIT: RateLimit = {
  limit: env.PARTICIPANT_ENTER_LIMIT,
  windowMs: 10 * 60_000,
  message: 'Too many new sessions were started from your network. Please wait a few minutes and try again.',
};

/** Draft saves per participant; autosave waits for a pause in typing, so a person stays far below this. */
export const DRAFT_SAVE_LIMIT: RateLimit = {
  limit: 60,
  windowMs: 60_000,
  message: 'Your document is being saved very often. Please wait a moment; your text is kept in the box.',
};

const KEEP_WINDOWS_MS = 24 * 3600_000;
const T = schema.participantRateWindows;

/** Counts one hit for `key`; throws TOO_MANY_REQUESTS once the window's count passes the limit. */
export async function hitRateLimit(db: DbExecutor, key: string, rule: RateLimit, now = new Date()): Promise<void> {
  const windowStart = new Date(Math.floor(now.getTime() / rule.windowMs) * rule.windowMs);
  const [row] = await db
    .insert(T)
    .values({ key, windowStart, hits: 1 })
    .onConflictDoUpdate({ target: [T.key, T.windowStart], set: { hits: sql`${T.hits} + 1` } })
    .returning({ hits: T.hits });
  const hits = row?.hits ?? 1;
  if (hits === 1) {
    // The first hit of a window clears this key's old windows (and anyone's older than a day), so the table stays small.
    await db.delete(T).where(and(eq(T.key, key), lt(T.windowStart, windowStart)));
    await db.delete(T).where(lt(T.windowStart, new Date(now.getTime() - KEEP_WINDOWS_MS)));
  }
  if (hits > rule.limit) throw new ServiceError('TOO_MANY_REQUESTS', rule.message);
}
