import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * An OpenAI-compatible endpoint (OpenAI, Azure, vLLM, Ollama, OpenRouter…).
 * The API key is encrypted at rest (AES-256-GCM, key derived from AUTH_SECRET) and never leaves the server.
 */
export const llmConnections = pgTable('llm_connections', {
  id: uuid().primaryKey().defaultRandom(),
  name: text().notNull().unique(),
  baseUrl: text().notNull(),
  apiKeyEncrypted: text(),
  defaultModel: text().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date()),
});
