/**
 * Next.js proxy: tells server layouts which path is being rendered (layouts do not receive it),
 * so the staff layout can send a signed-out visitor to /sign-in and back to the same page.
 * Authorization itself happens in the layout and in every tRPC procedure, not here.
 */
import { NextResponse, type NextRequest } from 'next/server';
import { PATHNAME_HEADER } from './server/auth/redirect';

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
  // A broken escape (`/s/%E0%A4%A`) is the client's mistake: a clear 400, not a server error.
  if (!decodablePath(request.nextUrl.pathname))
    return new NextResponse('Bad request: this address is not valid. Please check the link.', {
      status: 400,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  const headers = new Headers(request.headers);
  headers.set(PATHNAME_HEADER, `${request.nextUrl.pathname}${request.nextUrl.search}`);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  // /s and /api only for the path check above (they have dynamic segments); the header is harmless there.
  matcher: ['/studies/:path*', '/benchmarks/:path*', '/datasets/:path*', '/admin/:path*', '/settings/:path*', '/training/:path*', '/s/:path*', '/api/:path*'],
};
