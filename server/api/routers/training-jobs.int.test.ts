import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, getDb, type Database } from '../../../db';
import { createRoleActors, expectRoleMatrix, type RoleMatrixActors } from '../testing/role-matrix';
import { trainingJobsRouter } from './training-jobs';

let db: Database;
let actors: RoleMatrixActors;
beforeAll(async () => {
  db = await getDb();
  actors = await createRoleActors(db, 'training-jobs-router');
});
afterAll(closeDb);

describe('training jobs router access', () => {
  it('lets viewers read, researchers start/cancel/resume/register, and only admins start an evaluation run', async () => {
    const rows = await expectRoleMatrix({
      router: trainingJobsRouter,
      db,
      actors,
      access: {
        list: 'viewer',
        get: 'viewer',
        options: 'viewer',
        trainedModels: 'viewer',
        start: 'researcher',
        cancel: 'researcher',
        resume: 'researcher',
        register: 'researcher',
        evaluate: 'admin',
      },
    });
    expect(rows.filter((r) => r.as === 'viewer' && ['start', 'cancel', 'register'].some((p) => r.path.endsWith(p))).every((r) => r.got === 'FORBIDDEN')).toBe(true);
  });
});
