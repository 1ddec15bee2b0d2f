/**
 * tRPC setup: context, error mapping and the procedure ladder.
 *   publicProcedure      → anyone (participants use it with a signed cookie, see participants/identity.ts)
 *   viewerProcedure      → any signed-in user (viewer, researcher, admin)
 *   researcherProcedure  → researcher or admin
 *   adminProcedure       → admin only
 * Role checks are positive and fail closed: no actor → UNAUTHORIZED, wrong role → FORBIDDEN.
 * Edit this file only to add a procedure kind or change error mapping.
 */
import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { ZodError } from 'zod';
import type { Database } from '../../db';
import { getDb } from '../../db';
import type { Actor, Role } from '../auth/session';
import { ServiceError } from '../services/errors';
import { logger } from '../lib/logger';
import { clientAddress } from '../http/client-address';
import { parseCookieHeader } from '../lib/cookies';

export interface CookieJar {
  get(name: string): string | undefined;
  set(name: string, value: string, options?: { maxAgeSeconds?: number }): void;
}

export interface Context {
  db: Database;
  actor: Actor | null;
  cookies: CookieJar;
  /** Client address for rate limits; "unknown" when not behind a proxy that reports it. */
  clientKey: string;
  userAgent: string | null;
}

/** Context for a real HTTP request (fetch adapter). */
export async function createTRPCContext(opts: { req: Request; resHeaders: Headers; actor?: Actor | null }): Promise<Context> {
  const { resolveActor } = await import('../auth/session');
  const incoming = parseCookieHeader(opts.req.headers.get('cookie'));
  // Behind a TLS-terminating proxy the request URL is http; the proxy reports the original scheme.
  const secure =
    opts.req.url.startsWith('https:') || opts.req.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https';
  return {
    db: await getDb(),
    // The route handler may have resolved the caller already (to choose the body cap).
    actor: opts.actor !== undefined ? opts.actor : await resolveActor(opts.req.headers, incoming),
    cookies: {
      get: (name) => incoming.get(name),
      set(name, value, options) {
        incoming.set(name, value);
        const maxAge = options?.maxAgeSeconds ?? 60 * 60 * 24 * 30;
        // Over HTTPS the participant cookie must also work inside MTurk's ExternalQuestion iframe, which
        // browsers only allow for SameSite=None (Partitioned keeps it scoped to the embedding site).
        // Cross-site writes still need a JSON POST, which browsers preflight and we never allow.
        const sameSite = secure ? 'SameSite=None; Secure; Partitioned' : 'SameSite=Lax';
        opts.resHeaders.append(
          'set-cookie',
          `${name}=${encodeURIComponent(value)}; Path=/; HttpOnly; ${sameSite}; Max-Age=${maxAge}`,
        );
      },
    },
    clientKey: clientAddress(opts.req.headers),
    userAgent: opts.req.headers.get('user-agent'),
  };
}

/** Context for tests and server-side callers: an in-memory cookie jar and an explicit actor. */
export function createInnerContext(opts: {
  db: Database;
  actor?: Actor | null;
  cookies?: Map<string, string>;
  /** The caller's address; default "unknown" (no per-address limits apply). */
  clientKey?: string;
}): Context {
  const jar = opts.cookies ?? new Map<string, string>();
  return {
    db: opts.db,
    actor: opts.actor ?? null,
    cookies: { get: (n) => jar.get(n), set: (n, v) => void jar.set(n, v) },
    clientKey: opts.clientKey ?? 'unknown',
    userAgent: null,
  };
}

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const zodError = error.cause instanceof ZodError ? error.cause.flatten() : null;
    return {
      ...shape,
      // Never send stack traces to a browser.
      data: { code: shape.data.code, httpStatus: shape.data.httpStatus, path: shape.data.path, zodError },
    };
  },
});

const serviceErrorCodes = {
  NOT_FOUND: 'NOT_FOUND',
  FORBIDDEN: 'FORBIDDEN',
  CONFLICT: 'CONFLICT',
  PRECONDITION_FAILED: 'PRECONDITION_FAILED',
  BAD_REQUEST: 'BAD_REQUEST',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
} as const;

/**
 * For errors thrown where the middleware below cannot see them: inside a subscription's generator, which runs
 * after the middleware has returned. A ServiceError keeps its code and message; anything else is logged and hidden.
 */
export function toClientError(error: unknown, path: string): TRPCError {
  if (error instanceof ServiceError) return new TRPCError({ code: serviceErrorCodes[error.code], message: error.message, cause: error });
  if (error instanceof TRPCError && error.code !== 'INTERNAL_SERVER_ERROR') return error;
  logger.error('tRPC procedure failed', { path, error });
  return new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'Something went wrong on our side. Please try again.' });
}

/** The single place where domain errors become tRPC errors and unexpected ones are hidden. */
const errorMapping = t.middleware(async function mapErrors({ next, path }) {
  const result = await next();
  if (!result.ok) {
    const err = result.error;
    const cause = err.cause;
    if (cause instanceof ServiceError) {
      throw new TRPCError({ code: serviceErrorCodes[cause.code], message: cause.message, cause });
    }
    if (err.code === 'INTERNAL_SERVER_ERROR') {
      logger.error('tRPC procedure failed', { path, error: cause ?? err });
      throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'Something went wrong on our side. Please try again.' });
    }
  }
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(errorMapping);

function requireRole(allowed: readonly Role[]) {
  return t.middleware(function requireRoleMiddleware({ ctx, next }) {
    if (!ctx.actor) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Please sign in.' });
    if (!allowed.includes(ctx.actor.role))
      throw new TRPCError({ code: 'FORBIDDEN', message: 'Your role does not allow this.' });
    return next({ ctx: { ...ctx, actor: ctx.actor } });
  });
}

export const viewerProcedure = publicProcedure.use(requireRole(['viewer', 'researcher', 'admin']));
export const researcherProcedure = publicProcedure.use(requireRole(['researcher', 'admin']));
export const adminProcedure = publicProcedure.use(requireRole(['admin']));
