/**
 * Next.js proxy, on every page request (not API routes, whose bodies it would otherwise buffer, nor static files):
 *  - a Content-Security-Policy with a fresh nonce (server/http/security-headers.ts). Next.js reads the nonce from
 *    the request's CSP header and puts it on its own scripts; pages therefore render per request (root layout);
 *  - framing: none for staff pages, MTurk's origins for the participant page;
 *  - tells server layouts which path is being rendered (layouts do not receive it), so the staff layout can send
 *    a signed-out visitor to /sign-in and back to the same page.
 * Authorization itself happens in the layout and in every tRPC procedure, not here.
 */
import { NextResponse, type NextRequest } from 'next/server';
import { PATHNAME_HEADER } from './server/auth/redirect';
import { env } from './server/env';
import { contentSecurityPolicy, isHttpsRequest, isParticipantPage, newNonce } from './server/http/security-headers';

export function proxy(request: NextRequest) {
  const participantPage = isParticipantPage(request.nextUrl.pathname);
  const csp = contentSecurityPolicy({
    nonce: newNonce(),
    dev: env.NODE_ENV === 'development',
    https: isHttpsRequest(request.url, request.headers),
    participantPage,
  });
  const headers = new Headers(request.headers);
  headers.set('content-security-policy', csp);
  headers.set(PATHNAME_HEADER, `${request.nextUrl.pathname}${request.nextUrl.search}`);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('content-security-policy', csp);
  // For browsers without CSP frame-ancestors; it cannot name MTurk's two origins, so the participant page relies on CSP.
  if (!participantPage) response.headers.set('x-frame-options', 'DENY');
  return response;
}

export const config = {
  matcher: [
    '/((?!api/|_next/static/|_next/image|favicon\\.ico$|icon\\.svg$|apple-touch-icon\\.png$|icon-\\d+\\.png$|manifest\\.webmanifest$|robots\\.txt$).*)',
  ],
};
