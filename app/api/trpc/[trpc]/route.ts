import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { appRouter } from '~/server/api/root';
import { createTRPCContext } from '~/server/api/trpc';
import { procedurePathsOf, trpcBodyLimit, trpcPayloadTooLarge } from '~/server/api/body-limits';
import { resolveActor, type Actor } from '~/server/auth/session';
import { readBodyWithin } from '~/server/http/body-limit';

export const dynamic = 'force-dynamic';
// Streaming replies outlive a short default; the generation itself is detached from the request anyway.
export const maxDuration = 300;

async function handler(incoming: Request) {
  let req = incoming;
  let actor: Actor | null | undefined;
  if (req.method === 'POST') {
    // Refuse a declared size over every cap before any database work, then find the caller (only needed
    // when a staff procedure is named) and cap the body for them before tRPC parses it.
    const paths = procedurePathsOf(req.url);
    const mostAllowed = trpcBodyLimit(paths, true);
    if (Number(req.headers.get('content-length') ?? 0) > mostAllowed) return trpcPayloadTooLarge(req.url, mostAllowed);
    if (mostAllowed > trpcBodyLimit(paths, false)) actor = await resolveActor(req.headers);
    const limit = trpcBodyLimit(paths, Boolean(actor));
    const body = await readBodyWithin(req, limit);
    if (!body.ok) return trpcPayloadTooLarge(req.url, limit);
    req = body.request;
  }
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    createContext: ({ resHeaders }) => createTRPCContext({ req, resHeaders, actor }),
  });
}

export { handler as GET, handler as POST };
