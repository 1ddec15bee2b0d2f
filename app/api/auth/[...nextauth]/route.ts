import NextAuth from 'next-auth';
import { authOptions } from '~/server/auth/options';
import { isHttpsRequest } from '~/server/http/security-headers';
import { KIB, payloadTooLarge, readBodyWithin } from '~/server/http/body-limit';

export const dynamic = 'force-dynamic';

/** NextAuth posts small forms (CSRF token, email, password, callback URL); nothing legitimate comes near this. */
const AUTH_BODY_LIMIT = 64 * KIB;

async function handler(incoming: Request, ctx: { params: Promise<{ nextauth: string[] }> }) {
  let req = incoming;
  if (req.method === 'POST') {
    const body = await readBodyWithin(req, AUTH_BODY_LIMIT);
    if (!body.ok) return payloadTooLarge({ error: 'The request is too large.' });
    req = body.request;
  }
  return NextAuth(authOptions({ secure: isHttpsRequest(req.url, req.headers) }))(req, ctx);
}

export { handler as GET, handler as POST };
