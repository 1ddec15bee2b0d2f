/**
 * `npm run worker`: a background job process. Run any number of them, on any machines, against
 * the same DATABASE_URL; they share the queue (and each benchmark run's concurrency limit).
 * On SIGTERM/SIGINT it stops claiming, lets running jobs finish (WORKER_GRACE_MS, default 10 s),
 * hands the rest back to the queue and exits.
 */
import { sql } from 'drizzle-orm';
import { closeDb, getDbHandle, POSTGRES_POOL_SIZE } from '../db';
import { env } from '../server/env';
import { bootstrap } from '../server/bootstrap';
import { startBackgroundJobs } from '../server/jobs/start';
import { logger } from '../server/lib/logger';

if (!env.DATABASE_URL) {
  console.error(
    'npm run worker needs DATABASE_URL (a Postgres shared with the app). On the embedded database the app runs jobs itself.',
  );
  process.exit(1);
}

await bootstrap({ role: 'worker' });
const handle = await getDbHandle();
// Open the pool's connections now: otherwise the first jobs of a run all wait while twenty connections
// are set up at once (and Postgres starts a backend for each).
await Promise.all(Array.from({ length: POSTGRES_POOL_SIZE }, () => handle.db.execute(sql`select 1`)));
const graceMs = Number(process.argv.find((a) => a.startsWith('--grace-ms='))?.split('=')[1] ?? 10_000);
const worker = startBackgroundJobs(handle, {
  graceMs,
  async onStopped() {
    await closeDb();
    logger.info('worker stopped');
    process.exit(0);
  },
});
logger.info('worker ready', { workerId: worker.workerId, concurrency: env.WORKER_CONCURRENCY });
