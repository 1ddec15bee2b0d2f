import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, getDb, type Database } from '../../../db';
import { createRoleActors, expectRoleMatrix, type RoleMatrixActors } from '../testing/role-matrix';
import { usersRouter } from './users';

let db: Database;
let actors: RoleMatrixActors;
beforeAll(async () => {
  db = await getDb();
  actors = await createRoleActors(db, 'users-router');
});
afterAll(closeDb);

describe('users router access', () => {
  it('fails closed for every procedure', async () => {
    const rows = await expectRoleMatrix({
      router: usersRouter,
      db,
      actors,
      access: {
        list: 'admin',
        create: 'admin',
        setRole: 'admin',
        setDisabled: 'admin',
        resetPassword: 'admin',
        me: 'viewer',
        changeOwnPassword: 'viewer',
        signOutEverywhere: 'viewer',
      },
    });
    expect(rows).toHaveLength(8 * 4);
    expect(rows.find((r) => r.path === 'list' && r.as === 'admin')?.got).toBe('ok');
    expect(rows.find((r) => r.path === 'create' && r.as === 'admin')?.got).toBe('BAD_REQUEST');
  });
});
