import { afterEach, describe, expect, it, vi } from 'vitest';
import { logger } from '../lib/logger';
import { authLogger, shouldLogNextAuthWarning } from './auth-logger';

describe('NextAuth warnings', () => {
  afterEach(() => vi.restoreAllMocks());

  it('reports a missing NEXTAUTH_URL once per process, however often NextAuth repeats it, and passes other warnings on', () => {
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => {});
    for (let i = 0; i < 5; i++) authLogger.warn!('NEXTAUTH_URL');
    authLogger.warn!('DEBUG_ENABLED');
    const messages = warn.mock.calls.map(([m]) => m);
    expect(messages.filter((m) => m.includes('NEXTAUTH_URL is not set'))).toHaveLength(1);
    expect(messages).toContain('next-auth warning: DEBUG_ENABLED');
    expect(shouldLogNextAuthWarning('NEXTAUTH_URL')).toBe(false);
    expect(shouldLogNextAuthWarning('NO_SECRET')).toBe(true);
  });
});
