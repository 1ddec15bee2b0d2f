import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { closeDb, getDb, type Database } from '../../../db';
import { adminProcedure, publicProcedure, researcherProcedure, router, viewerProcedure } from '../trpc';
import { createRoleActors, expectRoleMatrix, procedurePaths, type RoleMatrixActors } from './role-matrix';

let db: Database;
let actors: RoleMatrixActors;
beforeAll(async () => {
  db = await getDb();
  actors = await createRoleActors(db, 'matrix-self');
});
afterAll(closeDb);

const sample = router({
  open: publicProcedure.query(() => 1),
  nested: router({
    read: viewerProcedure.query(() => 2),
    write: researcherProcedure.input(z.object({ id: z.uuid() })).mutation(() => 3),
  }),
  // Wrongly guarded: declared admin below, but open to researchers.
  leaky: researcherProcedure.query(() => 4),
  admin: adminProcedure.query(() => 5),
});

describe('role matrix helper', () => {
  it('lists nested procedures by dotted path', () => {
    expect(procedurePaths(sample)).toEqual(['admin', 'leaky', 'nested.read', 'nested.write', 'open']);
  });

  it('passes a correctly declared router and reports what each caller got', async () => {
    const rows = await expectRoleMatrix({
      router: sample,
      db,
      actors,
      access: { open: 'public', 'nested.read': 'viewer', 'nested.write': 'researcher', leaky: 'researcher', admin: 'admin' },
    });
    const got = Object.fromEntries(rows.map((r) => [`${r.path}/${r.as}`, r.got]));
    expect(got).toMatchObject({
      'open/anonymous': 'ok',
      'nested.read/anonymous': 'UNAUTHORIZED',
      'nested.read/viewer': 'ok',
      'nested.write/viewer': 'FORBIDDEN',
      'nested.write/researcher': 'BAD_REQUEST',
      'admin/researcher': 'FORBIDDEN',
      'admin/admin': 'ok',
    });
  });

  it('fails when a procedure is more open than declared', async () => {
    await expect(
      expectRoleMatrix({
        router: sample,
        db,
        actors,
        access: { open: 'public', 'nested.read': 'viewer', 'nested.write': 'researcher', leaky: 'admin', admin: 'admin' },
      }),
    ).rejects.toThrow(/leaky as researcher: expected FORBIDDEN, got ok/);
  });

  it('fails when a procedure has no declared access', async () => {
    await expect(
      expectRoleMatrix({ router: sample, db, actors, access: { open: 'public' } }),
    ).rejects.toThrow(/Declare access for: \[admin, leaky, nested.read, nested.write\]/);
  });
});
