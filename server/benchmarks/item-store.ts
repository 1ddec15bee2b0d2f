/**
 * The two state changes of a benchmark item attempt, each one SQL statement (data-modifying CTEs), so each
 * is atomic on its own and costs one round trip. As interactive transactions they took five round trips
 * each (begin, lock, write, write, commit); a worker runs dozens of items at once on one event loop, and
 * every round trip waits behind the other conversations' work, so these two were the largest share of a
 * slot's time outside the model calls (see bench/README.md, benchmark-runs).
 *
 * Written in SQL rather than the query builder because Drizzle cannot express an insert that selects from
 * another CTE together with JSON-recordset input; column names are the physical (snake_case) ones, and
 * item-store.int.test.ts checks both statements against the schema.
 */
import { sql } from 'drizzle-orm';
import type { DbExecutor } from '../../db';
import { benchmarkItems, benchmarkScores, conversations, messages } from '../../db/schema';
import type { MetricValue } from './metrics';
import { leaseHeld, type JobLease } from '../jobs/queue';

/** The job attempt's fence (server/jobs): when given, a write lands only while that attempt still holds its job. */
const fenced = (lease: JobLease | undefined) => (lease ? sql`and ${leaseHeld(lease)}` : sql``);

export interface ClaimAttemptInput {
  itemId: string;
  armKey: string;
  assistantConfig: Record<string, unknown>;
  /** Conversation metadata; `attempt` (the item's attempt count after this claim) is added here. */
  metadata: Record<string, unknown>;
  lease?: JobLease;
}

/**
 * Starts an attempt: unless the item is completed or cancelled, locks it, counts the attempt, gives it a new
 * conversation and deletes the previous attempt's conversation (with its messages) and scores. Returns the
 * new conversation's id, or null when the item must not run. Two concurrent claims serialize on the row
 * lock; the second sees the first's conversation as "previous" and replaces it, so one conversation remains.
 */
export async function claimItemAttempt(db: DbExecutor, input: ClaimAttemptInput): Promise<string | null> {
  const rows = await db.execute<{ conversation_id: string }>(sql`
    with locked as (
      select id, conversation_id, attempts from ${benchmarkItems}
      where id = ${input.itemId} and status not in ('completed', 'cancelled') ${fenced(input.lease)}
      for update
    ), conv as (
      insert into ${conversations} (kind, arm_key, assistant_config, metadata)
      select 'simulation', ${input.armKey}, ${JSON.stringify(input.assistantConfig)}::jsonb,
             ${JSON.stringify(input.metadata)}::jsonb || jsonb_build_object('attempt', locked.attempts + 1)
      from locked
      returning id
    ), claimed as (
      update ${benchmarkItems} as item
      set status = 'running', attempts = item.attempts + 1, conversation_id = conv.id, final_document = null,
          error = null, failure = null, started_at = now(), finished_at = null
      from conv
      where item.id = ${input.itemId}
      returning item.id
    ), previous_conversation as (
      delete from ${conversations} where id = (select conversation_id from locked)
    ), previous_scores as (
      delete from ${benchmarkScores} where item_id = (select id from locked)
    )
    select conv.id as conversation_id from conv, claimed`);
  return rowsOf<{ conversation_id: string }>(rows)[0]?.conversation_id ?? null;
}

/** A stored transcript message (role user: the simulated user; assistant: the arm). */
export interface TranscriptRow {
  seq: number;
  role: 'user' | 'assistant';
  content: string;
  model: string | null;
  isDemoModel: boolean;
  promptTokens: number | null;
  completionTokens: number | null;
  generationMs: number | null;
  attempts: number;
  /** Template-mode arm replies: the JSON's fields and raw text (content is the shown field). */
  structuredOutput?: Record<string, unknown> | null;
  completedAt: Date;
}

export interface CompleteAttemptInput {
  itemId: string;
  conversationId: string;
  judgeLabel: string;
  finalDocument: string;
  scores: MetricValue[];
  /** Merged into the conversation's metadata (end reason, turns, usage). */
  conversationMetadata: Record<string, unknown>;
  messages: TranscriptRow[];
  lease?: JobLease;
}

/**
 * Completes an attempt with its transcript and scores, only if it is still the item's running attempt (another worker may
 * have taken the item over after a lost lease, or the run was cancelled). Returns whether it did.
 */
export async function completeItemAttempt(db: DbExecutor, input: CompleteAttemptInput): Promise<boolean> {
  const scores = input.scores.map((s) => ({
    metric: s.metric,
    value: s.value,
    rationale: s.rationale ?? null,
    details: s.details ?? null,
  }));
  const transcript = input.messages.map((m) => ({
    seq: m.seq,
    role: m.role,
    content: m.content,
    model: m.model,
    is_demo_model: m.isDemoModel,
    prompt_tokens: m.promptTokens,
    completion_tokens: m.completionTokens,
    generation_ms: m.generationMs,
    attempts: m.attempts,
    structured_output: m.structuredOutput ?? null,
    completed_at: m.completedAt.toISOString(),
  }));
  const rows = await db.execute<{ completed: number }>(sql`
    with completed as (
      update ${benchmarkItems}
      set status = 'completed', final_document = ${input.finalDocument}, finished_at = now(), error = null
      where id = ${input.itemId} and status = 'running' and conversation_id = ${input.conversationId} ${fenced(input.lease)}
      returning id
    ), scores as (
      insert into ${benchmarkScores} (item_id, judge, metric, value, rationale, details)
      select completed.id, ${input.judgeLabel}, s.metric, s.value, s.rationale, s.details
      from completed, jsonb_to_recordset(${JSON.stringify(scores)}::jsonb)
        as s(metric text, value double precision, rationale text, details jsonb)
    ), transcript as (
      insert into ${messages} (conversation_id, seq, role, content, status, model, is_demo_model, prompt_tokens,
                               completion_tokens, generation_ms, attempts, structured_output, completed_at)
      select ${input.conversationId}, m.seq, m.role::message_role, m.content, 'complete', m.model, m.is_demo_model,
             m.prompt_tokens, m.completion_tokens, m.generation_ms, m.attempts, m.structured_output, m.completed_at
      from completed, jsonb_to_recordset(${JSON.stringify(transcript)}::jsonb)
        as m(seq integer, role text, content text, model text, is_demo_model boolean, prompt_tokens integer,
             completion_tokens integer, generation_ms integer, attempts integer, structured_output jsonb,
             completed_at timestamptz)
    ), conversation as (
      update ${conversations} set metadata = metadata || ${JSON.stringify(input.conversationMetadata)}::jsonb
      where id = ${input.conversationId} and exists (select 1 from completed)
    )
    select count(*)::int as completed from completed`);
  return (rowsOf<{ completed: number }>(rows)[0]?.completed ?? 0) > 0;
}

/** postgres-js returns the rows themselves, PGlite an object with `rows`. */
function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : ((result as { rows?: T[] }).rows ?? [])) as T[];
}
