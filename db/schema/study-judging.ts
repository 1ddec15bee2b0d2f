import {
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './auth';
import { benchmarkItemStatus, benchmarkRunStatus } from './benchmarks';
import { participants } from './participants';
import { studyPilots } from './study-pilots';
import { studies } from './studies';

/**
 * A judging job over a study's conversations (issue 11 §1): the benchmark's judges run over the final
 * document and transcript of each participant. `pilotId` null = the study's real participants;
 * otherwise the participants of that simulated pilot.
 */
export const studyJudgeRuns = pgTable(
  'study_judge_runs',
  {
    id: uuid().primaryKey().defaultRandom(),
    studyId: uuid()
      .notNull()
      .references(() => studies.id, { onDelete: 'cascade' }),
    pilotId: uuid().references(() => studyPilots.id, { onDelete: 'cascade' }),
    status: benchmarkRunStatus().notNull().default('queued'),
    /** Judge connection/model, judge label, prompt versions, scales, metrics, concurrency. */
    config: jsonb().$type<Record<string, unknown>>().notNull(),
    error: text(),
    createdById: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.studyId)],
);

/** One participant judged by one run; idempotent by (run, participant). */
export const studyJudgeItems = pgTable(
  'study_judge_items',
  {
    id: uuid().primaryKey().defaultRandom(),
    runId: uuid()
      .notNull()
      .references(() => studyJudgeRuns.id, { onDelete: 'cascade' }),
    participantId: uuid()
      .notNull()
      .references(() => participants.id, { onDelete: 'cascade' }),
    status: benchmarkItemStatus().notNull().default('pending'),
    attempts: integer().notNull().default(0),
    /** The document judged, and where it came from: the participant's document pane, or extracted from the chat. */
    finalDocument: text(),
    documentSource: text({ enum: ['pane', 'extraction'] }),
    failure: jsonb().$type<{ stage: string; reason: string; judge?: string }>(),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [unique().on(t.runId, t.participantId), index().on(t.runId, t.status)],
);

/**
 * A metric for one participant by one judge. `judge` is the judge's identity (label naming connection,
 * model and prompt version), so re-judging with another judge adds rows and keeps the old ones.
 */
export const studyJudgeScores = pgTable(
  'study_judge_scores',
  {
    id: uuid().primaryKey().defaultRandom(),
    itemId: uuid()
      .notNull()
      .references(() => studyJudgeItems.id, { onDelete: 'cascade' }),
    participantId: uuid()
      .notNull()
      .references(() => participants.id, { onDelete: 'cascade' }),
    judge: text().notNull(),
    promptVersion: text().notNull(),
    metric: text().notNull(),
    value: doublePrecision().notNull(),
    rationale: text(),
    details: jsonb().$type<Record<string, unknown>>(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique().on(t.participantId, t.judge, t.metric), index().on(t.itemId)],
);

/** Tokens and estimated cost of a judging run: one row per item attempt (an append-only ledger, as for benchmarks). */
export const studyJudgeUsage = pgTable(
  'study_judge_usage',
  {
    id: uuid().primaryKey().defaultRandom(),
    runId: uuid()
      .notNull()
      .references(() => studyJudgeRuns.id, { onDelete: 'cascade' }),
    itemId: uuid().references(() => studyJudgeItems.id, { onDelete: 'set null' }),
    promptTokens: integer().notNull(),
    completionTokens: integer().notNull(),
    estimatedCostUsd: doublePrecision().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.runId)],
);
