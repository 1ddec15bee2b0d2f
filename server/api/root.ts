/**
 * The app router. Each domain's router lives in server/api/routers/<domain>.ts;
 * add one line here per router.
 */
import { createCallerFactory, router } from './trpc';
import { healthRouter } from './routers/health';
import { participantRouter } from './routers/participant';

export const appRouter = router({
  health: healthRouter,
  participant: participantRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
