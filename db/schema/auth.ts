import { index, integer, pgEnum, pgTable, text, timestamp, uuid, jsonb } from 'drizzle-orm/pg-core';

export const userRole = pgEnum('user_role', ['admin', 'researcher', 'viewer']);

export const users = pgTable('users', {
  id: uuid().primaryKey().defaultRandom(),
  email: text().notNull().unique(),
  name: text(),
  /** bcrypt hash; null for accounts that only sign in through OIDC. */
  passwordHash: text(),
  role: userRole().notNull().default('viewer'),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  disabledAt: timestamp({ withTimezone: true }),
  /**
   * Carried in every session JWT and compared on every request (server/auth/session.ts); bumping it
   * ends all of the user's browser sessions (sign out everywhere, password change or reset, role change, disable).
   */
  sessionVersion: integer().notNull().default(0),
});

/** Personal API tokens for scripts (exports with curl). Only a SHA-256 hash is stored. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    tokenHash: text().notNull().unique(),
    /** First characters of the token, shown so people can tell tokens apart. */
    prefix: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.userId)],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: uuid().primaryKey().defaultRandom(),
    actorUserId: uuid().references(() => users.id, { onDelete: 'set null' }),
    action: text().notNull(),
    targetType: text(),
    targetId: text(),
    details: jsonb().$type<Record<string, unknown>>(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.createdAt)],
);
