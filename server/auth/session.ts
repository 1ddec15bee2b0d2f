/**
 * Resolves who is calling: a NextAuth session cookie or a personal API token (Bearer).
 * Always re-reads the user row so disabled accounts and role changes apply immediately.
 */
import { getServerSession } from 'next-auth';
import { getToken } from 'next-auth/jwt';
import { and, eq, isNull } from 'drizzle-orm';
import { getDb, schema } from '../../db';
import { appSecret, sha256 } from '../lib/secret';
import { authOptions } from './options';
import { parseCookieHeader } from '../lib/cookies';

export type Role = (typeof schema.userRole.enumValues)[number];
export interface Actor {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  via: 'session' | 'api-token';
}

export const API_TOKEN_PREFIX = 'cst_';

/** The user as an actor, or null when unknown or disabled. */
export async function userById(id: string): Promise<Actor | null> {
  const db = await getDb();
  const [user] = await db.select().from(schema.users).where(eq(schema.users.id, id));
  if (!user || user.disabledAt) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role, via: 'session' };
}

export async function actorFromApiToken(token: string): Promise<Actor | null> {
  if (!token.startsWith(API_TOKEN_PREFIX) || token.length > 200) return null;
  const db = await getDb();
  const [row] = await db
    .select({ tokenId: schema.apiTokens.id, userId: schema.apiTokens.userId })
    .from(schema.apiTokens)
    .where(and(eq(schema.apiTokens.tokenHash, sha256(token)), isNull(schema.apiTokens.revokedAt)));
  if (!row) return null;
  const actor = await userById(row.userId);
  if (!actor) return null;
  await db.update(schema.apiTokens).set({ lastUsedAt: new Date() }).where(eq(schema.apiTokens.id, row.tokenId));
  return { ...actor, via: 'api-token' };
}

const SESSION_COOKIE = 'next-auth.session-token';

/**
 * Resolves the caller of an API request from its own headers: a Bearer API token, or the NextAuth session
 * cookie decoded directly. Unlike getServerSession this needs no Next.js request scope, so tRPC contexts
 * built outside a route (tests, benches) behave exactly like real requests, and participants pay nothing.
 */
export async function resolveActor(headers: Headers, cookies?: Map<string, string>): Promise<Actor | null> {
  const authorization = headers.get('authorization');
  if (authorization?.startsWith('Bearer ')) return actorFromApiToken(authorization.slice(7).trim());
  const jar = cookies ?? parseCookieHeader(headers.get('cookie'));
  const secureCookie = [...jar.keys()].some((name) => name.startsWith(`__Secure-${SESSION_COOKIE}`));
  if (!secureCookie && ![...jar.keys()].some((name) => name.startsWith(SESSION_COOKIE))) return null;
  const token = await getToken({ req: { headers, cookies: jar } as never, secret: appSecret(), secureCookie });
  return typeof token?.sub === 'string' ? userById(token.sub) : null;
}

/**
 * The signed-in user for server components and route handlers (cookie session only).
 * Re-reads the user row, so a disabled or demoted account is treated as such on the next request.
 */
export async function getSessionActor(): Promise<Actor | null> {
  const session = (await getServerSession(authOptions())) as { userId?: string } | null;
  return session?.userId ? userById(session.userId) : null;
}
