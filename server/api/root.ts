/**
 * The app router. Each domain's router lives in server/api/routers/<domain>.ts;
 * add one line here per router.
 */
import { createCallerFactory, router } from './trpc';
import { healthRouter } from './routers/health';
import { monitorRouter } from './routers/monitor';
import { transcriptsRouter } from './routers/transcripts';
import { exportsRouter } from './routers/exports';
import { resultsRouter } from './routers/results';

export const appRouter = router({
  health: healthRouter,
  monitor: monitorRouter,
  transcripts: transcriptsRouter,
  exports: exportsRouter,
  results: resultsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
