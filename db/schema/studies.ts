import { boolean, integer, jsonb, pgEnum, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import type { StudyConfig } from '../../server/studies/config';
import { users } from './auth';

export const studyStatus = pgEnum('study_status', ['draft', 'running', 'paused', 'closed']);

export const studies = pgTable('studies', {
  id: uuid().primaryKey().defaultRandom(),
  slug: text().notNull().unique(),
  name: text().notNull(),
  status: studyStatus().notNull().default('draft'),
  /** Editable configuration; frozen into study_versions on launch. */
  draftConfig: jsonb().$type<StudyConfig>().notNull(),
  /** The version new participants get while the study runs. */
  currentVersionId: uuid(),
  /** Assignment seed, fixed at creation and recorded with every draw. */
  assignmentSeed: text().notNull(),
  createdById: uuid().references(() => users.id, { onDelete: 'set null' }),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date()),
});

/** Immutable snapshot of a study's configuration; every participant records the version they saw. */
export const studyVersions = pgTable(
  'study_versions',
  {
    id: uuid().primaryKey().defaultRandom(),
    studyId: uuid()
      .notNull()
      .references(() => studies.id, { onDelete: 'cascade' }),
    version: integer().notNull(),
    config: jsonb().$type<StudyConfig>().notNull(),
    note: text(),
    /**
     * A snapshot of the draft taken for a researcher's preview before it is published. Such rows
     * get version numbers ≤ 0, are never current, and only preview sessions point at them.
     */
    draftPreview: boolean().notNull().default(false),
    createdById: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique().on(t.studyId, t.version)],
);
