/**
 * Request body caps of the tRPC endpoint (app/api/trpc), chosen per procedure from the URL before the body is
 * read. Sizes follow the largest legitimate input of each kind, with room for JSON escaping and superjson:
 *  - participant calls (public): 1 MB — the largest is a draft autosave, at most 100,000 characters;
 *  - staff calls: 4 MB — a study setup (consent up to 50,000 characters, prompts up to 20,000 per arm, topics);
 *  - `benchmarks.importTaskSet`: 16 MB — the task file itself may be 5 MB (server/benchmarks/tasks/import.ts),
 *    and JSON escaping can double it;
 *  - staff calls without a valid session or token: 64 KB, so an anonymous caller cannot make the server
 *    buffer a large body only to be told "Please sign in".
 * A batch gets the largest cap among its procedures.
 */
import { KIB, MIB, formatBytes, payloadTooLarge } from '../http/body-limit';

export const TRPC_BODY_LIMITS = {
  participant: 1 * MIB,
  staff: 4 * MIB,
  anonymousStaff: 64 * KIB,
  taskImport: 16 * MIB,
} as const;

const PUBLIC_NAMESPACES = new Set(['participant', 'health']);
const LARGE_PROCEDURES: Record<string, number> = { 'benchmarks.importTaskSet': TRPC_BODY_LIMITS.taskImport };

/** Procedure paths named by a tRPC URL (`/api/trpc/a.b,c.d?batch=1`). */
export function procedurePathsOf(url: string): string[] {
  const { pathname } = new URL(url);
  const last = decodeURIComponentSafe(pathname.slice(pathname.lastIndexOf('/') + 1));
  return last.split(',').filter(Boolean);
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export function isPublicProcedure(path: string): boolean {
  return PUBLIC_NAMESPACES.has(path.split('.')[0] ?? '');
}

/** The cap for a request to these procedures; `signedIn` is whether the caller holds a valid session or token. */
export function trpcBodyLimit(paths: string[], signedIn: boolean): number {
  let limit = 0;
  for (const path of paths) {
    const cap = isPublicProcedure(path)
      ? TRPC_BODY_LIMITS.participant
      : !signedIn
        ? TRPC_BODY_LIMITS.anonymousStaff
        : (LARGE_PROCEDURES[path] ?? TRPC_BODY_LIMITS.staff);
    limit = Math.max(limit, cap);
  }
  return limit || TRPC_BODY_LIMITS.anonymousStaff;
}

/** A 413 in tRPC's own error shape (superjson-wrapped, one entry per call of a batch), so clients show the message. */
export function trpcPayloadTooLarge(url: string, limit: number): Response {
  const paths = procedurePathsOf(url);
  const shape = (path: string) => ({
    json: {
      message: `The request is too large (the limit here is ${formatBytes(limit)}).`,
      code: -32413,
      data: { code: 'PAYLOAD_TOO_LARGE', httpStatus: 413, path },
    },
  });
  const batched = new URL(url).searchParams.get('batch') === '1';
  return payloadTooLarge(batched ? paths.map((p) => ({ error: shape(p) })) : { error: shape(paths[0] ?? '') });
}
