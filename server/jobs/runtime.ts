/**
 * The process-wide job worker: started by bootstrap (in the web process) or scripts/worker.ts.
 * Services call `nudgeJobs()` after enqueueing so an in-process worker claims at once.
 */
import type { Database } from '../../db';
import { env } from '../env';
import { logger } from '../lib/logger';
import { JobWorker, type JobDefinition } from './worker';

const globalForJobs = globalThis as unknown as { __collabJobWorker?: JobWorker };

export function startJobWorker(db: Database, definitions: JobDefinition[], opts: { concurrency?: number } = {}): JobWorker {
  if (globalForJobs.__collabJobWorker) return globalForJobs.__collabJobWorker;
  const worker = new JobWorker({
    db,
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
  logger.info('job worker started', { workerId: worker.workerId, kinds: definitions.map((d) => d.kind) });
  return worker;
}

export function nudgeJobs(): void {
  globalForJobs.__collabJobWorker?.nudge();
}

export async function stopJobWorker(opts: { graceMs?: number } = {}): Promise<void> {
  const worker = globalForJobs.__collabJobWorker;
  globalForJobs.__collabJobWorker = undefined;
  if (worker) await worker.stop(opts);
}
