import { afterAll, describe, expect, it } from 'vitest';
import { closeDb, getDbHandle, schema } from './index';

describe('database bootstrap', () => {
  afterAll(closeDb);

  it('migrates a fresh Postgres database and accepts writes', async () => {
    const handle = await getDbHandle();
    expect(handle.kind).toBe('postgres');
    const [user] = await handle.db
      .insert(schema.users)
      .values({ email: `migrate-${Date.now()}@test.local`, role: 'viewer' })
      .returning();
    expect(user?.role).toBe('viewer');
  });
});
