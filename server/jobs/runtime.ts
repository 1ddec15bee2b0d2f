/**
 * The process-wide job worker: started by bootstrap (in the web process) or scripts/worker.ts.
 * Services call `nudgeJobs()` after enqueueing so an in-process worker claims at once.
 */
import type { DbHandle } from '../../db';
import { env } from '../env';
import { logger } from '../lib/logger';
import { JOBS_CHANNEL } from './queue';
import { JobWorker, type JobDefinition } from './worker';

const globalForJobs = globalThis as unknown as { __collabJobWorker?: JobWorker };

const globalForWake = globalThis as unknown as { __collabJobWake?: Promise<(() => Promise<void>) | null> };

export function startJobWorker(handle: DbHandle, definitions: JobDefinition[], opts: { concurrency?: number } = {}): JobWorker {
  if (globalForJobs.__collabJobWorker) return globalForJobs.__collabJobWorker;
  const worker = new JobWorker({
    db: handle.db,
    definitions,
    concurrency: opts.concurrency ?? env.WORKER_CONCURRENCY,
    leaseMs: env.JOB_LEASE_MS,
    pollIntervalMs: env.JOB_POLL_INTERVAL_MS,
    retryBaseMs: env.LLM_RETRY_BASE_MS,
    // A week of finished jobs is plenty for debugging; the benchmark tables keep the outcomes.
    keepFinishedMs: 7 * 24 * 60 * 60_000,
  });
  worker.start();
  globalForJobs.__collabJobWorker = worker;
  // Jobs enqueued by other processes (the web app, another worker) wake this one at once; polling stays
  // as the fallback for delayed retries, expired leases and a lost listen connection.
  globalForWake.__collabJobWake = handle.listen
    ? handle.listen(JOBS_CHANNEL, () => worker.nudge()).catch((err: unknown) => {
        logger.warn('could not listen for new jobs; falling back to polling', { error: err });
        return null;
      })
    : Promise.resolve(null);
  logger.info('job worker started', { workerId: worker.workerId, kinds: definitions.map((d) => d.kind) });
  return worker;
}

export function nudgeJobs(): void {
  globalForJobs.__collabJobWorker?.nudge();
}

export async function stopJobWorker(opts: { graceMs?: number } = {}): Promise<void> {
  const worker = globalForJobs.__collabJobWorker;
  globalForJobs.__collabJobWorker = undefined;
  const unlisten = await globalForWake.__collabJobWake;
  globalForWake.__collabJobWake = undefined;
  await unlisten?.().catch(() => {});
  if (worker) await worker.stop(opts);
}
