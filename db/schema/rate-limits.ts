import { index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Fixed-window request counters for the participant side (new sessions per client address, draft saves per
 * participant). Kept in Postgres so a limit holds across web processes and restarts; one upserted row per key and
 * window makes each hit a single atomic statement. Rows older than a day are deleted as new windows open.
 */
export const participantRateWindows = pgTable(
  'participant_rate_windows',
  {
    /** What is limited and for whom, e.g. `enter:<address>` or `draft:<participant id>`. */
    key: text().notNull(),
    windowStart: timestamp({ withTimezone: true }).notNull(),
    hits: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] }), index('participant_rate_windows_window_idx').on(t.windowStart)],
);
