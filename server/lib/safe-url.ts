/**
 * URLs from configuration that reach a browser (a redirect, a link, a form action) must never carry a script:
 * `javascript:`, `data:` or `vbscript:` in `window.location` or an `href` runs in the app's origin. Only https is
 * accepted, and plain http only for the machine itself (local pilots). Pure, so the setup form, the server and
 * the participant's browser apply the same rule.
 */
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export const SAFE_URL_MESSAGE = 'must be an https:// address (http:// only for localhost)';

/** True for an absolute https URL, or an http URL on localhost / 127.0.0.1 / [::1]. */
export function isSafeExternalUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname);
}

/** A completion URL template (`{code}` stands for the code) is safe when every filled-in URL is. */
export function isSafeCompletionUrlTemplate(template: string): boolean {
  return isSafeExternalUrl(template.replaceAll('{code}', 'CODE'));
}
