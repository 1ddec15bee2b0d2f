import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, getDb, type Database } from '../../../db';
import { createRoleActors, expectRoleMatrix, type RoleMatrixActors } from '../testing/role-matrix';
import { studyJudgingRouter } from './study-judging';

let db: Database;
let actors: RoleMatrixActors;
beforeAll(async () => {
  db = await getDb();
  actors = await createRoleActors(db, 'study-judging-router');
});
afterAll(closeDb);

describe('study judging router access', () => {
  it('lets viewers read runs and scores, and only researchers and admins start, cancel and retry', async () => {
    const rows = await expectRoleMatrix({
      router: studyJudgingRouter,
      db,
      actors,
      access: {
        options: 'viewer',
        list: 'viewer',
        participantScores: 'viewer',
        start: 'researcher',
        cancel: 'researcher',
        retryFailed: 'researcher',
      },
    });
    expect(rows.filter((r) => r.as === 'viewer' && ['start', 'cancel', 'retryFailed'].some((p) => r.path.endsWith(p))).every((r) => r.got === 'FORBIDDEN')).toBe(true);
    expect(rows.filter((r) => r.as === 'anonymous').every((r) => r.got === 'UNAUTHORIZED')).toBe(true);
  });
});
