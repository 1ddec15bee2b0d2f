/**
 * Caps a request body before anything parses it. A declared Content-Length over the cap is refused at once,
 * without reading a byte; a body without one (chunked) is read only up to the cap and then dropped. What is
 * under the cap is buffered and handed on as a fresh request, so parsers downstream (tRPC, NextAuth) never
 * see more than the cap. Hand-written because the caps must apply in route handlers, where Next.js offers
 * none (its own limits cover server actions and the proxy's body copy only).
 */
import { NextRequest } from 'next/server';

export const KIB = 1024;
export const MIB = 1024 * KIB;

export type LimitedBody = { ok: true; request: NextRequest } | { ok: false; declared: number | null };

export async function readBodyWithin(req: Request, maxBytes: number): Promise<LimitedBody> {
  const header = req.headers.get('content-length');
  const declared = header !== null && /^\d+$/.test(header.trim()) ? Number(header) : null;
  if (declared !== null && declared > maxBytes) return { ok: false, declared };
  const chunks: Uint8Array[] = [];
  if (req.body) {
    const reader = req.body.getReader();
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => {});
        return { ok: false, declared };
      }
      chunks.push(value);
    }
  }
  const body = chunks.length ? Buffer.concat(chunks) : null;
  const headers = new Headers(req.headers);
  headers.delete('transfer-encoding');
  if (body) headers.set('content-length', String(body.byteLength));
  return { ok: true, request: new NextRequest(req.url, { method: req.method, headers, body, signal: req.signal }) };
}

export function formatBytes(bytes: number): string {
  return bytes >= MIB ? `${Math.round(bytes / MIB)} MB` : `${Math.round(bytes / KIB)} KB`;
}

/**
 * 413 for a body over the cap. `Connection: close` asks Node.js to drop the connection after answering
 * instead of reading (and discarding) the rest of a huge upload to keep the connection alive.
 */
export function payloadTooLarge(body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status: 413,
    headers: { 'content-type': 'application/json', connection: 'close' },
  });
}
