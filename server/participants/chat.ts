/**
 * The chat step: participant messages (stored before they are acknowledged, idempotent by clientMessageId),
 * assistant replies (started in the generation hub, detached from the request), periodic ratings,
 * retries after a failed reply, and the working document's drafts.
 */
import { and, asc, count, desc, eq, inArray } from 'drizzle-orm';
import type { Database, DbExecutor } from '../../db';
import { schema } from '../../db';
import { resolveArmTarget, withSystemPrompt } from '../llm/resolve';
import type { ChatMessage } from '../llm/types';
import type { StudyConfig } from '../studies/config';
import { ServiceError } from '../services/errors';
import type { ParticipantRow } from './identity';
import { startGeneration } from './generation-hub';
import { assertStage, enforceTimeLimit, loadVersionConfig } from './session';

export const MAX_DRAFT_CHARS = 100_000;
/** Autosave is debounced in the browser; this only stops a runaway client from filling the table. */
const MAX_DRAFTS_PER_PARTICIPANT = 5_000;

export interface ChatProgress {
  conversationId: string | null;
  turnsCompleted: number;
  userMessages: number;
  generating: boolean;
  /** The rating due now ("after turn N"), or null. */
  pendingRatingAfterTurn: number | null;
  lastAssistant: { id: string; status: string } | null;
}

export async function conversationIdOf(db: DbExecutor, participantId: string): Promise<string | null> {
  const [row] = await db
    .select({ id: schema.conversations.id })
    .from(schema.conversations)
    .where(eq(schema.conversations.participantId, participantId));
  return row?.id ?? null;
}

interface MessageFacts {
  id: string;
  role: 'system' | 'user' | 'assistant';
  status: 'complete' | 'generating' | 'failed' | 'interrupted';
}

/** Turn counts and the rating due, from the conversation's messages (in seq order). */
async function progressFrom(db: DbExecutor, participantId: string, conversationId: string | null, rows: MessageFacts[], config: StudyConfig): Promise<ChatProgress> {
  const turnsCompleted = rows.filter((m) => m.role === 'assistant' && m.status === 'complete').length;
  const userMessages = rows.filter((m) => m.role === 'user').length;
  const lastAssistantRow = [...rows].reverse().find((m) => m.role === 'assistant');
  const dueAfter = Math.floor(turnsCompleted / config.ratingInterval) * config.ratingInterval;
  let pendingRatingAfterTurn: number | null = null;
  if (dueAfter >= config.ratingInterval) {
    const [rated] = await db
      .select({ id: schema.ratings.id })
      .from(schema.ratings)
      .where(and(eq(schema.ratings.participantId, participantId), eq(schema.ratings.afterTurn, dueAfter)));
    if (!rated) pendingRatingAfterTurn = dueAfter;
  }
  return {
    conversationId,
    turnsCompleted,
    userMessages,
    generating: rows.some((m) => m.status === 'generating'),
    pendingRatingAfterTurn,
    lastAssistant: lastAssistantRow ? { id: lastAssistantRow.id, status: lastAssistantRow.status } : null,
  };
}

export async function chatProgress(db: DbExecutor, participantId: string, config: StudyConfig): Promise<ChatProgress> {
  const conversationId = await conversationIdOf(db, participantId);
  if (!conversationId) return progressFrom(db, participantId, null, [], config);
  const rows = await db
    .select({ id: schema.messages.id, role: schema.messages.role, status: schema.messages.status })
    .from(schema.messages)
    .where(eq(schema.messages.conversationId, conversationId))
    .orderBy(asc(schema.messages.seq));
  return progressFrom(db, participantId, conversationId, rows, config);
}

/** The model's view of the chat: completed turns only (the caller adds the arm's system prompt). Topic answers never go in. */
function modelHistory(rows: { role: string; content: string; status: string }[]): ChatMessage[] {
  const history: ChatMessage[] = [];
  for (const row of rows) {
    if (row.role === 'user') history.push({ role: 'user', content: row.content });
    else if (row.role === 'assistant' && row.status === 'complete') history.push({ role: 'assistant', content: row.content });
  }
  return history;
}

async function loadModelHistory(db: DbExecutor, conversationId: string): Promise<ChatMessage[]> {
  const rows = await db
    .select({ role: schema.messages.role, content: schema.messages.content, status: schema.messages.status })
    .from(schema.messages)
    .where(eq(schema.messages.conversationId, conversationId))
    .orderBy(asc(schema.messages.seq));
  return modelHistory(rows);
}

function armOf(participant: ParticipantRow, config: StudyConfig) {
  const arm = config.arms.find((a) => a.key === participant.armKey);
  if (!arm) throw new Error(`participant ${participant.id} has no arm in its study version`);
  return arm;
}

export interface SendResult {
  userMessageId: string;
  assistantMessageId: string;
  /** True when this clientMessageId was already stored (a resend); nothing new was started. */
  duplicate: boolean;
}

export async function sendMessage(
  db: Database,
  participant: ParticipantRow,
  input: { clientMessageId: string; content: string; now?: Date },
): Promise<SendResult> {
  const now = input.now ?? new Date();
  const config = await loadVersionConfig(db, participant.studyVersionId);
  if (await enforceTimeLimit(db, participant, config, now))
    throw new ServiceError('PRECONDITION_FAILED', 'The time for this study is up. Please reload the page.');
  const content = input.content.trim();
  // Resolving the endpoint does not depend on the transaction; overlapping them shortens time to first token.
  const arm = participant.armKey ? armOf(participant, config) : null;
  const targetPromise = arm ? resolveArmTarget(db, arm) : null;
  targetPromise?.catch(() => {}); // awaited (and reported) below; never an unhandled rejection

  // Few round trips on purpose: this transaction sits between Send and the model call.
  const result = await db.transaction(async (tx) => {
    // Locking the participant serializes sends from several tabs.
    const [locked] = await tx
      .select({ participant: schema.participants, conversationId: schema.conversations.id })
      .from(schema.participants)
      .leftJoin(schema.conversations, eq(schema.conversations.participantId, schema.participants.id))
      .where(eq(schema.participants.id, participant.id))
      .for('update', { of: schema.participants });
    if (!locked) throw new ServiceError('NOT_FOUND', 'Your session was not found.');
    const current = locked.participant;
    const conversationId = locked.conversationId;
    if (!conversationId) throw new ServiceError('CONFLICT', 'Please reload the page to continue.');

    const rows = await tx
      .select({
        id: schema.messages.id,
        seq: schema.messages.seq,
        role: schema.messages.role,
        status: schema.messages.status,
        content: schema.messages.content,
        clientMessageId: schema.messages.clientMessageId,
        createdAt: schema.messages.createdAt,
      })
      .from(schema.messages)
      .where(eq(schema.messages.conversationId, conversationId))
      .orderBy(asc(schema.messages.seq));
    const existing = rows.find((m) => m.clientMessageId === input.clientMessageId);
    if (existing) {
      const reply = rows.find((m) => m.seq === existing.seq + 1);
      return { userMessageId: existing.id, assistantMessageId: reply?.id ?? '', duplicate: true as const, conversationId, history: [] };
    }

    assertStage(current, 'chat');
    if (!content) throw new ServiceError('BAD_REQUEST', 'Please write a message first.');
    if (content.length > config.maxMessageChars)
      throw new ServiceError('BAD_REQUEST', `Messages can be at most ${config.maxMessageChars} characters (yours has ${content.length}).`);
    const progress = await progressFrom(tx, current.id, conversationId, rows, config);
    if (progress.generating) throw new ServiceError('CONFLICT', 'Please wait until the assistant has finished replying.');
    if (progress.lastAssistant && progress.lastAssistant.status !== 'complete')
      throw new ServiceError('CONFLICT', 'The last reply did not arrive. Please use "Try again" first.');
    if (progress.pendingRatingAfterTurn !== null)
      throw new ServiceError('PRECONDITION_FAILED', 'Please rate your experience so far before continuing.');
    if (progress.userMessages >= config.maxTurns)
      throw new ServiceError('PRECONDITION_FAILED', `You have reached the limit of ${config.maxTurns} turns. Please finish the chat.`);
    const minuteAgo = now.getTime() - 60_000;
    const recent = rows.filter((m) => m.role === 'user' && m.createdAt.getTime() > minuteAgo).length;
    if (recent >= config.messagesPerMinute)
      throw new ServiceError('TOO_MANY_REQUESTS', 'You are sending messages very quickly. Please wait a moment and try again.');

    const seq = (rows.at(-1)?.seq ?? 0) + 1;
    const inserted = await tx
      .insert(schema.messages)
      .values([
        { conversationId, seq, role: 'user', content, clientMessageId: input.clientMessageId, createdAt: now, completedAt: now },
        { conversationId, seq: seq + 1, role: 'assistant', content: '', status: 'generating', createdAt: now },
      ])
      .returning({ id: schema.messages.id, role: schema.messages.role });
    const userMessageId = inserted.find((m) => m.role === 'user')!.id;
    const assistantMessageId = inserted.find((m) => m.role === 'assistant')!.id;
    const history = modelHistory([...rows, { role: 'user', content, status: 'complete' }]);
    return { userMessageId, assistantMessageId, duplicate: false as const, conversationId, history };
  });

  if (!result.duplicate) {
    try {
      if (!arm || !targetPromise) throw new Error(`participant ${participant.id} has no arm`);
      const target = await targetPromise;
      startGeneration(db, { messageId: result.assistantMessageId, target, messages: withSystemPrompt(arm.systemPrompt, result.history) });
    } catch (error) {
      await markNotStarted(db, result.assistantMessageId, error);
    }
  }
  return { userMessageId: result.userMessageId, assistantMessageId: result.assistantMessageId, duplicate: result.duplicate };
}

async function markNotStarted(db: Database, messageId: string, error: unknown) {
  await db
    .update(schema.messages)
    .set({ status: 'failed', error: String((error as Error)?.message ?? error).slice(0, 2000), completedAt: new Date() })
    .where(eq(schema.messages.id, messageId));
}

/** If the reply cannot even start (e.g. a deleted connection), the row says so and the UI offers a retry. */
async function startReplyOrFail(db: Database, participant: ParticipantRow, config: StudyConfig, conversationId: string, messageId: string) {
  try {
    const arm = armOf(participant, config);
    const [target, history] = await Promise.all([resolveArmTarget(db, arm), loadModelHistory(db, conversationId)]);
    startGeneration(db, { messageId, target, messages: withSystemPrompt(arm.systemPrompt, history) });
  } catch (error) {
    await markNotStarted(db, messageId, error);
  }
}

export async function retryReply(db: Database, participant: ParticipantRow, input: { messageId: string; now?: Date }): Promise<void> {
  const now = input.now ?? new Date();
  const config = await loadVersionConfig(db, participant.studyVersionId);
  if (await enforceTimeLimit(db, participant, config, now))
    throw new ServiceError('PRECONDITION_FAILED', 'The time for this study is up. Please reload the page.');
  const conversationId = await db.transaction(async (tx) => {
    const [current] = await tx.select().from(schema.participants).where(eq(schema.participants.id, participant.id)).for('update');
    if (!current) throw new ServiceError('NOT_FOUND', 'Your session was not found.');
    assertStage(current, 'chat');
    const conversationId = await conversationIdOf(tx, current.id);
    // Scoped to the caller's own conversation: another participant's message id is simply "not found".
    const [message] = conversationId
      ? await tx
          .select()
          .from(schema.messages)
          .where(and(eq(schema.messages.id, input.messageId), eq(schema.messages.conversationId, conversationId)))
      : [];
    if (!message || message.role !== 'assistant') throw new ServiceError('NOT_FOUND', 'That reply was not found.');
    if (message.status === 'generating' || message.status === 'complete') return null; // already retried
    await tx
      .update(schema.messages)
      .set({ status: 'generating', content: '', error: null, completedAt: null })
      .where(eq(schema.messages.id, message.id));
    return conversationId;
  });
  if (conversationId) await startReplyOrFail(db, participant, config, conversationId, input.messageId);
}

/** Throws unless `messageId` is an assistant message of the caller's own conversation. */
export async function assertOwnAssistantMessage(db: DbExecutor, participantId: string, messageId: string): Promise<void> {
  const [message] = await db
    .select({ id: schema.messages.id })
    .from(schema.messages)
    .innerJoin(schema.conversations, eq(schema.conversations.id, schema.messages.conversationId))
    .where(
      and(
        eq(schema.messages.id, messageId),
        eq(schema.conversations.participantId, participantId),
        eq(schema.messages.role, 'assistant'),
      ),
    );
  if (!message) throw new ServiceError('NOT_FOUND', 'That reply was not found.');
}

export async function submitRating(
  db: Database,
  participant: ParticipantRow,
  input: { afterTurn: number; value: number; now?: Date },
): Promise<void> {
  const now = input.now ?? new Date();
  const config = await loadVersionConfig(db, participant.studyVersionId);
  if (await enforceTimeLimit(db, participant, config, now)) return;
  assertStage(participant, 'chat');
  const progress = await chatProgress(db, participant.id, config);
  if (progress.pendingRatingAfterTurn !== input.afterTurn) {
    const [already] = await db
      .select({ id: schema.ratings.id })
      .from(schema.ratings)
      .where(and(eq(schema.ratings.participantId, participant.id), eq(schema.ratings.afterTurn, input.afterTurn)));
    if (already) return;
    throw new ServiceError('CONFLICT', 'No rating is due right now. Please reload the page.');
  }
  await db
    .insert(schema.ratings)
    .values({ participantId: participant.id, afterTurn: input.afterTurn, value: input.value, createdAt: now })
    .onConflictDoNothing();
}

export async function saveDraft(
  db: Database,
  participant: ParticipantRow,
  input: { content: string; source: 'edit' | 'use_message'; sourceMessageId?: string | null; now?: Date },
): Promise<{ saved: boolean }> {
  const now = input.now ?? new Date();
  if (participant.stage !== 'chat' || participant.outcome)
    throw new ServiceError('PRECONDITION_FAILED', 'The document can only be edited during the chat.');
  if (input.content.length > MAX_DRAFT_CHARS)
    throw new ServiceError('BAD_REQUEST', `The document can be at most ${MAX_DRAFT_CHARS} characters.`);
  if (input.source === 'use_message') {
    if (!input.sourceMessageId) throw new ServiceError('BAD_REQUEST', 'Which reply should be used?');
    await assertOwnAssistantMessage(db, participant.id, input.sourceMessageId);
  }
  const [latest] = await db
    .select({ content: schema.documentDrafts.content })
    .from(schema.documentDrafts)
    .where(eq(schema.documentDrafts.participantId, participant.id))
    .orderBy(desc(schema.documentDrafts.createdAt))
    .limit(1);
  if (latest && latest.content === input.content) return { saved: false };
  const [total] = await db
    .select({ n: count() })
    .from(schema.documentDrafts)
    .where(eq(schema.documentDrafts.participantId, participant.id));
  if ((total?.n ?? 0) >= MAX_DRAFTS_PER_PARTICIPANT)
    throw new ServiceError('TOO_MANY_REQUESTS', 'Too many saves. Please reload the page.');
  await db.insert(schema.documentDrafts).values({
    participantId: participant.id,
    content: input.content,
    source: input.source,
    sourceMessageId: input.source === 'use_message' ? input.sourceMessageId : null,
    createdAt: now,
  });
  return { saved: true };
}

/** Messages for the participant's own screen: no model ids, usage or errors. */
export async function participantMessages(db: DbExecutor, conversationId: string) {
  return db
    .select({
      id: schema.messages.id,
      seq: schema.messages.seq,
      role: schema.messages.role,
      content: schema.messages.content,
      status: schema.messages.status,
    })
    .from(schema.messages)
    .where(and(eq(schema.messages.conversationId, conversationId), inArray(schema.messages.role, ['user', 'assistant'])))
    .orderBy(asc(schema.messages.seq));
}
