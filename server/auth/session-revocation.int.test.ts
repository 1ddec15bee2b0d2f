import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encode, type JWT } from 'next-auth/jwt';
import { eq } from 'drizzle-orm';
import { closeDb, getDb, schema, type Database } from '../../db';
import { createTRPCContext } from '../api/trpc';
import { createRoleActors, type RoleMatrixActors } from '../api/testing/role-matrix';
import { appSecret } from '../lib/secret';
import { changeOwnPassword, createUser, resetUserPassword, setUserDisabled, setUserRole } from '../users/service';
import { hashPassword } from '../users/passwords';
import { signOutEverywhere } from '../users/sessions';
import { authOptions } from './options';
import { actorFromSessionToken, type Actor } from './session';
import { createApiToken } from './tokens';

let db: Database;
let actors: RoleMatrixActors;
beforeAll(async () => {
  db = await getDb();
  actors = await createRoleActors(db, 'revocation');
});
afterAll(closeDb);

const unique = (label: string) => `${label}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@test.local`;

async function newUser(role: 'viewer' | 'researcher' = 'researcher', password = 'first password') {
  const summary = await createUser({ db, actor: actors.admin }, { email: unique('rev'), role, password });
  const actor: Actor = { id: summary.id, email: summary.email, name: null, role, via: 'session' };
  return { summary, actor };
}

/** The session cookie sign-in would set: NextAuth's own jwt callback with the user row, then NextAuth's encoder. */
async function signedInCookie(userId: string): Promise<string> {
  const [row] = await db.select().from(schema.users).where(eq(schema.users.id, userId));
  const jwt = authOptions().callbacks!.jwt!;
  const token = (await jwt({ token: { sub: undefined } as JWT, user: { id: row!.id, sessionVersion: row!.sessionVersion } as never, account: null })) as JWT;
  return `next-auth.session-token=${await encode({ token, secret: appSecret() })}`;
}

async function callerOf(headers: Record<string, string>) {
  const ctx = await createTRPCContext({ req: new Request('http://127.0.0.1/api/trpc/x', { headers }), resHeaders: new Headers() });
  return ctx.actor;
}

describe('revocable sessions', () => {
  it('a copied cookie stops working after "sign out everywhere", and a fresh sign-in works again', async () => {
    const { actor } = await newUser();
    const copied = await signedInCookie(actor.id);
    expect(await callerOf({ cookie: copied })).toMatchObject({ id: actor.id });
    await signOutEverywhere({ db, actor });
    expect(await callerOf({ cookie: copied })).toBeNull();
    expect(await callerOf({ cookie: await signedInCookie(actor.id) })).toMatchObject({ id: actor.id });
  });

  it('ends sessions and API tokens on a password change by the user', async () => {
    const { actor } = await newUser();
    const copied = await signedInCookie(actor.id);
    const { token } = await createApiToken({ db, actor }, { name: 'script' });
    expect(await callerOf({ authorization: `Bearer ${token}` })).toMatchObject({ id: actor.id, via: 'api-token' });
    await changeOwnPassword({ db, actor }, { currentPassword: 'first password', newPassword: 'second password' });
    expect(await callerOf({ cookie: copied })).toBeNull();
    expect(await callerOf({ authorization: `Bearer ${token}` })).toBeNull();
  });

  it('ends sessions and API tokens on a password reset by an admin', async () => {
    const { actor } = await newUser();
    const copied = await signedInCookie(actor.id);
    const { token } = await createApiToken({ db, actor }, { name: 'script' });
    await resetUserPassword({ db, actor: actors.admin }, { userId: actor.id, password: 'reset password' });
    expect(await callerOf({ cookie: copied })).toBeNull();
    expect(await callerOf({ authorization: `Bearer ${token}` })).toBeNull();
  });

  it('ends sessions on a role change and on disable (and they stay ended after enabling again)', async () => {
    const { actor } = await newUser('researcher');
    const beforeRoleChange = await signedInCookie(actor.id);
    await setUserRole({ db, actor: actors.admin }, { userId: actor.id, role: 'viewer' });
    expect(await callerOf({ cookie: beforeRoleChange })).toBeNull();

    const beforeDisable = await signedInCookie(actor.id);
    expect(await callerOf({ cookie: beforeDisable })).toMatchObject({ role: 'viewer' });
    await setUserDisabled({ db, actor: actors.admin }, { userId: actor.id, disabled: true });
    await setUserDisabled({ db, actor: actors.admin }, { userId: actor.id, disabled: false });
    expect(await callerOf({ cookie: beforeDisable })).toBeNull();
  });

  it('NextAuth refuses to refresh a revoked session (the /api/auth/session path)', async () => {
    const { actor } = await newUser();
    const [row] = await db.select().from(schema.users).where(eq(schema.users.id, actor.id));
    const token = { sub: actor.id, sv: row!.sessionVersion } as JWT;
    const jwt = authOptions().callbacks!.jwt!;
    await expect(jwt({ token, account: null } as never)).resolves.toMatchObject({ sub: actor.id });
    await signOutEverywhere({ db, actor });
    await expect(jwt({ token, account: null } as never)).rejects.toThrow(/revoked/);
    expect(await actorFromSessionToken(token)).toBeNull();
  });

  it('password sign-in puts the current session version into the token', async () => {
    const email = unique('authorize');
    await db.insert(schema.users).values({ email, role: 'viewer', passwordHash: await hashPassword('the password'), sessionVersion: 7 });
    const credentials = authOptions().providers.find((p) => p.id === 'credentials') as unknown as {
      options: { authorize: (raw: unknown, req: unknown) => Promise<{ sessionVersion?: number } | null> };
    };
    const user = await credentials.options.authorize({ email, password: 'the password' }, { headers: { 'x-forwarded-for': '10.9.9.9' } });
    expect(user?.sessionVersion).toBe(7);
  });
});
