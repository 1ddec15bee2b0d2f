/**
 * Ending a user's sessions. Every session JWT carries the user's `session_version` from sign-in, and every
 * request compares it with the row (server/auth/session.ts), so bumping the version ends all browser sessions
 * of that user at once, on every web process, with no session table to keep.
 *
 * When sessions end:        sign out everywhere, own password change, password reset by an admin, role change, disable.
 * When API tokens are revoked: own password change, password reset by an admin, disable (a changed password means the
 * old one may have leaked, and so may tokens made with it). Sign out everywhere and role changes keep tokens: they are
 * revoked one by one in Settings → API tokens, and a token acts with the user's current role anyway.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import { schema, type Tx } from '../../db';
import { requireRole } from '../auth/roles';
import { recordAudit } from '../services/audit';
import type { ServiceContext } from '../services/context';

/** Ends every browser session of the user (inside the caller's transaction). */
export async function bumpSessionVersion(tx: Tx, userId: string): Promise<void> {
  await tx
    .update(schema.users)
    .set({ sessionVersion: sql`${schema.users.sessionVersion} + 1` })
    .where(eq(schema.users.id, userId));
}

/** Revokes every active API token of the user; returns how many. */
export async function revokeAllApiTokens(tx: Tx, userId: string): Promise<number> {
  const revoked = await tx
    .update(schema.apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(schema.apiTokens.userId, userId), isNull(schema.apiTokens.revokedAt)))
    .returning({ id: schema.apiTokens.id });
  return revoked.length;
}

/** "Sign out everywhere" in Settings: ends all of the caller's browser sessions, this one included. */
export async function signOutEverywhere(ctx: ServiceContext): Promise<void> {
  const actor = requireRole(ctx.actor, 'viewer');
  await ctx.db.transaction(async (tx) => {
    await bumpSessionVersion(tx, actor.id);
    await recordAudit(tx, { actorUserId: actor.id, action: 'user.signed_out_everywhere', targetType: 'user', targetId: actor.id });
  });
}
