/**
 * Database access for the app, the worker, scripts and tests.
 * Real Postgres when DATABASE_URL is set; otherwise an embedded PGlite database in DATA_DIR.
 * Both run the same committed migrations (db/migrations) before first use.
 */
import path from 'node:path';
import fs from 'node:fs';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import * as schema from './schema';
import { env } from '../server/env';

export { schema };
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction handle has the same query API as the database. */
export type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];
export type DbExecutor = Database | Tx;

export interface DbHandle {
  db: Database;
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
  /**
   * Calls `onNotify` on every NOTIFY on `channel` from any process (Postgres only: on the embedded
   * database there is one process, which nudges itself). Resolves to an unsubscribe function.
   */
  listen?(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
}

export const migrationsFolder = path.join(process.cwd(), 'db', 'migrations');
/** Connections per process (postgres-js opens them on demand, up to this many). */
export const POSTGRES_POOL_SIZE = 20;
// Any fixed 64-bit number works; it only needs to be the same in every process of this app.
const MIGRATION_LOCK_KEY = 727_302_115;

async function openPostgres(url: string): Promise<DbHandle> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const { migrate } = await import('drizzle-orm/postgres-js/migrator');

  // Migrate over one dedicated connection holding an advisory lock, so an app and workers
  // starting together apply each migration exactly once.
  const migrationClient = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migrationClient`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    await migrate(drizzle(migrationClient), { migrationsFolder });
    await migrationClient`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
  } finally {
    await migrationClient.end();
  }

  const client = postgres(url, { max: POSTGRES_POOL_SIZE, onnotice: () => {} });
  const db = drizzle(client, { schema, casing: 'snake_case' }) as unknown as Database;
  return {
    db,
    kind: 'postgres',
    close: () => client.end(),
    async listen(channel, onNotify) {
      // postgres-js keeps one extra connection for all listeners and re-subscribes after reconnecting.
      const { unlisten } = await client.listen(channel, (payload) => onNotify(payload));
      return unlisten;
    },
  };
}

async function openPglite(dataDir: string): Promise<DbHandle> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  const lockfile = (await import('proper-lockfile')).default;

  const dir = path.resolve(dataDir, 'pglite');
  fs.mkdirSync(dir, { recursive: true });
  // PGlite is single-process: a second process on the same folder silently loses writes.
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dir, { stale: 15_000, update: 5_000, lockfilePath: `${dir}.lock` });
  } catch {
    throw new Error(
      `The embedded database in ${dir} is already open in another process (a dev server, worker or script). ` +
        'Stop that process, or set DATABASE_URL to use a real Postgres shared by several processes.',
    );
  }
  const client = new PGlite(dir);
  await client.waitReady;
  const db = drizzle(client, { schema, casing: 'snake_case' }) as unknown as Database;
  await migrate(drizzle(client), { migrationsFolder });
  return {
    db,
    kind: 'pglite',
    async close() {
      await client.close();
      await release();
    },
  };
}

const globalForDb = globalThis as unknown as { __collabDb?: Promise<DbHandle> };

/** Opens (once per process) and migrates the database. */
export function getDbHandle(): Promise<DbHandle> {
  globalForDb.__collabDb ??= (env.DATABASE_URL ? openPostgres(env.DATABASE_URL) : openPglite(env.DATA_DIR)).catch(
    (err: unknown) => {
      globalForDb.__collabDb = undefined;
      throw err;
    },
  );
  return globalForDb.__collabDb;
}

export async function getDb(): Promise<Database> {
  return (await getDbHandle()).db;
}

export async function closeDb(): Promise<void> {
  const handle = globalForDb.__collabDb;
  globalForDb.__collabDb = undefined;
  if (handle) await (await handle).close();
}

export async function checkDb(): Promise<{ ok: boolean; kind: DbHandle['kind'] | 'unknown'; error?: string }> {
  try {
    const handle = await getDbHandle();
    await handle.db.execute(sql`select 1`);
    return { ok: true, kind: handle.kind };
  } catch (err) {
    return { ok: false, kind: env.DATABASE_URL ? 'postgres' : 'pglite', error: (err as Error).message };
  }
}
