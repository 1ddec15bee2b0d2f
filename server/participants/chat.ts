/**
 * The chat step: participant messages (stored before they are acknowledged, idempotent by clientMessageId),
 * assistant replies (started in the generation hub, detached from the request), periodic ratings,
 * retries after a failed reply, and the working document's drafts.
 */
import { and, asc, count, desc, eq, gt, inArray } from 'drizzle-orm';
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

export async function chatProgress(db: DbExecutor, participantId: string, config: StudyConfig): Promise<ChatProgress> {
  const conversationId = await conversationIdOf(db, participantId);
  if (!conversationId)
    return { conversationId, turnsCompleted: 0, userMessages: 0, generating: false, pendingRatingAfterTurn: null, lastAssistant: null };
  const rows = await db
    .select({ id: schema.messages.id, role: schema.messages.role, status: schema.messages.status })
    .from(schema.messages)
    .where(eq(schema.messages.conversationId, conversationId))
    .orderBy(asc(schema.messages.seq));
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

/** The model's view of the chat: the arm's system prompt, then completed turns. Topic answers never go in. */
async function modelMessages(db: DbExecutor, conversationId: string, systemPrompt: string): Promise<ChatMessage[]> {
  const rows = await db
    .select({ role: schema.messages.role, content: schema.messages.content, status: schema.messages.status })
    .from(schema.messages)
    .where(eq(schema.messages.conversationId, conversationId))
    .orderBy(asc(schema.messages.seq));
  const history: ChatMessage[] = [];
  for (const row of rows) {
    if (row.role === 'user') history.push({ role: 'user', content: row.content });
    else if (row.role === 'assistant' && row.status === 'complete') history.push({ role: 'assistant', content: row.content });
  }
  return withSystemPrompt(systemPrompt, history);
}

async function startReply(db: Database, participant: ParticipantRow, config: StudyConfig, conversationId: string, messageId: string) {
  const arm = config.arms.find((a) => a.key === participant.armKey);
  if (!arm) throw new Error(`participant ${participant.id} has no arm in its study version`);
  const [target, history] = await Promise.all([
    resolveArmTarget(db, arm),
    modelMessages(db, conversationId, arm.systemPrompt),
  ]);
  startGeneration(db, { messageId, target, messages: history });
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

  const result = await db.transaction(async (tx) => {
    // Locking the participant serializes sends from several tabs.
    const [current] = await tx.select().from(schema.participants).where(eq(schema.participants.id, participant.id)).for('update');
    if (!current) throw new ServiceError('NOT_FOUND', 'Your session was not found.');
    const conversationId = await conversationIdOf(tx, current.id);
    if (!conversationId) throw new ServiceError('CONFLICT', 'Please reload the page to continue.');

    const [existing] = await tx
      .select({ id: schema.messages.id, seq: schema.messages.seq })
      .from(schema.messages)
      .where(and(eq(schema.messages.conversationId, conversationId), eq(schema.messages.clientMessageId, input.clientMessageId)));
    if (existing) {
      const [reply] = await tx
        .select({ id: schema.messages.id })
        .from(schema.messages)
        .where(and(eq(schema.messages.conversationId, conversationId), eq(schema.messages.seq, existing.seq + 1)));
      return { userMessageId: existing.id, assistantMessageId: reply?.id ?? '', duplicate: true, conversationId };
    }

    assertStage(current, 'chat');
    if (!content) throw new ServiceError('BAD_REQUEST', 'Please write a message first.');
    if (content.length > config.maxMessageChars)
      throw new ServiceError('BAD_REQUEST', `Messages can be at most ${config.maxMessageChars} characters (yours has ${content.length}).`);
    const progress = await chatProgress(tx, current.id, config);
    if (progress.generating) throw new ServiceError('CONFLICT', 'Please wait until the assistant has finished replying.');
    if (progress.lastAssistant && progress.lastAssistant.status !== 'complete')
      throw new ServiceError('CONFLICT', 'The last reply did not arrive. Please use "Try again" first.');
    if (progress.pendingRatingAfterTurn !== null)
      throw new ServiceError('PRECONDITION_FAILED', 'Please rate your experience so far before continuing.');
    if (progress.userMessages >= config.maxTurns)
      throw new ServiceError('PRECONDITION_FAILED', `You have reached the limit of ${config.maxTurns} turns. Please finish the chat.`);
    const [recent] = await tx
      .select({ n: count() })
      .from(schema.messages)
      .where(
        and(
          eq(schema.messages.conversationId, conversationId),
          eq(schema.messages.role, 'user'),
          gt(schema.messages.createdAt, new Date(now.getTime() - 60_000)),
        ),
      );
    if ((recent?.n ?? 0) >= config.messagesPerMinute)
      throw new ServiceError('TOO_MANY_REQUESTS', 'You are sending messages very quickly. Please wait a moment and try again.');

    const [last] = await tx
      .select({ seq: schema.messages.seq })
      .from(schema.messages)
      .where(eq(schema.messages.conversationId, conversationId))
      .orderBy(desc(schema.messages.seq))
      .limit(1);
    const seq = (last?.seq ?? 0) + 1;
    const [userMessage] = await tx
      .insert(schema.messages)
      .values({ conversationId, seq, role: 'user', content, clientMessageId: input.clientMessageId, createdAt: now, completedAt: now })
      .returning({ id: schema.messages.id });
    const [assistantMessage] = await tx
      .insert(schema.messages)
      .values({ conversationId, seq: seq + 1, role: 'assistant', content: '', status: 'generating', createdAt: now })
      .returning({ id: schema.messages.id });
    await tx.update(schema.participants).set({ lastSeenAt: now }).where(eq(schema.participants.id, current.id));
    return { userMessageId: userMessage!.id, assistantMessageId: assistantMessage!.id, duplicate: false, conversationId };
  });

  if (!result.duplicate) await startReplyOrFail(db, participant, config, result.conversationId, result.assistantMessageId);
  return { userMessageId: result.userMessageId, assistantMessageId: result.assistantMessageId, duplicate: result.duplicate };
}

/** If the reply cannot even start (e.g. a deleted connection), the row says so and the UI offers a retry. */
async function startReplyOrFail(db: Database, participant: ParticipantRow, config: StudyConfig, conversationId: string, messageId: string) {
  try {
    await startReply(db, participant, config, conversationId, messageId);
  } catch (error) {
    await db
      .update(schema.messages)
      .set({ status: 'failed', error: String((error as Error).message ?? error).slice(0, 2000), completedAt: new Date() })
      .where(eq(schema.messages.id, messageId));
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
  const conversationId = await conversationIdOf(db, participantId);
  const [message] = conversationId
    ? await db
        .select({ id: schema.messages.id })
        .from(schema.messages)
        .where(
          and(
            eq(schema.messages.id, messageId),
            eq(schema.messages.conversationId, conversationId),
            eq(schema.messages.role, 'assistant'),
          ),
        )
    : [];
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
