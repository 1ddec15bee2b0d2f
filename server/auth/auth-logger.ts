/**
 * NextAuth's log output through our logger. NextAuth warns "NEXTAUTH_URL" whenever it cannot tell
 * the site's address; it remembers that it warned in a module variable, which Next.js re-creates
 * whenever it recompiles or re-evaluates the route in development, so the warning repeated on
 * nearly every sign-in request. Locally, without NEXTAUTH_URL, the request's host is right anyway:
 * say so once per process, in plain words, and pass every other message through.
 */
import type { LoggerInstance } from 'next-auth';
import { logger } from '../lib/logger';

const state = globalThis as typeof globalThis & { __collabNextAuthUrlWarned?: boolean };

export function shouldLogNextAuthWarning(code: string): boolean {
  if (code !== 'NEXTAUTH_URL') return true;
  if (state.__collabNextAuthUrlWarned) return false;
  state.__collabNextAuthUrlWarned = true;
  return true;
}

export const authLogger: Partial<LoggerInstance> = {
  warn(code) {
    if (!shouldLogNextAuthWarning(code)) return;
    if (code === 'NEXTAUTH_URL')
      logger.warn('NEXTAUTH_URL is not set: sign-in uses the address of each request. Set NEXTAUTH_URL to the public address in production.');
    else logger.warn(`next-auth warning: ${code}`);
  },
  error(code, metadata) {
    logger.error(`next-auth error: ${code}`, { metadata });
  },
  debug() {
    // NextAuth's debug output is only produced with `debug: true`, which we never set.
  },
};
