import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, getDb, type Database } from '../../../db';
import { createRoleActors, expectRoleMatrix, type RoleMatrixActors } from '../testing/role-matrix';
import { connectionsRouter } from './connections';

let db: Database;
let actors: RoleMatrixActors;
beforeAll(async () => {
  db = await getDb();
  actors = await createRoleActors(db, 'connections-router');
});
afterAll(closeDb);

describe('connections router access', () => {
  it('is admin-only for every procedure', async () => {
    const rows = await expectRoleMatrix({
      router: connectionsRouter,
      db,
      actors,
      access: { list: 'admin', get: 'admin', create: 'admin', update: 'admin', delete: 'admin', test: 'admin' },
    });
    expect(rows.filter((r) => r.as === 'researcher').every((r) => r.got === 'FORBIDDEN')).toBe(true);
  });
});
