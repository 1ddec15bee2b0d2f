import {
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { studies, studyVersions } from './studies';
import { users } from './auth';
import { studyPilots } from './study-pilots';

export const participantSource = pgEnum('participant_source', ['prolific', 'mturk', 'link', 'preview']);
export const participantStage = pgEnum('participant_stage', [
  'consent',
  'instructions',
  'setup',
  'chat',
  'survey',
  'done',
]);
/** Where a participant ended up; null while still in progress. */
export const participantOutcome = pgEnum('participant_outcome', [
  'completed',
  'no_consent',
  'failed_checks',
  'timed_out',
]);

export const participants = pgTable(
  'participants',
  {
    id: uuid().primaryKey().defaultRandom(),
    studyId: uuid()
      .notNull()
      .references(() => studies.id, { onDelete: 'cascade' }),
    studyVersionId: uuid()
      .notNull()
      .references(() => studyVersions.id),
    source: participantSource().notNull(),
    /** PROLIFIC_PID or MTurk workerId; null for plain links (the cookie identifies them). */
    externalId: text(),
    /** Every recruitment query parameter as received (STUDY_ID, SESSION_ID, assignmentId, hitId, turkSubmitTo…). */
    externalParams: jsonb().$type<Record<string, string>>().notNull().default({}),
    /** Researcher preview sessions are never counted in assignment or statistics. */
    isPreview: boolean().notNull().default(false),
    /**
     * Simulated pilot participants (issue 11 §3) point at their pilot. They are never counted in assignment,
     * results, monitors or exports of the study's real participants.
     */
    pilotId: uuid().references(() => studyPilots.id, { onDelete: 'cascade' }),
    previewUserId: uuid().references(() => users.id, { onDelete: 'set null' }),
    /** The arm a researcher chose to preview (`?arm=`); null = drawn as for a participant. */
    previewArmKey: text(),
    stage: participantStage().notNull().default('consent'),
    outcome: participantOutcome(),
    consentVersion: text(),
    consentedAt: timestamp({ withTimezone: true }),
    armKey: text(),
    documentType: text(),
    topicId: text(),
    /** Answers to the topic questions; never shown to the assistant. */
    topicAnswers: jsonb().$type<Record<string, string>>(),
    completionCode: text(),
    /** Attention checks failed (Prolific: exclude only when both fail). */
    attentionFailures: integer(),
    excluded: boolean().notNull().default(false),
    exclusionReason: text(),
    excludedById: uuid().references(() => users.id, { onDelete: 'set null' }),
    userAgent: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    // The same external id always returns to the same session and is never assigned twice.
    uniqueIndex('participants_external_uq')
      .on(t.studyId, t.source, t.externalId)
      .where(sql`${t.externalId} is not null`),
    index().on(t.studyId, t.stage),
    index().on(t.studyId, t.armKey),
  ],
);

/** The recorded randomization draw: enough to audit and replay the assignment. */
export const assignments = pgTable(
  'assignments',
  {
    id: uuid().primaryKey().defaultRandom(),
    participantId: uuid()
      .notNull()
      .unique()
      .references(() => participants.id, { onDelete: 'cascade' }),
    studyId: uuid()
      .notNull()
      .references(() => studies.id, { onDelete: 'cascade' }),
    studyVersionId: uuid()
      .notNull()
      .references(() => studyVersions.id),
    armKey: text().notNull(),
    algorithmVersion: text().notNull(),
    seed: text().notNull(),
    draw: doublePrecision().notNull(),
    /** Arm counts the algorithm saw (completed + recently active), for audit. */
    countsSeen: jsonb().$type<Record<string, number>>().notNull(),
    sequence: integer().notNull(),
    /** Stratified draws only: the factor ("document_type", "topic_question:<id>") and the participant's value; countsSeen is within it. */
    stratumFactor: text(),
    stratum: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.studyId, t.sequence)],
);

/** Server-side time per stage. */
export const stageVisits = pgTable(
  'stage_visits',
  {
    id: uuid().primaryKey().defaultRandom(),
    participantId: uuid()
      .notNull()
      .references(() => participants.id, { onDelete: 'cascade' }),
    stage: participantStage().notNull(),
    enteredAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    leftAt: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.participantId)],
);

/** Client heartbeats: focus, blur and idle, attributed to a stage. */
export const heartbeats = pgTable(
  'heartbeats',
  {
    id: uuid().primaryKey().defaultRandom(),
    participantId: uuid()
      .notNull()
      .references(() => participants.id, { onDelete: 'cascade' }),
    stage: participantStage().notNull(),
    focused: boolean().notNull(),
    idle: boolean().notNull(),
    /** Milliseconds since the previous heartbeat, as measured by the client (capped server-side). */
    intervalMs: integer().notNull(),
    /** Whether the participant was waiting for the model during this interval. */
    waitingForModel: boolean().notNull().default(false),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.participantId, t.receivedAt)],
);

export const ratings = pgTable(
  'ratings',
  {
    id: uuid().primaryKey().defaultRandom(),
    participantId: uuid()
      .notNull()
      .references(() => participants.id, { onDelete: 'cascade' }),
    /** The rating prompt shown after this many completed turns (3, 6, 9…). */
    afterTurn: integer().notNull(),
    value: integer().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex().on(t.participantId, t.afterTurn)],
);

export const surveyResponses = pgTable('survey_responses', {
  id: uuid().primaryKey().defaultRandom(),
  participantId: uuid()
    .notNull()
    .unique()
    .references(() => participants.id, { onDelete: 'cascade' }),
  documentQuality: integer().notNull(),
  overallInteraction: integer().notNull(),
  strengths: text().notNull(),
  weaknesses: text().notNull(),
  blindingGuess: text().notNull(),
  attentionAnswers: jsonb().$type<Record<string, string>>().notNull(),
  finalDocument: text(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** Every saved state of the participant's working draft (edits and "use this"). */
export const documentDrafts = pgTable(
  'document_drafts',
  {
    id: uuid().primaryKey().defaultRandom(),
    participantId: uuid()
      .notNull()
      .references(() => participants.id, { onDelete: 'cascade' }),
    content: text().notNull(),
    source: text({ enum: ['edit', 'use_message'] }).notNull(),
    sourceMessageId: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.participantId, t.createdAt)],
);
