import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The embedded database is single-process: a second process on the same folder must fail
 * with a clear message instead of silently losing writes (measured in toolchain notes).
 */
describe('embedded PGlite database', () => {
  const script = `
    import { getDbHandle, closeDb, schema } from './db/index.ts';
    const handle = await getDbHandle();
    if (process.env.PGLITE_TEST_MODE === 'hold') {
      await handle.db.insert(schema.users).values({ email: 'holder@test.local' });
      process.stdout.write('ready\\n');
      // Hold the folder until the test kills this process, however slow the second process is to start.
      await new Promise((r) => setTimeout(r, Number(process.env.PGLITE_HOLD_MS ?? 120000)));
      await closeDb();
    } else {
      const rows = await handle.db.select().from(schema.users);
      process.stdout.write(JSON.stringify({ kind: handle.kind, users: rows.map((u) => u.email) }) + '\\n');
      await closeDb();
    }
  `;

  // Generous: each child starts tsx and opens (and migrates) PGlite, which took 44–60 s on a loaded CI machine.
  function run(dataDir: string, mode: string) {
    return spawnSync('npx', ['tsx', '--input-type=module', '-e', script], {
      cwd: process.cwd(),
      env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, PGLITE_TEST_MODE: mode },
      encoding: 'utf8',
      timeout: 240_000,
    });
  }

  it('migrates on first open and keeps data across processes', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'collab-pglite-'));
    const seed = spawnSync(
      'npx',
      ['tsx', '--input-type=module', '-e', script],
      { env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, PGLITE_TEST_MODE: 'hold', PGLITE_HOLD_MS: '0' }, encoding: 'utf8', timeout: 240_000 },
    );
    expect(seed.status, seed.stderr).toBe(0);
    const read = run(dataDir, 'read');
    expect(read.status, read.stderr).toBe(0);
    expect(JSON.parse(read.stdout.trim().split('\n').pop()!)).toEqual({ kind: 'pglite', users: ['holder@test.local'] });
  }, 600_000);

  it('refuses a second process on the same folder with a clear message', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'collab-pglite-'));
    const { spawn } = await import('node:child_process');
    const holder = spawn('npx', ['tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, PGLITE_TEST_MODE: 'hold' },
    });
    try {
      await new Promise<void>((resolve, reject) => {
        let out = '';
        holder.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('ready')) resolve();
        });
        holder.on('exit', (code) => reject(new Error(`holder exited early with ${code}`)));
      });
      const second = run(dataDir, 'read');
      expect(second.status).not.toBe(0);
      expect(second.stderr).toContain('already open in another process');
    } finally {
      holder.kill('SIGKILL');
    }
  }, 600_000);
});
