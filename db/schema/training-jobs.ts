/**
 * Training jobs: a dataset version sent to a fine-tuning provider (an OpenAI-compatible fine-tuning API,
 * or an external trainer reached by a signed webhook), followed by the job queue until it ends, and the
 * resulting model registered as something arms and benchmark runs can use.
 * Lineage: base model → dataset (version) → training job → trained model → benchmark runs.
 */
import {
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
import { llmConnections } from './llm';
import { benchmarkRuns } from './benchmarks';

export const trainingProvider = pgEnum('training_provider', ['openai', 'webhook']);
export const trainingMethod = pgEnum('training_method', ['sft', 'dpo']);
/**
 * Ours, not the provider's (that one is kept verbatim in `provider_status`):
 * preparing (export + upload / webhook not yet accepted) → submitted (provider has it, not training yet)
 * → running → succeeded | failed | cancelled. `cancel_requested_at` marks a cancel the queue still has to carry out.
 */
export const trainingJobStatus = pgEnum('training_job_status', [
  'preparing',
  'submitted',
  'running',
  'succeeded',
  'failed',
  'cancelled',
]);

export const trainingJobs = pgTable(
  'training_jobs',
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    /** The training dataset; a plain uuid so a deleted dataset never deletes the record of what was trained. */
    datasetId: uuid().notNull(),
    datasetVersion: integer(),
    /** Snapshot of the dataset's name at start (the lineage stays readable if the dataset goes). */
    datasetName: text().notNull(),
    /** Export format sent to the provider (openai-sft, openai-dpo, trl-sft, trl-dpo). */
    exportFormat: text().notNull(),
    method: trainingMethod().notNull(),
    baseModel: text().notNull(),
    /** Learning rate, batch size, epochs, DPO beta, LoRA settings… (see server/training/jobs/hyperparameters.ts). */
    hyperparameters: jsonb().$type<Record<string, unknown>>().notNull(),
    provider: trainingProvider().notNull(),
    /** OpenAI provider: the connection whose fine-tuning API is used (and which serves the base model). */
    connectionId: uuid().references(() => llmConnections.id, { onDelete: 'set null' }),
    /** Webhook provider: where the signed request went (snapshot of the configured URL). */
    webhookUrl: text(),
    status: trainingJobStatus().notNull().default('preparing'),
    /** Why the job failed or was cancelled, in words for the person reading the page. */
    statusReason: text(),
    providerStatus: text(),
    providerJobId: text(),
    providerFileId: text(),
    providerValidationFileId: text(),
    fineTunedModel: text(),
    /** Webhook provider: the serving endpoint the trainer reported for the finished model. */
    resultEndpoint: jsonb().$type<{ baseUrl: string; model: string }>(),
    /** 0..1 when the provider reports it. */
    progress: doublePrecision(),
    trainedTokens: integer(),
    costUsd: doublePrecision(),
    seed: integer(),
    /** Each enqueued follow-up step carries the next number; a step with an older number is stale and does nothing. */
    stepSeq: integer().notNull().default(0),
    /** Provider event ids already stored, newest last (the cursor for the next events page). */
    lastProviderEventId: text(),
    /** Polls in a row that found nothing new; the next poll waits longer (reset when anything changes). */
    idlePolls: integer().notNull().default(0),
    cancelRequestedAt: timestamp({ withTimezone: true }),
    createdById: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    submittedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
    updatedAt: timestamp({ withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (t) => [index().on(t.datasetId), index().on(t.status)],
);

export const trainingEventKind = pgEnum('training_event_kind', ['status', 'provider', 'callback', 'log']);

/** Status history and the provider's (or trainer's) events, in the order we learned them. */
export const trainingJobEvents = pgTable(
  'training_job_events',
  {
    id: uuid().primaryKey().defaultRandom(),
    jobId: uuid()
      .notNull()
      .references(() => trainingJobs.id, { onDelete: 'cascade' }),
    kind: trainingEventKind().notNull(),
    level: text().notNull().default('info'),
    message: text().notNull(),
    data: jsonb().$type<Record<string, unknown>>(),
    /** The provider's event id, so a page polled twice stores each event once. */
    providerEventId: text(),
    /** Provider time when given, else ours. */
    occurredAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique().on(t.jobId, t.providerEventId), index().on(t.jobId, t.createdAt)],
);

/**
 * Short-lived bearer tokens that let an external trainer download one job's dataset export, once it has our
 * signed request. SHA-256 at rest; revoked when the job ends.
 */
export const trainingDownloadTokens = pgTable('training_download_tokens', {
  id: uuid().primaryKey().defaultRandom(),
  jobId: uuid()
    .notNull()
    .references(() => trainingJobs.id, { onDelete: 'cascade' }),
  tokenHash: text().notNull().unique(),
  /** Single purpose: this token downloads this export of this dataset, nothing else. */
  purpose: text().notNull(),
  expiresAt: timestamp({ withTimezone: true }).notNull(),
  revokedAt: timestamp({ withTimezone: true }),
  downloads: integer().notNull().default(0),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** Nonces of accepted trainer callbacks: a replayed callback carries a nonce that is already here. */
export const trainingCallbackNonces = pgTable(
  'training_callback_nonces',
  {
    jobId: uuid()
      .notNull()
      .references(() => trainingJobs.id, { onDelete: 'cascade' }),
    nonce: text().notNull(),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique().on(t.jobId, t.nonce)],
);

/** A finished job's model, registered so arms and benchmark runs can select it (connection + model id). */
export const trainedModels = pgTable('trained_models', {
  id: uuid().primaryKey().defaultRandom(),
  jobId: uuid()
    .notNull()
    .unique()
    .references(() => trainingJobs.id, { onDelete: 'cascade' }),
  label: text().notNull(),
  connectionId: uuid().references(() => llmConnections.id, { onDelete: 'set null' }),
  model: text().notNull(),
  /** Where the base model is served, for comparisons (null = the offline demo model). */
  baseConnectionId: uuid().references(() => llmConnections.id, { onDelete: 'set null' }),
  baseModel: text().notNull(),
  registeredById: uuid().references(() => users.id, { onDelete: 'set null' }),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** Benchmark runs started with "Evaluate it" (the model → runs end of the lineage). */
export const trainedModelRuns = pgTable(
  'trained_model_runs',
  {
    trainedModelId: uuid()
      .notNull()
      .references(() => trainedModels.id, { onDelete: 'cascade' }),
    runId: uuid()
      .notNull()
      .references(() => benchmarkRuns.id, { onDelete: 'cascade' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique().on(t.trainedModelId, t.runId)],
);
