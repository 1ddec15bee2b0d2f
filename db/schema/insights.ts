import { doublePrecision, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { participants } from './participants';
import { studies } from './studies';

/**
 * Per-participant figures that are expensive to derive on every dashboard load (token counts over every
 * message, time decomposition over every heartbeat). Owned by server/insights: rows are (re)computed lazily
 * when missing, computed by an older algorithm, or older than the participant's last activity, so they are a
 * cache and never the source of truth.
 */
export const participantMetrics = pgTable(
  'participant_metrics',
  {
    participantId: uuid()
      .primaryKey()
      .references(() => participants.id, { onDelete: 'cascade' }),
    studyId: uuid()
      .notNull()
      .references(() => studies.id, { onDelete: 'cascade' }),
    /** Participant messages sent (one per turn). */
    turns: integer().notNull(),
    assistantReplies: integer().notNull(),
    /** cl100k tokens in complete assistant replies (what the participant had to read). */
    tokensRead: integer().notNull(),
    /** cl100k tokens in the participant's own messages (what they typed). */
    tokensTyped: integer().notNull(),
    /** Whole session, first stage entered to finish (or last activity), in seconds. */
    totalTimeSec: doublePrecision(),
    /** The participant's own time: total minus time spent waiting for the model. */
    activeTimeSec: doublePrecision(),
    modelWaitSec: doublePrecision(),
    /** Periodic ratings in checkpoint order (after this many turns → this value); refreshed when a newer rating exists. */
    ratingTurns: integer().array().notNull().default([]),
    ratingValues: integer().array().notNull().default([]),
    /** Bumped when the computation changes, which invalidates every cached row. */
    algorithm: text().notNull(),
    /** participants.last_seen_at at computation time; a newer last_seen_at makes the row stale. */
    sourceSeenAt: timestamp({ withTimezone: true }).notNull(),
    computedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.studyId)],
);
