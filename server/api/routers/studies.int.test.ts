import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, getDb, type Database } from '../../../db';
import { createRoleActors, expectRoleMatrix, type RoleMatrixActors } from '../testing/role-matrix';
import { studiesRouter } from './studies';

let db: Database;
let actors: RoleMatrixActors;
beforeAll(async () => {
  db = await getDb();
  actors = await createRoleActors(db, 'studies-router');
});
afterAll(closeDb);

describe('studies router access', () => {
  it('lets viewers read, researchers change, and nobody in without signing in', async () => {
    const rows = await expectRoleMatrix({
      router: studiesRouter,
      db,
      actors,
      access: {
        list: 'viewer',
        get: 'viewer',
        versionConfig: 'viewer',
        connectionChoices: 'viewer',
        create: 'researcher',
        updateDraft: 'researcher',
        launch: 'researcher',
        publishVersion: 'researcher',
        setStatus: 'researcher',
        compare: 'viewer',
        duplicate: 'researcher',
      },
    });
    expect(rows.find((r) => r.path === 'create' && r.as === 'viewer')?.got).toBe('FORBIDDEN');
    expect(rows.find((r) => r.path === 'list' && r.as === 'viewer')?.got).toBe('ok');
  });
});
