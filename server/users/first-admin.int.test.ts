import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { closeDb, getDb, schema, type Database } from '../../db';
import { announceFirstAdmin } from './first-admin';
import { verifyCredentials } from './service';

let db: Database;
beforeAll(async () => {
  db = await getDb();
});
afterAll(closeDb);

describe('announceFirstAdmin', () => {
  it('prints a generated sign-in exactly once, across repeated starts', async () => {
    const printed: string[] = [];
    const outcome = await db
      .transaction(async (tx) => {
        const txDb = tx as unknown as Database;
        // As on a fresh install: no admin yet.
        await tx.update(schema.users).set({ role: 'viewer' }).where(eq(schema.users.role, 'admin'));
        await announceFirstAdmin(txDb, {}, (t) => printed.push(t));
        await announceFirstAdmin(txDb, {}, (t) => printed.push(t));
        const password = /password: (\S+)/.exec(printed[0] ?? '')?.[1] ?? '';
        const email = /email: +(\S+)/.exec(printed[0] ?? '')?.[1] ?? '';
        const user = await verifyCredentials(tx, email, password);
        throw Object.assign(new Error('rollback'), { payload: { user } });
      })
      .catch((err: { payload?: { user: { role: string } | null } }) => err.payload);
    expect(printed).toHaveLength(1);
    expect(printed[0]).toContain('shown only once');
    expect(outcome?.user?.role).toBe('admin');
  });

  it('prints nothing when the password comes from the environment', async () => {
    const printed: string[] = [];
    await db
      .transaction(async (tx) => {
        await tx.update(schema.users).set({ role: 'viewer' }).where(eq(schema.users.role, 'admin'));
        await announceFirstAdmin(tx as unknown as Database, { email: `env-${Date.now()}@test.local`, password: 'from-env-password' }, (t) =>
          printed.push(t),
        );
        tx.rollback();
      })
      .catch(() => undefined);
    expect(printed).toEqual([]);
  });
});
