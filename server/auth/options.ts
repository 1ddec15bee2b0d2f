/**
 * NextAuth (v4) configuration: email + password for researchers, optional OIDC from env.
 * Sessions are JWTs carrying only the user id; role and disabled state are re-read from the
 * database on every request (server/auth/session.ts), so a demotion takes effect at once.
 */
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { getDb, schema } from '../../db';
import { env } from '../env';
import { appSecret } from '../lib/secret';
import { verifyCredentials } from '../users/service';
import { signInLimiter, TOO_MANY_ATTEMPTS } from './sign-in-limiter';
import { authLogger } from './auth-logger';

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

export function authOptions(): NextAuthOptions {
  return {
    secret: appSecret(),
    session: { strategy: 'jwt', maxAge: 7 * 24 * 3600 },
    pages: { signIn: '/sign-in' },
    logger: authLogger,
    providers: [
      CredentialsProvider({
        name: 'Email and password',
        credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
        async authorize(raw) {
          const parsed = credentialsSchema.safeParse(raw);
          if (!parsed.success) return null;
          const key = parsed.data.email.toLowerCase();
          // NextAuth passes the thrown message to the sign-in page as the error code.
          if (signInLimiter.isBlocked(key)) throw new Error(TOO_MANY_ATTEMPTS);
          const user = await verifyCredentials(await getDb(), parsed.data.email, parsed.data.password);
          if (!user) {
            signInLimiter.recordFailure(key);
            return null;
          }
          signInLimiter.recordSuccess(key);
          return { id: user.id, email: user.email, name: user.name };
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
        return true;
      },
      async jwt({ token, user }) {
        if (user) token.sub = user.id;
        return token;
      },
      async session({ session, token }) {
        return { ...session, userId: token.sub };
      },
    },
  };
}
