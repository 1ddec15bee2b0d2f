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
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './auth';
import { conversations } from './conversations';

export const benchmarkTaskSets = pgTable('benchmark_task_sets', {
  id: uuid().primaryKey().defaultRandom(),
  name: text().notNull().unique(),
  description: text(),
  builtIn: boolean().notNull().default(false),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** A brief (hidden from the assistant) and the target document the simulated user has in mind. */
export const benchmarkTasks = pgTable(
  'benchmark_tasks',
  {
    id: uuid().primaryKey().defaultRandom(),
    taskSetId: uuid()
      .notNull()
      .references(() => benchmarkTaskSets.id, { onDelete: 'cascade' }),
    key: text().notNull(),
    documentType: text().notNull(),
    brief: text().notNull(),
    targetDocument: text().notNull(),
    metadata: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique().on(t.taskSetId, t.key)],
);

export const benchmarkRunStatus = pgEnum('benchmark_run_status', [
  'queued',
  'running',
  'completed',
  'failed',
  'cancelled',
]);
export const benchmarkItemStatus = pgEnum('benchmark_item_status', [
  'pending',
  'running',
  'completed',
  'failed',
  'cancelled',
]);

export const benchmarkRuns = pgTable('benchmark_runs', {
  id: uuid().primaryKey().defaultRandom(),
  name: text().notNull(),
  status: benchmarkRunStatus().notNull().default('queued'),
  /** Arms, task ids, simulator and judge, conversations per task, max turns, seed, concurrency. */
  config: jsonb().$type<Record<string, unknown>>().notNull(),
  error: text(),
  createdById: uuid().references(() => users.id, { onDelete: 'set null' }),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  startedAt: timestamp({ withTimezone: true }),
  finishedAt: timestamp({ withTimezone: true }),
});

/** One simulated conversation: task × arm × replicate. Idempotent by its unique key. */
export const benchmarkItems = pgTable(
  'benchmark_items',
  {
    id: uuid().primaryKey().defaultRandom(),
    runId: uuid()
      .notNull()
      .references(() => benchmarkRuns.id, { onDelete: 'cascade' }),
    taskId: uuid()
      .notNull()
      .references(() => benchmarkTasks.id),
    armKey: text().notNull(),
    replicate: integer().notNull(),
    status: benchmarkItemStatus().notNull().default('pending'),
    attempts: integer().notNull().default(0),
    conversationId: uuid().references(() => conversations.id, { onDelete: 'set null' }),
    finalDocument: text(),
    error: text(),
    /** Why the last attempt failed ({stage, reason, judge?}), for the run's accounting; cleared by a new attempt. */
    failure: jsonb().$type<{ stage: string; reason: string; judge?: string }>(),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [unique().on(t.runId, t.taskId, t.armKey, t.replicate), index().on(t.runId, t.status)],
);

/** A metric for one item by one judge; re-scoring adds rows under a new judge label. */
export const benchmarkScores = pgTable(
  'benchmark_scores',
  {
    id: uuid().primaryKey().defaultRandom(),
    itemId: uuid()
      .notNull()
      .references(() => benchmarkItems.id, { onDelete: 'cascade' }),
    judge: text().notNull(),
    metric: text().notNull(),
    value: doublePrecision().notNull(),
    rationale: text(),
    details: jsonb().$type<Record<string, unknown>>(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique().on(t.itemId, t.judge, t.metric)],
);

/**
 * Tokens and estimated cost a run has spent: one row per item attempt (failed attempts spend tokens too)
 * and per re-scored item; a run's totals are the sum. An append-only ledger rather than counters on the run
 * row, because dozens of items finishing at once all updated that one row and queued on its lock.
 */
export const benchmarkUsage = pgTable(
  'benchmark_usage',
  {
    id: uuid().primaryKey().defaultRandom(),
    runId: uuid()
      .notNull()
      .references(() => benchmarkRuns.id, { onDelete: 'cascade' }),
    itemId: uuid().references(() => benchmarkItems.id, { onDelete: 'set null' }),
    promptTokens: integer().notNull(),
    completionTokens: integer().notNull(),
    estimatedCostUsd: doublePrecision().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.runId)],
);
