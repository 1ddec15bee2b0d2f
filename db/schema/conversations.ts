import { sql } from 'drizzle-orm';
import {
  boolean,
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
import { participants } from './participants';

/** One table for human study chats, simulated benchmark chats and training data. */
export const conversationKind = pgEnum('conversation_kind', ['participant', 'simulation', 'training']);
export const messageRole = pgEnum('message_role', ['system', 'user', 'assistant']);
export const messageStatus = pgEnum('message_status', ['complete', 'generating', 'failed', 'interrupted']);

export const conversations = pgTable(
  'conversations',
  {
    id: uuid().primaryKey().defaultRandom(),
    kind: conversationKind().notNull(),
    participantId: uuid().references(() => participants.id, { onDelete: 'cascade' }),
    /** Arm (study) or benchmark arm key. */
    armKey: text(),
    /** Snapshot of what generated the assistant side: connection id, model, prompt hash, params, demo flag. */
    assistantConfig: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    /** Simulation provenance (persona, prompt version, seed) or training-data metadata. */
    metadata: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('conversations_participant_uq')
      .on(t.participantId)
      .where(sql`${t.participantId} is not null`),
  ],
);

export const messages = pgTable(
  'messages',
  {
    id: uuid().primaryKey().defaultRandom(),
    conversationId: uuid()
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    seq: integer().notNull(),
    role: messageRole().notNull(),
    content: text().notNull(),
    status: messageStatus().notNull().default('complete'),
    /** Client-generated id so a resent message is stored once. */
    clientMessageId: text(),
    model: text(),
    isDemoModel: boolean().notNull().default(false),
    promptTokens: integer(),
    completionTokens: integer(),
    /** Time to first token and total generation time, in ms (assistant messages). */
    ttftMs: integer(),
    generationMs: integer(),
    attempts: integer().notNull().default(0),
    /**
     * Template-mode arms: the reply's JSON (every field), raw text and parse retries; `content` holds only the
     * shown field. Researchers' data; never selected for a participant.
     */
    structuredOutput: jsonb().$type<Record<string, unknown>>(),
    /**
     * The web process generating this reply (`web_processes.id`, no foreign key: rows of dead processes are
     * pruned). Only that process writes the reply; when it stops beating the reply is marked interrupted.
     */
    ownerProcessId: uuid(),
    error: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex().on(t.conversationId, t.seq),
    uniqueIndex('messages_client_id_uq')
      .on(t.conversationId, t.clientMessageId)
      .where(sql`${t.clientMessageId} is not null`),
    index().on(t.status),
  ],
);
