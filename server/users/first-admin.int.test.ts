import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { closeDb, getDb, schema, type Database, type Tx } from '../../db';
import { DEFAULT_ADMIN_EMAIL } from './service';
import { announceFirstAdmin } from './first-admin';
import { verifyCredentials } from './service';

/**
 * As on a fresh install, inside a transaction the test rolls back: no admin, and the default admin address free.
 * Other test files share this database: one may add an admin meanwhile (hence the table lock), and a worker process
 * started by another test runs the app's bootstrap, which creates the default admin when it finds none (hence moving
 * that address out of the way); either made "no admin yet" false.
 */
async function withoutAdmins(tx: Tx) {
  await tx.execute(sql`lock table users in exclusive mode`);
  await tx.update(schema.users).set({ role: 'viewer' }).where(eq(schema.users.role, 'admin'));
  await tx
    .update(schema.users)
    .set({ email: sql`'moved-' || ${schema.users.id} || '@test.local'` })
    .where(eq(schema.users.email, DEFAULT_ADMIN_EMAIL));
}


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
        await withoutAdmins(tx);
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
        await withoutAdmins(tx);
        await announceFirstAdmin(tx as unknown as Database, { email: `env-${Date.now()}@test.local`, password: 'from-env-password' }, (t) =>
          printed.push(t),
        );
        tx.rollback();
      })
      .catch(() => undefined);
    expect(printed).toEqual([]);
  });
});
