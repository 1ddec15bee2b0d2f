/**
 * Starts background jobs in the current process and stops them on SIGTERM/SIGINT: stop claiming,
 * let running jobs finish for a grace period, hand the rest back to the queue.
 */
import type { DbHandle } from '../../db';
import { env } from '../env';
import { logger } from '../lib/logger';
import { appJobDefinitions } from './definitions';
import { startJobWorker, stopJobWorker } from './runtime';

/** The web process runs jobs itself on the embedded database (one process only) or when asked to. */
export function shouldRunJobsInApp(handle: DbHandle): boolean {
  return handle.kind === 'pglite' || env.RUN_JOBS_IN_APP;
}

let signalsInstalled = false;

export function startBackgroundJobs(handle: DbHandle, opts: { graceMs?: number; onStopped?: () => Promise<void> } = {}) {
  const worker = startJobWorker(handle, appJobDefinitions());
  if (!signalsInstalled) {
    signalsInstalled = true;
    const shutdown = (signal: string) => {
      logger.info('stopping job worker', { signal, running: worker.activeJobs });
      void stopJobWorker({ graceMs: opts.graceMs ?? 10_000 })
        .then(() => opts.onStopped?.())
        .catch((err: unknown) => logger.error('job worker stop failed', { error: err }));
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  }
  return worker;
}
