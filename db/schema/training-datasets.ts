/**
 * Training data (issue 10 §1–§2): multiturn-aware reward (MR) evaluations and versioned SFT/DPO datasets.
 *
 * - `reward_evaluations` — one conversation prefix scored for one or more candidate replies (the paper's MR:
 *   S forward samples of window w per candidate). Created by the synthetic generation loop (one per turn)
 *   or by the reward endpoint for external trainers (`source = 'api'`).
 * - `reward_candidates` — one candidate reply of an evaluation; `mean`/`std` of its samples' rewards once scored.
 * - `reward_samples` — one forward sample (simulated user and policy continuing the chat), with its reward and
 *   component scores. Unique per (candidate, sample index): a job re-run after a crash cannot store it twice.
 * - `training_datasets` — a versioned dataset (name + version), with its source, settings, seeds and counts.
 * - `training_conversations` — one conversation of a dataset (a task for synthetic data, a participant for a
 *   human study), with its train/eval split.
 * - `training_turns` — one assistant turn: the prompt (messages so far), its MR evaluation (synthetic) or the
 *   participant-facing reply and ratings (human study), and the preference pair picked from its candidates.
 */
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

/** A chat message as stored in training data (what the export formats carry). */
export interface TrainingMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export const trainingDatasetSource = pgEnum('training_dataset_source', ['synthetic', 'human_study']);
export const trainingDatasetStatus = pgEnum('training_dataset_status', [
  'queued',
  'generating',
  'ready',
  'failed',
  'cancelled',
]);
export const trainingSplit = pgEnum('training_split', ['train', 'eval']);
export const trainingConversationStatus = pgEnum('training_conversation_status', [
  'pending',
  'running',
  'completed',
  'failed',
  'cancelled',
]);
export const rewardEvaluationSource = pgEnum('reward_evaluation_source', ['dataset', 'api']);
export const rewardEvaluationStatus = pgEnum('reward_evaluation_status', ['scoring', 'scored', 'failed', 'cancelled']);

export const trainingDatasets = pgTable(
  'training_datasets',
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    /** 1, 2, 3… per name: a rebuild with other settings is a new version; stored versions never change. */
    version: integer().notNull(),
    sourceKind: trainingDatasetSource().notNull(),
    status: trainingDatasetStatus().notNull().default('queued'),
    /** The source's settings (task set, candidate arms, MR settings, study filters…), validated by its zod schema. */
    settings: jsonb().$type<Record<string, unknown>>().notNull(),
    /** Seed of every model call of the generation (derived per conversation, turn, candidate and sample). */
    seed: text().notNull(),
    /** Seed of the train/eval split; `evalRatio` of the conversations go to eval. */
    splitSeed: text().notNull(),
    evalRatio: doublePrecision().notNull().default(0.1),
    /** Conversations, turns, candidates, pairs, samples… (kept current while generating). */
    counts: jsonb().$type<Record<string, number>>().notNull().default({}),
    /** True when any part (policy, simulator or judge) was the offline demo implementation. */
    isDemo: boolean().notNull().default(false),
    error: text(),
    appVersion: text().notNull(),
    createdById: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [unique().on(t.name, t.version), index().on(t.createdAt)],
);

export const trainingConversations = pgTable(
  'training_conversations',
  {
    id: uuid().primaryKey().defaultRandom(),
    datasetId: uuid()
      .notNull()
      .references(() => trainingDatasets.id, { onDelete: 'cascade' }),
    /** Position in the dataset (0, 1, 2…); the paper's `conv_id`. */
    idx: integer().notNull(),
    split: trainingSplit().notNull().default('train'),
    status: trainingConversationStatus().notNull().default('pending'),
    /** Benchmark task (synthetic data); null for human-study conversations. */
    taskId: uuid(),
    /** Human study: pseudonymous participant id (HMAC, like the study export), arm key, study version. */
    sourceRef: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    /** The chosen conversation so far / when finished (no system message). */
    messages: jsonb().$type<TrainingMessage[]>().notNull().default([]),
    endReason: text(),
    error: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [unique().on(t.datasetId, t.idx), index().on(t.datasetId, t.status)],
);

export const rewardEvaluations = pgTable(
  'reward_evaluations',
  {
    id: uuid().primaryKey().defaultRandom(),
    source: rewardEvaluationSource().notNull(),
    /** Set for evaluations of a dataset's generation loop. */
    datasetId: uuid().references(() => trainingDatasets.id, { onDelete: 'cascade' }),
    conversationId: uuid().references(() => trainingConversations.id, { onDelete: 'cascade' }),
    /** Turn of the conversation (0-based count of assistant turns before the candidates). */
    turnIndex: integer(),
    /** The conversation prefix (ends with a user message). */
    prefix: jsonb().$type<TrainingMessage[]>().notNull(),
    /** What the simulated user wants: `{ taskId }` or `{ brief, targetDocument, documentType }` (copied at creation). */
    task: jsonb().$type<Record<string, unknown>>().notNull(),
    /** MR settings (window, samples, weights, λ, simulator, judge, policy) as validated. */
    settings: jsonb().$type<Record<string, unknown>>().notNull(),
    seed: text().notNull(),
    status: rewardEvaluationStatus().notNull().default('scoring'),
    error: text(),
    isDemo: boolean().notNull().default(false),
    createdById: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [unique().on(t.conversationId, t.turnIndex), index().on(t.datasetId), index().on(t.createdAt)],
);

export const rewardCandidates = pgTable(
  'reward_candidates',
  {
    id: uuid().primaryKey().defaultRandom(),
    evaluationId: uuid()
      .notNull()
      .references(() => rewardEvaluations.id, { onDelete: 'cascade' }),
    idx: integer().notNull(),
    content: text().notNull(),
    /** Where it came from: `{ kind: 'arm', armKey, model, … }` or `{ kind: 'external' }`; generation usage. */
    origin: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    /** Mean and population std of the samples' rewards, and mean of each component; null until scored. */
    mean: doublePrecision(),
    std: doublePrecision(),
    components: jsonb().$type<Record<string, number>>(),
    scoredAt: timestamp({ withTimezone: true }),
  },
  (t) => [unique().on(t.evaluationId, t.idx)],
);

export const rewardSamples = pgTable(
  'reward_samples',
  {
    id: uuid().primaryKey().defaultRandom(),
    evaluationId: uuid()
      .notNull()
      .references(() => rewardEvaluations.id, { onDelete: 'cascade' }),
    candidateId: uuid()
      .notNull()
      .references(() => rewardCandidates.id, { onDelete: 'cascade' }),
    sampleIndex: integer().notNull(),
    /** The forward window: the messages after the candidate (user, assistant, …). */
    continuation: jsonb().$type<TrainingMessage[]>().notNull(),
    /** Why the window ended: 'window' | 'terminated'. */
    endedBy: text().notNull(),
    reward: doublePrecision().notNull(),
    /** Component values and weighted terms (task metric, judge scores, tokens, penalty) and the judge's evidence. */
    components: jsonb().$type<Record<string, unknown>>().notNull(),
    usage: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique().on(t.candidateId, t.sampleIndex), index().on(t.evaluationId)],
);

export const trainingTurns = pgTable(
  'training_turns',
  {
    id: uuid().primaryKey().defaultRandom(),
    datasetId: uuid()
      .notNull()
      .references(() => trainingDatasets.id, { onDelete: 'cascade' }),
    conversationId: uuid()
      .notNull()
      .references(() => trainingConversations.id, { onDelete: 'cascade' }),
    turnIndex: integer().notNull(),
    /** Messages before the reply (ends with the user message); no system message. */
    prompt: jsonb().$type<TrainingMessage[]>().notNull(),
    evaluationId: uuid().references(() => rewardEvaluations.id, { onDelete: 'set null' }),
    /** The reply kept in the history (best MR, or the study's reply). */
    chosenCandidateId: uuid().references(() => rewardCandidates.id, { onDelete: 'set null' }),
    completion: text().notNull(),
    /** The preference pair (lowest MR) when the gap reaches the dataset's minimum; null otherwise. */
    rejectedCandidateId: uuid().references(() => rewardCandidates.id, { onDelete: 'set null' }),
    rejectedCompletion: text(),
    chosenMr: doublePrecision(),
    rejectedMr: doublePrecision(),
    /** Human study: ratings given at this turn (periodic) and any per-message details. */
    ratings: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique().on(t.conversationId, t.turnIndex), index().on(t.datasetId)],
);
