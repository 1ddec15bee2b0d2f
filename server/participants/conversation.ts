/** The conversation as read: its id, progress (turns, the rating due), the model's view of it and the participant's own view. */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { DbExecutor } from '../../db';
import { schema } from '../../db';
import type { ChatMessage } from '../llm/types';
import type { StudyConfig } from '../studies/config';

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
export async function progressFrom(db: DbExecutor, participantId: string, conversationId: string | null, rows: MessageFacts[], config: StudyConfig): Promise<ChatProgress> {
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
export function modelHistory(rows: { role: string; content: string; status: string }[]): ChatMessage[] {
  const history: ChatMessage[] = [];
  for (const row of rows) {
    if (row.role === 'user') history.push({ role: 'user', content: row.content });
    else if (row.role === 'assistant' && row.status === 'complete') history.push({ role: 'assistant', content: row.content });
  }
  return history;
}

export async function loadModelHistory(db: DbExecutor, conversationId: string): Promise<ChatMessage[]> {
  const rows = await db
    .select({ role: schema.messages.role, content: schema.messages.content, status: schema.messages.status })
    .from(schema.messages)
    .where(eq(schema.messages.conversationId, conversationId))
    .orderBy(asc(schema.messages.seq));
  return modelHistory(rows);
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
