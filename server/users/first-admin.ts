/**
 * Start-up step: make sure an admin exists and, when its password was generated, print the
 * sign-in exactly once. `write` is injectable so a test can check what is printed.
 */
import type { Database } from '../../db';
import { logger } from '../lib/logger';
import { ensureAdmin } from './service';

export async function announceFirstAdmin(
  db: Database,
  opts: { email?: string; password?: string },
  write: (text: string) => void = (text) => void process.stderr.write(text),
): Promise<void> {
  const result = await ensureAdmin(db, opts);
  if (!result.created) return;
  if (!result.generatedPassword) {
    logger.info('created the first admin from ADMIN_EMAIL / ADMIN_PASSWORD', { email: result.email });
    return;
  }
  // Written straight to stderr, whatever LOG_LEVEL says: this is the only time the password exists in clear.
  write(
    [
      '',
      '==================== CollabStudy first admin ====================',
      '  Sign in at /sign-in with',
      `    email:    ${result.email}`,
      `    password: ${result.generatedPassword}`,
      '  This password is shown only once. Change it under Settings.',
      '=================================================================',
      '',
    ].join('\n'),
  );
}
