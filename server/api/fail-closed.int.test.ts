/**
 * Whole-app guard: every staff procedure of the app router, including ones added later without their own
 * role-matrix test, refuses an anonymous caller before doing anything. Only the participant flow (its own
 * signed cookie) and health are public.
 */
import { TRPCError } from '@trpc/server';
import { afterAll, describe, expect, it } from 'vitest';
import { closeDb, getDb } from '../../db';
import { appRouter } from './root';
import { procedurePaths } from './testing/role-matrix';
import { createCallerFactory, createInnerContext } from './trpc';

const PUBLIC_PREFIXES = ['participant.', 'health.'];

describe('the app router fails closed', () => {
  afterAll(closeDb);

  it('answers UNAUTHORIZED to an anonymous caller on every staff procedure', async () => {
    const caller = createCallerFactory(appRouter)(createInnerContext({ db: await getDb(), actor: null }));
    const staffPaths = procedurePaths(appRouter).filter((p) => !PUBLIC_PREFIXES.some((prefix) => p.startsWith(prefix)));
    expect(staffPaths.length).toBeGreaterThan(30);
    const outcomes: string[] = [];
    for (const path of staffPaths) {
      let target: unknown = caller;
      for (const segment of path.split('.')) target = (target as Record<string, unknown>)[segment];
      try {
        await (target as (input: unknown) => Promise<unknown>)(undefined);
        outcomes.push(`${path}: answered`);
      } catch (err) {
        if (!(err instanceof TRPCError) || err.code !== 'UNAUTHORIZED') outcomes.push(`${path}: ${(err as Error).message}`);
      }
    }
    expect(outcomes).toEqual([]);
  });
});
