/**
 * The request's Cookie header as a map. A value whose percent-escapes are broken (`%E0%A4%A`) is kept as sent
 * instead of throwing, as the `cookie` package does: a stray cookie set by another app on the same host must not
 * turn every page and call into a server error. Hand-written because both callers need a Map and nothing more.
 */
export function parseCookieHeader(header: string | null | undefined): Map<string, string> {
  const jar = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    const name = part.slice(0, i).trim();
    if (!name || jar.has(name)) continue; // the first one wins, as in browsers' most specific-path-first order
    jar.set(name, decodeCookieValue(part.slice(i + 1).trim()));
  }
  return jar;
}

function decodeCookieValue(raw: string): string {
  const value = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
