import { index, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const jobStatus = pgEnum('job_status', ['queued', 'active', 'completed', 'failed', 'cancelled']);

/**
 * The durable background queue (server/jobs). A job is claimed with FOR UPDATE SKIP LOCKED and
 * held by a lease (`lockedUntil`) that its worker renews; a job whose lease ran out (crashed or
 * killed worker) is claimable again. `key` makes enqueueing idempotent.
 */
export const jobs = pgTable(
  'jobs',
  {
    id: uuid().primaryKey().defaultRandom(),
    kind: text().notNull(),
    /** Ids only; the handler re-reads state from the database. */
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    key: text().unique(),
    /** Jobs sharing a group (e.g. one benchmark run) obey the group's concurrency limit. */
    groupKey: text(),
    status: jobStatus().notNull().default('queued'),
    priority: integer().notNull().default(0),
    attempts: integer().notNull().default(0),
    maxAttempts: integer().notNull().default(5),
    runAfter: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lockedBy: text(),
    /**
     * Fencing token: bumped by every claim, never reused. Every write of an attempt (completion, retry,
     * lease renewal, and the handler's own domain writes through `leaseHeld`) names its token, so an
     * attempt whose lease lapsed and whose job was claimed again can no longer change anything.
     */
    lease: integer().notNull().default(0),
    lockedUntil: timestamp({ withTimezone: true }),
    lastError: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.status, t.kind, t.runAfter), index().on(t.groupKey, t.status)],
);

/** Concurrency limit shared by every worker process for the jobs of one group. */
export const jobGroups = pgTable('job_groups', {
  key: text().primaryKey(),
  concurrency: integer().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
