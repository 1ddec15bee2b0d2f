/**
 * Next.js proxy: tells server layouts which path is being rendered (layouts do not receive it),
 * so the staff layout can send a signed-out visitor to /sign-in and back to the same page.
 * Authorization itself happens in the layout and in every tRPC procedure, not here.
 */
import { NextResponse, type NextRequest } from 'next/server';
import { PATHNAME_HEADER } from './server/auth/redirect';

export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set(PATHNAME_HEADER, `${request.nextUrl.pathname}${request.nextUrl.search}`);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  matcher: ['/studies/:path*', '/benchmarks/:path*', '/datasets/:path*', '/admin/:path*', '/settings/:path*', '/training/:path*'],
};
