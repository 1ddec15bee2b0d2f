import { integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Web processes serving participants on this database, each with a heartbeat (server/participants/reply-owners.ts).
 * A reply being generated names its process (`messages.owner_process_id`); a reply whose process stopped beating
 * is marked interrupted by any other process, so a restart never touches its siblings' replies.
 */
export const webProcesses = pgTable('web_processes', {
  id: uuid().primaryKey(),
  hostname: text().notNull(),
  pid: integer().notNull(),
  startedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  heartbeatAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
