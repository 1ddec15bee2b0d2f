/**
 * Runs once when a server process starts (instrumentation.ts) and in `npm run worker`.
 * Each step is idempotent, so several processes on one Postgres may run it together.
 */
import { getDbHandle } from '../db';
import { logger } from './lib/logger';
import { ensureDemoStudy } from './studies/demo-study';
import { ensureBuiltinTaskSet } from './benchmarks/tasks/builtin';

export async function bootstrap(opts: { role?: 'web' | 'worker' } = {}): Promise<void> {
  const handle = await getDbHandle();
  logger.info('database ready', { kind: handle.kind });
  await ensureDemoStudy(handle.db);
  await ensureBuiltinTaskSet(handle.db);
  if ((opts.role ?? 'web') === 'web') {
    const { shouldRunJobsInApp, startBackgroundJobs } = await import('./jobs/start');
    if (shouldRunJobsInApp(handle)) startBackgroundJobs(handle);
  }
}
