import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, isNull } from 'drizzle-orm';
import { closeDb, getDb, schema, type Database } from '../../db';
import { createRoleActors, type RoleMatrixActors } from '../api/testing/role-matrix';
import { createApiToken, MAX_ACTIVE_TOKENS } from './tokens';

let db: Database;
let actors: RoleMatrixActors;
beforeAll(async () => {
  db = await getDb();
  actors = await createRoleActors(db, 'token-cap');
});
afterAll(closeDb);

describe('API token cap', () => {
  it('holds when many tokens are created at once', async () => {
    const actor = actors.viewer;
    for (let i = 0; i < MAX_ACTIVE_TOKENS - 5; i++) await createApiToken({ db, actor }, { name: `existing ${i}` });
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) => createApiToken({ db, actor }, { name: `concurrent ${i}` })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    const active = await db
      .select({ id: schema.apiTokens.id })
      .from(schema.apiTokens)
      .where(and(eq(schema.apiTokens.userId, actor.id), isNull(schema.apiTokens.revokedAt)));
    expect(active).toHaveLength(MAX_ACTIVE_TOKENS);
  });
});
