/**
 * Role matrix for tRPC routers (tests only): calls every procedure of a router with no actor and as
 * each role, and checks that access fails closed — UNAUTHORIZED without an actor, FORBIDDEN below the
 * required role, and neither for roles at or above it.
 *
 * Every procedure must be listed in `access`, so a procedure added later without a declared role
 * makes the test fail instead of silently escaping the check.
 *
 * Calls use `inputs[path]` (default `undefined`). The role check runs before input validation, so
 * for allowed roles an invalid input simply ends in BAD_REQUEST without side effects; pass real
 * inputs only where a procedure takes none and you care that it succeeds.
 */
import crypto from 'node:crypto';
import { TRPCError } from '@trpc/server';
import type { AnyRouter } from '@trpc/server';
import type { Database } from '../../../db';
import { schema } from '../../../db';
import type { Actor, Role } from '../../auth/session';
import { hasRole } from '../../auth/roles';
import { createCallerFactory, createInnerContext } from '../trpc';

export type Access = 'public' | Role;
export type RoleMatrixActors = Record<Role, Actor>;
type Caller = 'anonymous' | Role;

export interface RoleMatrixCall {
  path: string;
  as: Caller;
  expected: 'UNAUTHORIZED' | 'FORBIDDEN' | 'allowed';
  /** tRPC error code, or 'ok' when the call returned. */
  got: string;
  passed: boolean;
}

/** Inserts one enabled user per role (unique emails, so test files can share a database). */
export async function createRoleActors(db: Database, label = 'matrix'): Promise<RoleMatrixActors> {
  const tag = crypto.randomBytes(4).toString('hex');
  const actors = {} as RoleMatrixActors;
  for (const role of ['viewer', 'researcher', 'admin'] as const) {
    const email = `${label}-${role}-${tag}@test.local`;
    const [row] = await db.insert(schema.users).values({ email, role, name: `${role} ${tag}` }).returning();
    actors[role] = { id: row!.id, email, name: row!.name, role, via: 'session' };
  }
  return actors;
}

/** Every procedure path of a router ("studies.list", "studies.create", …). */
export function procedurePaths(router: AnyRouter): string[] {
  return Object.keys(router._def.procedures as Record<string, unknown>).sort();
}

function expectedFor(access: Access, as: Caller): RoleMatrixCall['expected'] {
  if (access === 'public') return 'allowed';
  if (as === 'anonymous') return 'UNAUTHORIZED';
  return hasRole({ role: as }, access) ? 'allowed' : 'FORBIDDEN';
}

async function invoke(caller: unknown, path: string, input: unknown): Promise<string> {
  let target: unknown = caller;
  for (const segment of path.split('.')) target = (target as Record<string, unknown>)[segment];
  try {
    const result = await (target as (input: unknown) => Promise<unknown>)(input);
    // Subscriptions resolve to an async iterable once authorized; close it straight away.
    const iterable = result as { [Symbol.asyncIterator]?: () => AsyncIterator<unknown> } | null;
    const open = iterable?.[Symbol.asyncIterator];
    if (typeof open === 'function') await open.call(iterable).return?.();
    return 'ok';
  } catch (err) {
    if (err instanceof TRPCError) return err.code;
    throw err;
  }
}

/**
 * Runs the matrix and returns one row per (procedure, caller). Use `expectRoleMatrix` in tests;
 * this is exported for callers that want to print or filter the rows.
 */
export async function runRoleMatrix(opts: {
  router: AnyRouter;
  db: Database;
  actors: RoleMatrixActors;
  access: Record<string, Access>;
  inputs?: Record<string, unknown>;
}): Promise<RoleMatrixCall[]> {
  const paths = procedurePaths(opts.router);
  const undeclared = paths.filter((p) => !(p in opts.access));
  const unknown = Object.keys(opts.access).filter((p) => !paths.includes(p));
  if (undeclared.length || unknown.length)
    throw new Error(
      `Role matrix out of date. Declare access for: [${undeclared.join(', ')}]; remove unknown: [${unknown.join(', ')}]`,
    );
  const factory = createCallerFactory(opts.router);
  const rows: RoleMatrixCall[] = [];
  for (const path of paths) {
    for (const as of ['anonymous', 'viewer', 'researcher', 'admin'] as const) {
      const actor = as === 'anonymous' ? null : opts.actors[as];
      const caller = factory(createInnerContext({ db: opts.db, actor }));
      const expected = expectedFor(opts.access[path]!, as);
      const got = await invoke(caller, path, opts.inputs?.[path]);
      const passed = expected === 'allowed' ? got !== 'UNAUTHORIZED' && got !== 'FORBIDDEN' : got === expected;
      rows.push({ path, as, expected, got, passed });
    }
  }
  return rows;
}

/** Throws with a readable table of every failing (procedure, caller) pair. Returns the rows checked. */
export async function expectRoleMatrix(opts: Parameters<typeof runRoleMatrix>[0]): Promise<RoleMatrixCall[]> {
  const rows = await runRoleMatrix(opts);
  const failures = rows.filter((r) => !r.passed);
  if (failures.length) {
    const lines = failures.map((f) => `  ${f.path} as ${f.as}: expected ${f.expected}, got ${f.got}`);
    throw new Error(`Role matrix failed for ${failures.length} call(s):\n${lines.join('\n')}`);
  }
  return rows;
}
