/**
 * Playwright's web server: creates the run's database, builds the app into its own folder,
 * and serves it with `next start`. Extra services the specs need are started here too.
 */
import { spawn, spawnSync } from 'node:child_process';
import postgres from 'postgres';
import { TEST_PG_ADMIN_URL } from '../../db/testing/test-database';
import { e2eAdmin, e2eDatabaseUrl } from './env';

const databaseUrl = e2eDatabaseUrl();
const admin = postgres(TEST_PG_ADMIN_URL, { max: 1, onnotice: () => {} });
await admin.unsafe(`drop database if exists "${process.env.E2E_DB_NAME}" with (force)`);
await admin.unsafe(`create database "${process.env.E2E_DB_NAME}"`);
await admin.end();

const env = {
  ...process.env,
  NODE_ENV: 'production',
  DATABASE_URL: databaseUrl,
  AUTH_SECRET: 'e2e-secret-at-least-16-characters',
  NEXTAUTH_URL: `http://127.0.0.1:${process.env.E2E_PORT}`,
  ADMIN_EMAIL: e2eAdmin.email,
  ADMIN_PASSWORD: e2eAdmin.password,
  DEMO_MODEL_WORD_DELAY_MS: process.env.DEMO_MODEL_WORD_DELAY_MS ?? '5',
  LOG_LEVEL: 'warn',
} as NodeJS.ProcessEnv;

if (process.env.E2E_SKIP_BUILD !== '1') {
  const build = spawnSync('npx', ['next', 'build'], { env, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const server = spawn('npx', ['next', 'start', '-p', String(process.env.E2E_PORT), '-H', '127.0.0.1'], { env, stdio: 'inherit' });
const stop = () => server.kill('SIGTERM');
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
server.on('exit', (code) => process.exit(code ?? 0));
