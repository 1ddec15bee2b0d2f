import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './auth';
import { benchmarkRunStatus } from './benchmarks';
import { studies } from './studies';

/**
 * Simulated pilots of a study (issue 11 §3): the study's own configuration run with seeded simulated
 * participants through the same server-side chat path people use. Their participants point here
 * (`participants.pilotId`) and never reach the study's results, assignment counts or exports.
 */
export const studyPilots = pgTable(
  'study_pilots',
  {
    id: uuid().primaryKey().defaultRandom(),
    studyId: uuid()
      .notNull()
      .references(() => studies.id, { onDelete: 'cascade' }),
    status: benchmarkRunStatus().notNull().default('queued'),
    /** Participants per arm, simulator connection/model, persona seed, snapshot of the study version used. */
    config: jsonb().$type<Record<string, unknown>>().notNull(),
    error: text(),
    createdById: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.studyId)],
);
