/**
 * Runs once when a server process starts (instrumentation.ts) and in `npm run worker`.
 * Each step is idempotent, so several processes on one Postgres may run it together.
 */
import { getDbHandle, type Database } from '../db';
import { env } from './env';
import { logger } from './lib/logger';
import { ensureDemoStudy } from './studies/demo-study';
import { ensureBuiltinTaskSet } from './benchmarks/tasks/builtin';
import { ensureAdmin } from './users/service';

export async function bootstrap(opts: { role?: 'web' | 'worker' } = {}): Promise<void> {
  const handle = await getDbHandle();
  logger.info('database ready', { kind: handle.kind });
  await ensureAdminStep(handle.db);
  await ensureDemoStudy(handle.db);
  await ensureBuiltinTaskSet(handle.db);
  if ((opts.role ?? 'web') === 'web') {
    const { shouldRunJobsInApp, startBackgroundJobs } = await import('./jobs/start');
    if (shouldRunJobsInApp(handle)) startBackgroundJobs(handle);
  }
}

/** The first admin: from ADMIN_EMAIL / ADMIN_PASSWORD, or generated and printed exactly once. */
async function ensureAdminStep(db: Database): Promise<void> {
  const result = await ensureAdmin(db, { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD });
  if (!result.created) return;
  if (result.generatedPassword) {
    // Written straight to stderr, whatever LOG_LEVEL says: this is the only time the password exists in clear.
    process.stderr.write(
      [
        '',
        '==================== CollabStudy first admin ====================',
        `  Sign in at /sign-in with`,
        `    email:    ${result.email}`,
        `    password: ${result.generatedPassword}`,
        '  This password is shown only once. Change it under Settings.',
        '=================================================================',
        '',
      ].join('\n'),
    );
  } else {
    logger.info('created the first admin from ADMIN_EMAIL / ADMIN_PASSWORD', { email: result.email });
  }
}
