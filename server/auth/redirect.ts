/**
 * Where to send someone after signing in. Only same-site paths are accepted, so a crafted
 * link cannot bounce a researcher to another site after they type their password.
 */
export const DEFAULT_AFTER_SIGN_IN = '/studies';

export function safeCallbackPath(raw: string | string[] | null | undefined): string {
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value) return DEFAULT_AFTER_SIGN_IN;
  let path = value;
  // NextAuth sometimes hands back an absolute URL on our own origin; keep only its path.
  if (/^https?:\/\//i.test(path)) {
    try {
      const url = new URL(path);
      path = `${url.pathname}${url.search}${url.hash}`;
    } catch {
      return DEFAULT_AFTER_SIGN_IN;
    }
  }
  if (!path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\')) return DEFAULT_AFTER_SIGN_IN;
  if (path.startsWith('/sign-in') || path.startsWith('/api/')) return DEFAULT_AFTER_SIGN_IN;
  return path;
}

/** The sign-in page URL that returns to `path` afterwards. */
export function signInUrl(path: string | null | undefined): string {
  const back = safeCallbackPath(path);
  return back === DEFAULT_AFTER_SIGN_IN ? '/sign-in' : `/sign-in?callbackUrl=${encodeURIComponent(back)}`;
}

/** Request header the proxy sets so server layouts know the path being rendered. */
export const PATHNAME_HEADER = 'x-collab-pathname';
