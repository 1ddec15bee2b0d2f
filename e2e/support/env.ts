/** Where the e2e server's database and fake LLM endpoint live; shared by serve.ts and specs. */
import { TEST_PG_ADMIN_URL } from '../../db/testing/test-database';

export function e2eDatabaseUrl(): string {
  const name = process.env.E2E_DB_NAME;
  if (!name) throw new Error('E2E_DB_NAME is not set (playwright.config.ts sets it)');
  const url = new URL(TEST_PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export const e2eAdmin = { email: 'admin@e2e.test', password: 'e2e-admin-password' };
export const e2eLlmPort = Number(process.env.E2E_LLM_PORT ?? Number(process.env.E2E_PORT ?? 3100) + 1);
/** A second server on the same build with no DATABASE_URL (embedded PGlite), as the README's quick start runs it. */
export const e2eEmbeddedPort = Number(process.env.E2E_EMBEDDED_PORT ?? Number(process.env.E2E_PORT ?? 3100) + 2);
