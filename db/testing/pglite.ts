/**
 * Opens a migrated embedded PGlite database in a folder of the test's choosing, so tests can prove
 * code works on the embedded database while the rest of the suite uses Postgres (getDbHandle picks
 * one per process from the environment). Same drizzle options and migrations as db/index.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { migrationsFolder, schema, type Database } from '../index';

export async function openTestPglite(dataDir: string): Promise<{ db: Database; close(): Promise<void> }> {
  const dir = path.resolve(dataDir, 'pglite');
  fs.mkdirSync(dir, { recursive: true });
  const client = new PGlite(dir);
  await client.waitReady;
  await migrate(drizzle(client), { migrationsFolder });
  const db = drizzle(client, { schema, casing: 'snake_case' }) as unknown as Database;
  return { db, close: () => client.close() };
}
