/**
 * The app router. Each domain's router lives in server/api/routers/<domain>.ts;
 * add one line here per router.
 */
import { createCallerFactory, router } from './trpc';
import { healthRouter } from './routers/health';
import { participantRouter } from './routers/participant';
import { studiesRouter } from './routers/studies';
import { tokensRouter } from './routers/tokens';
import { usersRouter } from './routers/users';
import { connectionsRouter } from './routers/connections';
import { monitorRouter } from './routers/monitor';
import { transcriptsRouter } from './routers/transcripts';
import { exportsRouter } from './routers/exports';
import { resultsRouter } from './routers/results';
import { benchmarksRouter } from './routers/benchmarks';
import { datasetsRouter } from './routers/datasets';
import { trainingJobsRouter } from './routers/training-jobs';
import { calibrationRouter } from './routers/calibration';
import { studyJudgingRouter } from './routers/study-judging';
import { planningRouter } from './routers/planning';
import { pilotsRouter } from './routers/pilots';

export const appRouter = router({
  health: healthRouter,
  participant: participantRouter,
  users: usersRouter,
  tokens: tokensRouter,
  studies: studiesRouter,
  connections: connectionsRouter,
  monitor: monitorRouter,
  transcripts: transcriptsRouter,
  exports: exportsRouter,
  results: resultsRouter,
  benchmarks: benchmarksRouter,
  datasets: datasetsRouter,
  trainingJobs: trainingJobsRouter,
  calibration: calibrationRouter,
  studyJudging: studyJudgingRouter,
  planning: planningRouter,
  pilots: pilotsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
