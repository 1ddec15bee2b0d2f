/**
 * Resolves who is calling: a NextAuth session cookie or a personal API token (Bearer).
 * Always re-reads the user row so disabled accounts, role changes and revoked sessions apply immediately:
 * a session JWT carries the user's `sessionVersion` (`sv`) from sign-in, and it stops working as soon as the
 * row's version moves on (server/users/sessions.ts bumps it).
 */
import { getToken, type JWT } from 'next-auth/jwt';
import { and, eq, isNull } from 'drizzle-orm';
import { getDb, schema } from '../../db';
import { appSecret, sha256 } from '../lib/secret';
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

type UserRow = typeof schema.users.$inferSelect;

function toActor(user: UserRow | undefined): Actor | null {
  if (!user || user.disabledAt) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role, via: 'session' };
}

/**
 * The actor of a decoded session JWT, or null when the user is unknown or disabled or the token's session
 * version is not the user's current one. Tokens from before session versions existed carry none and count as 0.
 */
export async function actorFromSessionToken(token: JWT | null): Promise<Actor | null> {
  if (typeof token?.sub !== 'string') return null;
  const db = await getDb();
  const [user] = await db.select().from(schema.users).where(eq(schema.users.id, token.sub));
  const version = typeof token.sv === 'number' ? token.sv : 0;
  if (!user || user.sessionVersion !== version) return null;
  return toActor(user);
}

/**
 * The actor of a personal API token: one read (token joined with its user; revoked tokens and disabled users get
 * null). `lastUsedAt` is kept to the minute: it is written only when it is older than that, so a trainer calling
 * the reward endpoint in a tight loop pays a read, not a write and its commit, on almost every call.
 */
export const TOKEN_LAST_USED_RESOLUTION_MS = 60_000;

export async function actorFromApiToken(token: string): Promise<Actor | null> {
  if (!token.startsWith(API_TOKEN_PREFIX) || token.length > 200) return null;
  const db = await getDb();
  const [row] = await db
    .select({
      tokenId: schema.apiTokens.id,
      lastUsedAt: schema.apiTokens.lastUsedAt,
      id: schema.users.id,
      email: schema.users.email,
      name: schema.users.name,
      role: schema.users.role,
    })
    .from(schema.apiTokens)
    .innerJoin(schema.users, eq(schema.users.id, schema.apiTokens.userId))
    .where(and(eq(schema.apiTokens.tokenHash, sha256(token)), isNull(schema.apiTokens.revokedAt), isNull(schema.users.disabledAt)));
  if (!row) return null;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() >= TOKEN_LAST_USED_RESOLUTION_MS)
    await db.update(schema.apiTokens).set({ lastUsedAt: new Date() }).where(eq(schema.apiTokens.id, row.tokenId));
  return { id: row.id, email: row.email, name: row.name, role: row.role, via: 'api-token' };
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
  return sessionCookieActor(headers, cookies ?? parseCookieHeader(headers.get('cookie')));
}

/** The NextAuth session cookie's user (plain or `__Secure-` name, as set over HTTP or HTTPS). */
async function sessionCookieActor(headers: Headers, jar: Map<string, string>): Promise<Actor | null> {
  const secureCookie = [...jar.keys()].some((name) => name.startsWith(`__Secure-${SESSION_COOKIE}`));
  if (!secureCookie && ![...jar.keys()].some((name) => name.startsWith(SESSION_COOKIE))) return null;
  const token = await getToken({ req: { headers, cookies: jar } as never, secret: appSecret(), secureCookie });
  return actorFromSessionToken(token);
}

/**
 * The signed-in user for server components and route handlers (cookie session only), with the same checks
 * as API requests (disabled, role, session version). Cookies come from Next.js's own parser.
 */
export async function getSessionActor(): Promise<Actor | null> {
  const { cookies, headers } = await import('next/headers');
  const jar = new Map((await cookies()).getAll().map((c) => [c.name, c.value] as const));
  return sessionCookieActor(await headers(), jar);
}
