/**
 * Security headers. Pages get a per-request Content-Security-Policy from proxy.ts (Next.js puts the nonce
 * it finds in the request's CSP header on its own inline scripts); headers that never change per request
 * (nosniff, referrer policy, HSTS over HTTPS) come from next.config.js for every response, API included.
 * Pure: no env, no I/O, so the proxy stays light and the policy is unit-tested.
 */

/** Where the participant page may be framed: MTurk shows an ExternalQuestion HIT in an iframe. Prolific does not frame. */
export const RECRUITMENT_FRAME_ANCESTORS = ['https://www.mturk.com', 'https://workersandbox.mturk.com'] as const;
/** Where the participant page may post a form: "Submit the HIT" posts to `<turkSubmitTo>/mturk/externalSubmit`
 * (server/participants/recruitment.ts accepts only mturk.com hosts). */
export const RECRUITMENT_FORM_TARGETS = ['https://mturk.com', 'https://*.mturk.com'] as const;

export interface CspOptions {
  nonce: string;
  /** `next dev`: React needs eval for its debugging aids. */
  dev: boolean;
  /** Served over HTTPS: sub-resources are upgraded too. */
  https: boolean;
  /** The participant page (`/s/*`), which MTurk frames; every other page may not be framed at all. */
  participantPage: boolean;
}

export function contentSecurityPolicy(o: CspOptions): string {
  const frameAncestors = o.participantPage ? ["'self'", ...RECRUITMENT_FRAME_ANCESTORS].join(' ') : "'none'";
  const directives = [
    "default-src 'self'",
    // 'strict-dynamic': scripts the nonce'd Next.js runtime loads are trusted; host lists are then ignored.
    `script-src 'self' 'nonce-${o.nonce}' 'strict-dynamic'${o.dev ? " 'unsafe-eval'" : ''}`,
    // React style attributes (style={{…}}) and the charts' inline styles cannot carry a nonce.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    // Replies stream over EventSource and tRPC over fetch, both same-origin (plus the dev server's websocket).
    `connect-src 'self'${o.dev ? ' ws: wss:' : ''}`,
    "object-src 'none'",
    "base-uri 'self'",
    `form-action ${o.participantPage ? ["'self'", ...RECRUITMENT_FORM_TARGETS].join(' ') : "'self'"}`,
    `frame-ancestors ${frameAncestors}`,
    ...(o.https ? ['upgrade-insecure-requests'] : []),
  ];
  return directives.join('; ');
}

/** A fresh nonce per response: 128 random bits, base64. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

export function isParticipantPage(pathname: string): boolean {
  return pathname === '/s' || pathname.startsWith('/s/');
}

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

/** Whether the browser reached us over HTTPS: directly, or through a TLS-terminating proxy's X-Forwarded-Proto. */
export function isHttpsRequest(url: string | undefined, headers: HeaderSource): boolean {
  if (url?.startsWith('https:')) return true;
  const raw = headers instanceof Headers ? headers.get('x-forwarded-proto') : headers['x-forwarded-proto'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value?.split(',')[0]?.trim().toLowerCase() === 'https';
}
