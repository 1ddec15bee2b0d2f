import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { appRouter } from '~/server/api/root';
import { createTRPCContext } from '~/server/api/trpc';

export const dynamic = 'force-dynamic';
// Streaming replies outlive a short default; the generation itself is detached from the request anyway.
export const maxDuration = 300;

function handler(req: Request) {
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    createContext: ({ resHeaders }) => createTRPCContext({ req, resHeaders }),
  });
}

export { handler as GET, handler as POST };
