import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, getDb, type Database } from '../../../db';
import { createRoleActors, expectRoleMatrix, type RoleMatrixActors } from '../testing/role-matrix';
import { tokensRouter } from './tokens';

let db: Database;
let actors: RoleMatrixActors;
beforeAll(async () => {
  db = await getDb();
  actors = await createRoleActors(db, 'tokens-router');
});
afterAll(closeDb);

describe('tokens router access', () => {
  it('needs a signed-in user for every procedure', async () => {
    const rows = await expectRoleMatrix({
      router: tokensRouter,
      db,
      actors,
      access: { list: 'viewer', create: 'viewer', revoke: 'viewer' },
    });
    expect(rows.filter((r) => r.as === 'anonymous').every((r) => r.got === 'UNAUTHORIZED')).toBe(true);
  });
});
