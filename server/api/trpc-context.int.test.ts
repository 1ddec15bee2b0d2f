import { describe, expect, it } from 'vitest';
import { createTRPCContext } from './trpc';

describe('participant cookie attributes', () => {
  async function setCookieFor(url: string, headers: Record<string, string> = {}) {
    const resHeaders = new Headers();
    const ctx = await createTRPCContext({ req: new Request(url, { headers }), resHeaders });
    ctx.cookies.set('cs_p_test', 'value');
    return resHeaders.get('set-cookie') ?? '';
  }

  it('is SameSite=None, Secure and Partitioned over HTTPS so it survives the MTurk iframe', async () => {
    const cookie = await setCookieFor('https://study.example.org/api/trpc/participant.enter');
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=None; Secure; Partitioned');
  });

  it('trusts the proxy-reported scheme behind TLS termination', async () => {
    const cookie = await setCookieFor('http://10.0.0.5:3000/api/trpc/x', { 'x-forwarded-proto': 'https' });
    expect(cookie).toContain('SameSite=None; Secure; Partitioned');
  });

  it('stays SameSite=Lax without Secure over plain HTTP (local development)', async () => {
    const cookie = await setCookieFor('http://127.0.0.1:3000/api/trpc/x');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).not.toContain('Secure');
  });
});

describe('caller resolution from the request alone', () => {
  it('decodes the NextAuth session cookie, re-reads the user, and ignores forged or disabled sessions', async () => {
    const { encode } = await import('next-auth/jwt');
    const { eq } = await import('drizzle-orm');
    const { getDb, schema } = await import('../../db');
    const { appSecret } = await import('../lib/secret');
    const db = await getDb();
    const [user] = await db
      .insert(schema.users)
      .values({ email: `ctx-${Date.now()}@test.local`, role: 'researcher' })
      .returning();
    const contextFor = async (cookie: string) =>
      createTRPCContext({ req: new Request('http://127.0.0.1/api/trpc/x', { headers: { cookie } }), resHeaders: new Headers() });

    const good = await encode({ token: { sub: user!.id }, secret: appSecret() });
    expect((await contextFor(`next-auth.session-token=${good}`)).actor).toMatchObject({ id: user!.id, role: 'researcher' });

    const forged = await encode({ token: { sub: user!.id }, secret: 'another-secret-of-enough-length' });
    expect((await contextFor(`next-auth.session-token=${forged}`)).actor).toBeNull();
    expect((await contextFor('')).actor).toBeNull();

    await db.update(schema.users).set({ disabledAt: new Date() }).where(eq(schema.users.id, user!.id));
    expect((await contextFor(`next-auth.session-token=${good}`)).actor).toBeNull();
  });
});
