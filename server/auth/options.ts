/**
 * NextAuth (v4) configuration: email + password for researchers, optional OIDC from env.
 * Sessions are JWTs carrying the user id and the user's session version; role, disabled state and the
 * version are re-read from the database on every request (server/auth/session.ts), so a demotion or a
 * revocation takes effect at once.
 */
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { getDb, schema } from '../../db';
import { env } from '../env';
import { appSecret } from '../lib/secret';
import { clientAddress } from '../http/client-address';
import { verifyCredentials } from '../users/service';
import { authLogger } from './auth-logger';
import { actorFromSessionToken } from './session';
import { limitedSignIn, TOO_MANY_ATTEMPTS, TOO_MANY_ATTEMPTS_FROM_ADDRESS } from './sign-in-limiter';

interface SessionUser {
  id: string;
  sessionVersion?: number;
}

const credentialsSchema = z.object({ email: z.email().max(320), password: z.string().min(1).max(200) });

function oidcProvider(): NextAuthOptions['providers'] {
  if (!env.OIDC_ISSUER || !env.OIDC_CLIENT_ID || !env.OIDC_CLIENT_SECRET) return [];
  return [
    {
      id: 'oidc',
      name: 'Single sign-on',
      type: 'oauth',
      wellKnown: `${env.OIDC_ISSUER.replace(/\/$/, '')}/.well-known/openid-configuration`,
      authorization: { params: { scope: 'openid email profile' } },
      idToken: true,
      clientId: env.OIDC_CLIENT_ID,
      clientSecret: env.OIDC_CLIENT_SECRET,
      profile(profile: { sub: string; email?: string; name?: string }) {
        return { id: profile.sub, email: profile.email ?? null, name: profile.name ?? null };
      },
    },
  ];
}

export interface AuthRequestInfo {
  /**
   * The browser reached us over HTTPS (directly or via a TLS-terminating proxy's X-Forwarded-Proto):
   * NextAuth then names its cookies `__Secure-…`/`__Host-…` and marks them Secure. Otherwise NextAuth decides
   * from NEXTAUTH_URL alone, and a deployment behind a proxy with an http NEXTAUTH_URL got plain cookies.
   */
  secure?: boolean;
}

export function authOptions(request: AuthRequestInfo = {}): NextAuthOptions {
  return {
    secret: appSecret(),
    useSecureCookies: request.secure || env.NEXTAUTH_URL?.startsWith('https://') || false,
    session: { strategy: 'jwt', maxAge: 7 * 24 * 3600 },
    pages: { signIn: '/sign-in' },
    logger: authLogger,
    providers: [
      CredentialsProvider({
        name: 'Email and password',
        credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
        async authorize(raw, req) {
          const parsed = credentialsSchema.safeParse(raw);
          if (!parsed.success) return null;
          const db = await getDb();
          const { email, password } = parsed.data;
          const result = await limitedSignIn(db, { email, address: clientAddress(req?.headers ?? {}) }, () =>
            verifyCredentials(db, email, password),
          );
          // NextAuth passes the thrown message to the sign-in page as the error code.
          if (result.outcome === 'blocked')
            throw new Error(result.blockedBy === 'email' ? TOO_MANY_ATTEMPTS : TOO_MANY_ATTEMPTS_FROM_ADDRESS);
          if (result.outcome === 'wrong') return null;
          const { user } = result;
          return { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion };
        },
      }),
      ...oidcProvider(),
    ],
    callbacks: {
      async signIn({ user, account }) {
        if (account?.provider !== 'oidc') return true;
        // OIDC users must already exist (admins invite them by email); nobody self-registers.
        if (!user.email) return false;
        const db = await getDb();
        const [existing] = await db
          .select()
          .from(schema.users)
          .where(eq(schema.users.email, user.email.toLowerCase()));
        if (!existing || existing.disabledAt) return false;
        user.id = existing.id;
        (user as SessionUser).sessionVersion = existing.sessionVersion;
        return true;
      },
      async jwt({ token, user }) {
        if (user) {
          token.sub = user.id;
          token.sv = (user as SessionUser).sessionVersion ?? 0;
          return token;
        }
        // /api/auth/session re-issues the cookie: a revoked session must not be refreshed. Throwing makes
        // NextAuth clear the cookie and answer with no session.
        if (!(await actorFromSessionToken(token))) throw new Error('The session was revoked or the user is disabled.');
        return token;
      },
      async session({ session, token }) {
        return { ...session, userId: token.sub };
      },
    },
  };
}
