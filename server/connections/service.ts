/**
 * LLM connections (admins): OpenAI-compatible endpoints that study arms and benchmarks use.
 * The API key is encrypted at rest and never returned: outputs carry only whether a key is set
 * and, for long keys, its last four characters. Keys are never logged or written to the audit log.
 */
import { eq, or, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { DbExecutor } from '../../db';
import { schema } from '../../db';
import { requireRole } from '../auth/roles';
import { decryptSecret, encryptSecret } from '../lib/secret';
import { testConnection, type ConnectionTestResult } from '../llm/resolve';
import { recordAudit } from '../services/audit';
import type { ServiceContext } from '../services/context';
import { conflict, notFound } from '../services/errors';
import type { createConnectionInput, testConnectionInput, updateConnectionInput } from './schemas';

export interface ConnectionSummary {
  id: string;
  name: string;
  baseUrl: string;
  defaultModel: string;
  hasKey: boolean;
  /** Last four characters of a key of 12+ characters ("…wxyz"); null otherwise. */
  keyHint: string | null;
  /** The stored key cannot be decrypted (AUTH_SECRET changed); it must be entered again. */
  keyUnreadable: boolean;
  createdAt: Date;
  updatedAt: Date;
}

type ConnectionRow = typeof schema.llmConnections.$inferSelect;

/** Short keys would be mostly revealed by four characters, so they get no hint at all. */
export function keyHint(key: string): string | null {
  return key.length >= 12 ? `…${key.slice(-4)}` : null;
}

function summarize(row: ConnectionRow): ConnectionSummary {
  let hint: string | null = null;
  let unreadable = false;
  if (row.apiKeyEncrypted) {
    try {
      hint = keyHint(decryptSecret(row.apiKeyEncrypted));
    } catch {
      unreadable = true;
    }
  }
  return {
    id: row.id,
    name: row.name,
    baseUrl: row.baseUrl,
    defaultModel: row.defaultModel,
    hasKey: row.apiKeyEncrypted !== null,
    keyHint: hint,
    keyUnreadable: unreadable,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

const normalizeBaseUrl = (url: string) => url.trim().replace(/\/+$/, '');

export async function listConnections(ctx: ServiceContext): Promise<ConnectionSummary[]> {
  requireRole(ctx.actor, 'admin');
  const rows = await ctx.db.select().from(schema.llmConnections).orderBy(schema.llmConnections.name);
  return rows.map(summarize);
}

export async function getConnection(ctx: ServiceContext, connectionId: string): Promise<ConnectionSummary> {
  requireRole(ctx.actor, 'admin');
  const [row] = await ctx.db.select().from(schema.llmConnections).where(eq(schema.llmConnections.id, connectionId));
  if (!row) throw notFound('The connection');
  return summarize(row);
}

export async function createConnection(ctx: ServiceContext, input: z.infer<typeof createConnectionInput>): Promise<ConnectionSummary> {
  const actor = requireRole(ctx.actor, 'admin');
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(schema.llmConnections)
      .values({
        name: input.name,
        baseUrl: normalizeBaseUrl(input.baseUrl),
        defaultModel: input.defaultModel,
        apiKeyEncrypted: input.apiKey ? encryptSecret(input.apiKey) : null,
      })
      .onConflictDoNothing({ target: schema.llmConnections.name })
      .returning();
    if (!row) throw conflict(`A connection named "${input.name}" already exists.`);
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: 'connection.created',
      targetType: 'llm_connection',
      targetId: row.id,
      details: { name: row.name, baseUrl: row.baseUrl, defaultModel: row.defaultModel, hasKey: row.apiKeyEncrypted !== null },
    });
    return summarize(row);
  });
}

export async function updateConnection(ctx: ServiceContext, input: z.infer<typeof updateConnectionInput>): Promise<ConnectionSummary> {
  const actor = requireRole(ctx.actor, 'admin');
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(schema.llmConnections)
      .where(eq(schema.llmConnections.id, input.connectionId))
      .for('update');
    if (!before) throw notFound('The connection');
    const apiKeyEncrypted = input.apiKey ? encryptSecret(input.apiKey) : input.clearKey ? null : before.apiKeyEncrypted;
    const [clash] = await tx
      .select({ id: schema.llmConnections.id })
      .from(schema.llmConnections)
      .where(eq(schema.llmConnections.name, input.name));
    if (clash && clash.id !== before.id) throw conflict(`A connection named "${input.name}" already exists.`);
    const [row] = await tx
      .update(schema.llmConnections)
      .set({ name: input.name, baseUrl: normalizeBaseUrl(input.baseUrl), defaultModel: input.defaultModel, apiKeyEncrypted })
      .where(eq(schema.llmConnections.id, before.id))
      .returning();
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: 'connection.updated',
      targetType: 'llm_connection',
      targetId: before.id,
      details: {
        name: row!.name,
        changed: {
          name: before.name !== row!.name,
          baseUrl: before.baseUrl !== row!.baseUrl,
          defaultModel: before.defaultModel !== row!.defaultModel,
          key: input.apiKey ? 'replaced' : input.clearKey && before.apiKeyEncrypted ? 'removed' : 'unchanged',
        },
      },
    });
    return summarize(row!);
  });
}

/** Studies whose draft or any frozen version points an arm at this connection. */
export async function studiesUsingConnection(db: DbExecutor, connectionId: string): Promise<{ id: string; name: string }[]> {
  const needle = JSON.stringify([{ connectionId }]);
  const fromVersions = db
    .select({ studyId: schema.studyVersions.studyId })
    .from(schema.studyVersions)
    .where(sql`${schema.studyVersions.config}->'arms' @> ${needle}::jsonb`);
  return db
    .select({ id: schema.studies.id, name: schema.studies.name })
    .from(schema.studies)
    .where(
      or(sql`${schema.studies.draftConfig}->'arms' @> ${needle}::jsonb`, sql`${schema.studies.id} in (${fromVersions})`),
    );
}

/** Deletes an unused connection; one that any study uses (even in an old version) is kept for the record. */
export async function deleteConnection(ctx: ServiceContext, input: { connectionId: string }): Promise<void> {
  const actor = requireRole(ctx.actor, 'admin');
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(schema.llmConnections)
      .where(eq(schema.llmConnections.id, input.connectionId))
      .for('update');
    if (!row) throw notFound('The connection');
    const users = await studiesUsingConnection(tx, row.id);
    if (users.length)
      throw conflict(`"${row.name}" is used by ${users.map((s) => `"${s.name}"`).join(', ')}. Change those arms first.`);
    await tx.delete(schema.llmConnections).where(eq(schema.llmConnections.id, row.id));
    await recordAudit(tx, { actorUserId: actor.id, action: 'connection.deleted', targetType: 'llm_connection', targetId: row.id, details: { name: row.name } });
  });
}

/**
 * Sends one tiny request with the given settings. Without a new key, the saved connection's key
 * is used, so an admin can re-test without ever seeing the stored key.
 */
export async function testConnectionSettings(ctx: ServiceContext, input: z.infer<typeof testConnectionInput>): Promise<ConnectionTestResult> {
  requireRole(ctx.actor, 'admin');
  let apiKey: string | null = input.apiKey ?? null;
  if (!apiKey && input.connectionId) {
    const [row] = await ctx.db.select().from(schema.llmConnections).where(eq(schema.llmConnections.id, input.connectionId));
    if (!row) throw notFound('The connection');
    if (row.apiKeyEncrypted) {
      try {
        apiKey = decryptSecret(row.apiKeyEncrypted);
      } catch {
        return { ok: false, latencyMs: 0, error: 'The stored key cannot be decrypted (was AUTH_SECRET changed?). Enter the key again.' };
      }
    }
  }
  return testConnection({ baseUrl: normalizeBaseUrl(input.baseUrl), apiKey }, input.model);
}
