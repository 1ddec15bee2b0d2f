/**
 * Slows password guessing, in Postgres so the limits hold across web processes and restarts.
 *
 * Every attempt is counted *before* the password is checked (one upsert per key; the row lock orders
 * concurrent attempts), so N simultaneous guesses for one email get at most `perEmail` bcrypt checks.
 * Two keys are counted: the email, and the client's address (server/http/client-address.ts). An attempt
 * over either limit is refused without checking the password. A success gives its attempt back: the email's
 * count starts again, the address's count drops by one (many colleagues may share one office address).
 * Counts live in fixed windows of `windowMs` from an email's or address's first attempt; rows are only
 * replaced when their window has passed, so flooding other emails or addresses cannot lift a block.
 */
import { eq, lt, sql } from 'drizzle-orm';
import type { DbExecutor } from '../../db';
import { schema } from '../../db';

export interface SignInLimits {
  /** Attempts per email per window (failed ones, plus any still being checked). */
  perEmail: number;
  /** Attempts per client address per window, across all emails. */
  perAddress: number;
  windowMs: number;
}

export const SIGN_IN_LIMITS: SignInLimits = { perEmail: 10, perAddress: 50, windowMs: 15 * 60_000 };

/** Error codes NextAuth passes to the sign-in page (app/sign-in/sign-in-form.tsx words them). */
export const TOO_MANY_ATTEMPTS = 'TooManyAttempts';
export const TOO_MANY_ATTEMPTS_FROM_ADDRESS = 'TooManyAttemptsFromAddress';

export type SignInVerdict = { allowed: true } | { allowed: false; blockedBy: 'email' | 'address' };

const emailKey = (email: string) => `email:${email.trim().toLowerCase()}`;
const addressKey = (address: string) => `address:${address}`;

/** Counts one attempt for the email and the address and says whether the password may be checked. */
export async function reserveSignInAttempt(
  db: DbExecutor,
  attempt: { email: string; address: string },
  limits: SignInLimits = SIGN_IN_LIMITS,
  now = new Date(),
): Promise<SignInVerdict> {
  const t = schema.signInThrottle;
  const windowStart = new Date(now.getTime() - limits.windowMs).toISOString();
  const expired = sql`${t.windowStartedAt} <= ${windowStart}::timestamptz`;
  // Sorted, so two attempts never lock the same two rows in opposite orders.
  const keys = [emailKey(attempt.email), addressKey(attempt.address)].sort();
  const rows = await db
    .insert(t)
    .values(keys.map((key) => ({ key, attempts: 1, windowStartedAt: now })))
    .onConflictDoUpdate({
      target: t.key,
      set: {
        attempts: sql`case when ${expired} then 1 else ${t.attempts} + 1 end`,
        windowStartedAt: sql`case when ${expired} then excluded.window_started_at else ${t.windowStartedAt} end`,
      },
    })
    .returning({ key: t.key, attempts: t.attempts });
  await pruneExpired(db, limits, now);
  const count = (key: string) => rows.find((r) => r.key === key)?.attempts ?? 0;
  if (count(emailKey(attempt.email)) > limits.perEmail) return { allowed: false, blockedBy: 'email' };
  if (count(addressKey(attempt.address)) > limits.perAddress) return { allowed: false, blockedBy: 'address' };
  return { allowed: true };
}

/** After a correct password: the email starts afresh and the address gets this attempt back. */
export async function recordSignInSuccess(db: DbExecutor, attempt: { email: string; address: string }): Promise<void> {
  const t = schema.signInThrottle;
  await db.update(t).set({ attempts: 0 }).where(eq(t.key, emailKey(attempt.email)));
  await db
    .update(t)
    .set({ attempts: sql`greatest(${t.attempts} - 1, 0)` })
    .where(eq(t.key, addressKey(attempt.address)));
}

/**
 * Runs one sign-in attempt: reserve, then verify only if allowed, then settle. `verify` is the password
 * check (bcrypt); it is never called for a refused attempt.
 */
export async function limitedSignIn<T>(
  db: DbExecutor,
  attempt: { email: string; address: string },
  verify: () => Promise<T | null>,
  limits: SignInLimits = SIGN_IN_LIMITS,
): Promise<{ outcome: 'signed-in'; user: T } | { outcome: 'wrong' } | { outcome: 'blocked'; blockedBy: 'email' | 'address' }> {
  const verdict = await reserveSignInAttempt(db, attempt, limits);
  if (!verdict.allowed) return { outcome: 'blocked', blockedBy: verdict.blockedBy };
  const user = await verify();
  if (!user) return { outcome: 'wrong' };
  await recordSignInSuccess(db, attempt);
  return { outcome: 'signed-in', user };
}

// Rows whose window has passed carry no information; each process deletes them now and then.
const PRUNE_EVERY_MS = 10 * 60_000;
let lastPruneAt = 0;
async function pruneExpired(db: DbExecutor, limits: SignInLimits, now: Date): Promise<void> {
  if (now.getTime() - lastPruneAt < PRUNE_EVERY_MS) return;
  lastPruneAt = now.getTime();
  const t = schema.signInThrottle;
  // Never shorter than the default window: a caller with short test limits must not drop others' rows.
  const windowMs = Math.max(limits.windowMs, SIGN_IN_LIMITS.windowMs);
  await db.delete(t).where(lt(t.windowStartedAt, new Date(now.getTime() - windowMs)));
}
