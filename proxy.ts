/**
 * Next.js proxy:
 *  - refuses a path with a broken percent-escape with a clear 400 (Next.js answers 500 to a dynamic segment that
 *    does not decode);
 *  - on every page: a Content-Security-Policy with a fresh nonce (server/http/security-headers.ts). Next.js reads
 *    the nonce from the request's CSP header and puts it on its own scripts; pages therefore render per request
 *    (root layout). Framing: none for staff pages, MTurk's origins for the participant page;
 *  - tells server layouts which path is being rendered (layouts do not receive it), so the staff layout can send
 *    a signed-out visitor to /sign-in and back to the same page.
 * API routes pass through here only without a body: for a request the proxy sees, Next.js copies the body and waits
 * for all of it before the route handler runs, which would defeat the route handlers' body caps (server/http/body-limit.ts).
 * Authorization itself happens in the layout and in every tRPC procedure, not here.
 */
import { NextResponse, type NextRequest } from 'next/server';
import { PATHNAME_HEADER } from './server/auth/redirect';
import { env } from './server/env';
import { contentSecurityPolicy, isHttpsRequest, isParticipantPage, newNonce } from './server/http/security-headers';

/** True when every percent-escape in the path decodes; Next answers 500 to a dynamic segment that does not. */
function decodablePath(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

export function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  // A broken escape (`/s/%E0%A4%A`) is the client's mistake: a clear 400, not a server error.
  if (!decodablePath(pathname))
    return new NextResponse('Bad request: this address is not valid. Please check the link.', {
      status: 400,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  if (pathname.startsWith('/api/')) return NextResponse.next();

  const participantPage = isParticipantPage(pathname);
  const csp = contentSecurityPolicy({
    nonce: newNonce(),
    dev: env.NODE_ENV === 'development',
    https: isHttpsRequest(request.url, request.headers),
    participantPage,
  });
  const headers = new Headers(request.headers);
  headers.set('content-security-policy', csp);
  headers.set(PATHNAME_HEADER, `${pathname}${request.nextUrl.search}`);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('content-security-policy', csp);
  // For browsers without CSP frame-ancestors; it cannot name MTurk's two origins, so the participant page relies on CSP.
  if (!participantPage) response.headers.set('x-frame-options', 'DENY');
  return response;
}

export const config = {
  matcher: [
    '/((?!api/|_next/static/|_next/image|favicon\\.ico$|icon\\.svg$|apple-touch-icon\\.png$|icon-\\d+\\.png$|manifest\\.webmanifest$|robots\\.txt$).*)',
    // Bodiless API requests only (see above); every POST carries Content-Length or Transfer-Encoding.
    {
      source: '/api/:path*',
      missing: [
        { type: 'header', key: 'content-length' },
        { type: 'header', key: 'transfer-encoding' },
      ],
    },
  ],
};
