/**
 * The app router. Each domain's router lives in server/api/routers/<domain>.ts;
 * add one line here per router.
 */
import { createCallerFactory, router } from './trpc';
import { healthRouter } from './routers/health';
import { studiesRouter } from './routers/studies';
import { tokensRouter } from './routers/tokens';
import { usersRouter } from './routers/users';

export const appRouter = router({
  health: healthRouter,
  users: usersRouter,
  tokens: tokensRouter,
  studies: studiesRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
