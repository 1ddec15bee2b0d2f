import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, getDb, type Database } from '../../../db';
import { createRoleActors, expectRoleMatrix, type RoleMatrixActors } from '../testing/role-matrix';
import { pilotsRouter } from './pilots';

let db: Database;
let actors: RoleMatrixActors;
beforeAll(async () => {
  db = await getDb();
  actors = await createRoleActors(db, 'pilots-router');
});
afterAll(closeDb);

describe('pilots router access', () => {
  it('lets viewers read pilots and only researchers and admins start or cancel one', async () => {
    const rows = await expectRoleMatrix({
      router: pilotsRouter,
      db,
      actors,
      access: { list: 'viewer', get: 'viewer', transcript: 'viewer', start: 'researcher', cancel: 'researcher' },
    });
    expect(rows.filter((r) => r.as === 'viewer' && /\.(start|cancel)$/.test(r.path)).every((r) => r.got === 'FORBIDDEN')).toBe(true);
  });
});
