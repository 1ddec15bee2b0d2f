/**
 * Personal API tokens for scripts (`Authorization: Bearer cst_…`). The full token is returned once
 * at creation; only its SHA-256 hash is stored (a token is 256 random bits, so a slow hash adds nothing).
 */
import crypto from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { z } from 'zod';
import { schema } from '../../db';
import { sha256 } from '../lib/secret';
import { recordAudit } from '../services/audit';
import type { ServiceContext } from '../services/context';
import { notFound, tooManyRequests } from '../services/errors';
import { requireRole } from './roles';
import { API_TOKEN_PREFIX } from './session';

import type { createTokenInput, revokeTokenInput } from './token-schemas';

export { createTokenInput, revokeTokenInput } from './token-schemas';

/** Active tokens per user; enough for scripts, small enough that a leaked session cannot mint thousands. */
export const MAX_ACTIVE_TOKENS = 20;

export interface ApiTokenSummary {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export function generateApiToken(): string {
  return `${API_TOKEN_PREFIX}${crypto.randomBytes(32).toString('base64url')}`;
}

export async function listApiTokens(ctx: ServiceContext): Promise<ApiTokenSummary[]> {
  const actor = requireRole(ctx.actor, 'viewer');
  const t = schema.apiTokens;
  return ctx.db
    .select({ id: t.id, name: t.name, prefix: t.prefix, createdAt: t.createdAt, lastUsedAt: t.lastUsedAt, revokedAt: t.revokedAt })
    .from(t)
    .where(eq(t.userId, actor.id))
    .orderBy(desc(t.createdAt));
}

export async function createApiToken(
  ctx: ServiceContext,
  input: z.infer<typeof createTokenInput>,
): Promise<{ token: string; summary: ApiTokenSummary }> {
  const actor = requireRole(ctx.actor, 'viewer');
  const token = generateApiToken();
  return ctx.db.transaction(async (tx) => {
    // Lock the user's row first: concurrent creations then count one after another, so the cap holds
    // (counting alone under READ COMMITTED let every concurrent request see the same count and insert).
    await tx.select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.id, actor.id)).for('no key update');
    const active = await tx
      .select({ id: schema.apiTokens.id })
      .from(schema.apiTokens)
      .where(and(eq(schema.apiTokens.userId, actor.id), isNull(schema.apiTokens.revokedAt)));
    if (active.length >= MAX_ACTIVE_TOKENS)
      throw tooManyRequests(`You already have ${MAX_ACTIVE_TOKENS} active tokens. Revoke one you no longer use first.`);
    const [row] = await tx
      .insert(schema.apiTokens)
      .values({ userId: actor.id, name: input.name, tokenHash: sha256(token), prefix: token.slice(0, API_TOKEN_PREFIX.length + 6) })
      .returning();
    await recordAudit(tx, { actorUserId: actor.id, action: 'token.created', targetType: 'api_token', targetId: row!.id, details: { name: input.name } });
    const { id, name, prefix, createdAt, lastUsedAt, revokedAt } = row!;
    return { token, summary: { id, name, prefix, createdAt, lastUsedAt, revokedAt } };
  });
}

/** Revokes one of the caller's own tokens; revoking twice is harmless. */
export async function revokeApiToken(ctx: ServiceContext, input: z.infer<typeof revokeTokenInput>): Promise<void> {
  const actor = requireRole(ctx.actor, 'viewer');
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(schema.apiTokens)
      .where(and(eq(schema.apiTokens.id, input.tokenId), eq(schema.apiTokens.userId, actor.id)));
    if (!row) throw notFound('The token');
    if (row.revokedAt) return;
    await tx.update(schema.apiTokens).set({ revokedAt: new Date() }).where(eq(schema.apiTokens.id, row.id));
    await recordAudit(tx, { actorUserId: actor.id, action: 'token.revoked', targetType: 'api_token', targetId: row.id, details: { name: row.name } });
  });
}
