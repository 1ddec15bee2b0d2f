import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { closeDb, getDb, schema, type Database, type Tx } from '../../db';
import { DEFAULT_ADMIN_EMAIL } from './service';
import { createRoleActors, type RoleMatrixActors } from '../api/testing/role-matrix';
import { verifyCredentials, createUser, ensureAdmin, setUserDisabled, setUserRole, listUsers, changeOwnPassword, resetUserPassword } from './service';
import { createApiToken } from '../auth/tokens';
import { actorFromApiToken } from '../auth/session';

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
let actors: RoleMatrixActors;

beforeAll(async () => {
  db = await getDb();
  actors = await createRoleActors(db, 'users');
});
afterAll(closeDb);

const uniqueEmail = (label: string) => `${label}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@test.local`;

describe('ensureAdmin', () => {
  it('does nothing when an admin already exists (createRoleActors made one)', async () => {
    const result = await ensureAdmin(db, { email: uniqueEmail('env'), password: 'long-enough-password' });
    expect(result).toEqual({ created: false });
  });

  it('creates the first admin once, with a generated password that signs in', async () => {
    // A database with no admin: demote every admin inside a transaction we roll back.
    const outcome = await db
      .transaction(async (tx) => {
        await withoutAdmins(tx);
        const first = await ensureAdmin(tx as unknown as Database, {});
        const second = await ensureAdmin(tx as unknown as Database, {});
        const signedIn = await verifyCredentials(tx, first.email!, first.generatedPassword!);
        const audit = await tx
          .select()
          .from(schema.auditLog)
          .where(and(eq(schema.auditLog.action, 'admin.bootstrapped'), eq(schema.auditLog.targetId, signedIn!.id)));
        throw Object.assign(new Error('rollback'), { payload: { first, second, signedIn, audit } });
      })
      .catch((err: { payload?: unknown }) => err.payload as {
        first: Awaited<ReturnType<typeof ensureAdmin>>;
        second: Awaited<ReturnType<typeof ensureAdmin>>;
        signedIn: { role: string } | null;
        audit: unknown[];
      });
    expect(outcome.first.created).toBe(true);
    expect(outcome.first.generatedPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(outcome.second).toEqual({ created: false });
    expect(outcome.signedIn?.role).toBe('admin');
    expect(outcome.audit).toHaveLength(1);
  });

  it('uses ADMIN_EMAIL / ADMIN_PASSWORD when given and returns no password to print', async () => {
    const email = uniqueEmail('Admin-Env');
    const outcome = await db
      .transaction(async (tx) => {
        await withoutAdmins(tx);
        const result = await ensureAdmin(tx as unknown as Database, { email, password: 'from-the-environment' });
        const user = await verifyCredentials(tx, email, 'from-the-environment');
        throw Object.assign(new Error('rollback'), { payload: { result, user } });
      })
      .catch((err: { payload?: unknown }) => err.payload as { result: Awaited<ReturnType<typeof ensureAdmin>>; user: { email: string; role: string } | null });
    expect(outcome.result).toEqual({ created: true, email: email.toLowerCase(), generatedPassword: undefined });
    expect(outcome.user).toMatchObject({ email: email.toLowerCase(), role: 'admin' });
  });
});

describe('user administration', () => {
  it('creates users with a role and a bcrypt password, and refuses duplicates', async () => {
    const email = uniqueEmail('Researcher');
    const user = await createUser({ db, actor: actors.admin }, { email, role: 'researcher', password: 'correct horse battery' });
    expect(user).toMatchObject({ email: email.toLowerCase(), role: 'researcher', disabled: false, hasPassword: true });
    const [row] = await db.select().from(schema.users).where(eq(schema.users.id, user.id));
    expect(row!.passwordHash).toMatch(/^\$2[aby]\$11\$/);
    expect(await verifyCredentials(db, email.toUpperCase(), 'correct horse battery')).not.toBeNull();
    expect(await verifyCredentials(db, email, 'wrong password!!')).toBeNull();
    await expect(createUser({ db, actor: actors.admin }, { email, role: 'viewer' })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('refuses non-admins even when called directly', async () => {
    await expect(listUsers({ db, actor: actors.researcher })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(createUser({ db, actor: null }, { email: uniqueEmail('x'), role: 'viewer' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('changes roles with an audit row', async () => {
    const user = await createUser({ db, actor: actors.admin }, { email: uniqueEmail('promote'), role: 'viewer' });
    const updated = await setUserRole({ db, actor: actors.admin }, { userId: user.id, role: 'researcher' });
    expect(updated.role).toBe('researcher');
    const audit = await db.select().from(schema.auditLog).where(eq(schema.auditLog.targetId, user.id));
    expect(audit.find((a) => a.action === 'user.role_changed')?.details).toMatchObject({ from: 'viewer', to: 'researcher' });
    expect(audit.find((a) => a.action === 'user.role_changed')?.actorUserId).toBe(actors.admin.id);
  });

  it('never disables or demotes the last enabled admin', async () => {
    await db.transaction(async (tx) => {
      const txDb = tx as unknown as Database;
      // Leave exactly one enabled admin in this transaction.
      await withoutAdmins(tx);
      await tx.update(schema.users).set({ role: 'admin' }).where(eq(schema.users.id, actors.admin.id));
      await expect(setUserRole({ db: txDb, actor: actors.admin }, { userId: actors.admin.id, role: 'researcher' })).rejects.toMatchObject({
        code: 'PRECONDITION_FAILED',
      });
      await expect(setUserDisabled({ db: txDb, actor: actors.admin }, { userId: actors.admin.id, disabled: true })).rejects.toMatchObject({
        code: 'PRECONDITION_FAILED',
      });
      // With a second admin the first may step down.
      const other = await createUser({ db: txDb, actor: actors.admin }, { email: uniqueEmail('second-admin'), role: 'admin' });
      const demoted = await setUserRole({ db: txDb, actor: actors.admin }, { userId: actors.admin.id, role: 'researcher' });
      expect(demoted.role).toBe('researcher');
      await expect(setUserDisabled({ db: txDb, actor: actors.admin }, { userId: other.id, disabled: true })).rejects.toMatchObject({
        code: 'PRECONDITION_FAILED',
      });
      tx.rollback();
    }).catch((err: Error) => {
      if (!/rollback/i.test(err.message)) throw err;
    });
  });

  it('disabling a user blocks sign-in and revokes their API tokens', async () => {
    const email = uniqueEmail('leaver');
    const user = await createUser({ db, actor: actors.admin }, { email, role: 'researcher', password: 'a long password' });
    const actor = { id: user.id, email: user.email, name: null, role: user.role, via: 'session' as const };
    const { token } = await createApiToken({ db, actor }, { name: 'script' });
    expect(await actorFromApiToken(token)).toMatchObject({ id: user.id, via: 'api-token' });
    await setUserDisabled({ db, actor: actors.admin }, { userId: user.id, disabled: true });
    expect(await verifyCredentials(db, email, 'a long password')).toBeNull();
    expect(await actorFromApiToken(token)).toBeNull();
    const enabled = await setUserDisabled({ db, actor: actors.admin }, { userId: user.id, disabled: false });
    expect(enabled.disabled).toBe(false);
    expect(await verifyCredentials(db, email, 'a long password')).not.toBeNull();
  });

  it('lets an admin set a new password', async () => {
    const email = uniqueEmail('forgot');
    const user = await createUser({ db, actor: actors.admin }, { email, role: 'researcher', password: 'forgotten password' });
    await expect(resetUserPassword({ db, actor: actors.researcher }, { userId: user.id, password: 'a new password' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await resetUserPassword({ db, actor: actors.admin }, { userId: user.id, password: 'a new password' });
    expect(await verifyCredentials(db, email, 'a new password')).not.toBeNull();
    expect(await verifyCredentials(db, email, 'forgotten password')).toBeNull();
  });

  it('lets a user change their own password only with the current one', async () => {
    const email = uniqueEmail('self');
    const user = await createUser({ db, actor: actors.admin }, { email, role: 'viewer', password: 'first password' });
    const actor = { id: user.id, email: user.email, name: null, role: user.role, via: 'session' as const };
    await expect(changeOwnPassword({ db, actor }, { currentPassword: 'nope', newPassword: 'second password' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await changeOwnPassword({ db, actor }, { currentPassword: 'first password', newPassword: 'second password' });
    expect(await verifyCredentials(db, email, 'second password')).not.toBeNull();
    expect(await verifyCredentials(db, email, 'first password')).toBeNull();
  });
});
