/**
 * The client's network address, for sign-in limits and rate limits.
 *
 * Next.js writes the socket's peer address into X-Forwarded-For only when the request has none, and each
 * proxy in front of the app appends the address it saw. With `TRUST_PROXY_HOPS` = n proxies, the n-th entry
 * from the right is the address the outermost trusted proxy saw (anything left of it was sent by the client
 * and could be made up). With 0 (no proxy) the rightmost entry is used: the peer address Next.js recorded —
 * unless the client sent its own header, which a directly exposed server cannot tell apart (README: run
 * production behind a proxy and set TRUST_PROXY_HOPS).
 */
import { env } from '../env';

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function headerValue(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(',') : value;
}

/** At most this many characters are kept, so a forged header cannot make rate-limit keys arbitrarily long. */
const MAX_ADDRESS_LENGTH = 64;

export function clientAddress(headers: HeaderSource, trustedHops: number = env.TRUST_PROXY_HOPS): string {
  const entries = (headerValue(headers, 'x-forwarded-for') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) return 'unknown';
  // Fewer entries than proxies: the request did not pass through all of them; the leftmost is the best we have.
  const index = Math.max(0, entries.length - Math.max(1, trustedHops));
  return entries[index]!.slice(0, MAX_ADDRESS_LENGTH);
}
