/**
 * Playwright's web server: creates the run's database, builds the app into its own folder,
 * and serves it with `next start`. Extra services the specs need are started here too.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { TEST_PG_ADMIN_URL } from '../../db/testing/test-database';
import { e2eAdmin, e2eDatabaseUrl, e2eEmbeddedPort, e2eLlmPort } from './env';
import { startFakeOpenAIServer } from '../../scripts/fake-openai-server';

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
  // Training jobs against the fake provider: poll often (the fake advances one step per poll).
  TRAINING_POLL_INTERVAL_MS: process.env.TRAINING_POLL_INTERVAL_MS ?? '300',
  // Every browser here is 127.0.0.1 (Next.js sets X-Forwarded-For from the socket), so the per-address limit on new
  // participant sessions (30 per 10 min) would refuse whichever spec happened to start the 31st within a window.
  PARTICIPANT_ENTER_LIMIT: '100000',
} as NodeJS.ProcessEnv;

if (process.env.E2E_SKIP_BUILD !== '1') {
  const build = spawnSync('npx', ['next', 'build'], { env, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
// The local OpenAI-compatible endpoint that e2e studies point their arms at (llm_connections rows).
// A small delay per token makes replies visibly stream, as a real endpoint would.
const fakeLlm = await startFakeOpenAIServer({ port: e2eLlmPort, host: '127.0.0.1', tokenDelayMs: 20 });
const server = spawn('npx', ['next', 'start', '-p', String(process.env.E2E_PORT), '-H', '127.0.0.1'], { env, stdio: 'inherit' });
// The same build on the zero-setup defaults (no DATABASE_URL: embedded PGlite in a fresh data folder), which is what
// the README's first command gives a newcomer; e2e/quickstart-embedded.spec.ts completes /s/demo on it.
const embeddedDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'collab-e2e-embedded-'));
const embeddedEnv: NodeJS.ProcessEnv = { ...env, DATA_DIR: embeddedDataDir, NEXTAUTH_URL: `http://127.0.0.1:${e2eEmbeddedPort}` };
delete embeddedEnv.DATABASE_URL;
delete embeddedEnv.ADMIN_EMAIL;
delete embeddedEnv.ADMIN_PASSWORD;
const embedded = spawn('npx', ['next', 'start', '-p', String(e2eEmbeddedPort), '-H', '127.0.0.1'], { env: embeddedEnv, stdio: 'inherit' });
const stop = () => {
  server.kill('SIGTERM');
  embedded.kill('SIGTERM');
  void fakeLlm.close();
};
embedded.on('exit', () => fs.rmSync(embeddedDataDir, { recursive: true, force: true }));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
server.on('exit', (code) => {
  void fakeLlm.close().finally(() => process.exit(code ?? 0));
});
