import { index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Sign-in attempt counters (server/auth/sign-in-limiter.ts), one row per email and per client address
 * (`key` = `email:<address>` or `address:<ip>`). In Postgres so the limits hold across web processes and
 * restarts; a row is only replaced when its window has passed, so flooding other keys cannot evict it.
 */
export const signInThrottle = pgTable(
  'sign_in_throttle',
  {
    key: text().primaryKey(),
    /** Attempts counted in the current window (reserved before the password is checked). */
    attempts: integer().notNull(),
    windowStartedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index().on(t.windowStartedAt)],
);
