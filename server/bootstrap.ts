/**
 * Runs once when a server process starts (instrumentation.ts) and in `npm run worker`.
 * Each step is idempotent, so several processes on one Postgres may run it together.
 */
import { getDbHandle } from '../db';
import { env } from './env';
import { logger } from './lib/logger';
import { ensureDemoStudy } from './studies/demo-study';
import { ensureBuiltinTaskSet } from './benchmarks/tasks/builtin';
import { announceFirstAdmin } from './users/first-admin';

export async function bootstrap(opts: { role?: 'web' | 'worker' } = {}): Promise<void> {
  const handle = await getDbHandle();
  logger.info('database ready', { kind: handle.kind });
  // The first admin: from ADMIN_EMAIL / ADMIN_PASSWORD, or generated and printed exactly once.
  await announceFirstAdmin(handle.db, { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD });
  await ensureDemoStudy(handle.db);
  await ensureBuiltinTaskSet(handle.db);
  if ((opts.role ?? 'web') === 'web') {
    const { shouldRunJobsInApp, startBackgroundJobs } = await import('./jobs/start');
    if (shouldRunJobsInApp(handle)) startBackgroundJobs(handle);
  }
}

