import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, getDb, type Database } from '../../db';
import { createRoleActors, type RoleMatrixActors } from '../api/testing/role-matrix';
import { listAudit, recordAudit } from './audit';

let db: Database;
let actors: RoleMatrixActors;
beforeAll(async () => {
  db = await getDb();
  actors = await createRoleActors(db, 'audit');
});
afterAll(closeDb);

describe('audit log', () => {
  it('lists entries newest first with the acting user, for admins only', async () => {
    const marker = `marker-${Date.now()}`;
    await recordAudit(db, { actorUserId: actors.researcher.id, action: 'study.launched', targetType: 'study', targetId: marker });
    await new Promise((r) => setTimeout(r, 5));
    await recordAudit(db, { actorUserId: null, action: 'admin.bootstrapped', targetType: 'user', targetId: marker });
    const rows = (await listAudit({ db, actor: actors.admin })).filter((r) => r.targetId === marker);
    expect(rows.map((r) => [r.action, r.actorEmail])).toEqual([
      ['admin.bootstrapped', null],
      ['study.launched', actors.researcher.email],
    ]);
    await expect(listAudit({ db, actor: actors.researcher })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
