import { defineConfig } from 'vitest/config';
import path from 'node:path';

export default defineConfig({
  resolve: { alias: { '~': path.resolve(import.meta.dirname) } },
  test: {
    include: ['server/**/*.test.ts', 'db/**/*.test.ts', 'scripts/**/*.test.ts', 'bench/**/*.test.ts'],
    globalSetup: ['db/testing/vitest-global-setup.ts'],
    env: { NODE_ENV: 'test', AUTH_SECRET: 'test-secret-at-least-16-chars', LOG_LEVEL: 'error', LLM_RETRY_BASE_MS: '5', DEMO_MODEL_WORD_DELAY_MS: '0' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
