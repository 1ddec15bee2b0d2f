/** A demo run on the embedded database, in-process, with the real executor and job definitions. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { schema, type Database } from '../../../db';
import { openTestPglite } from '../../../db/testing/pglite';
import { appJobDefinitions } from '../../jobs/definitions';
import { JobWorker } from '../../jobs/worker';
import { demoRunConfig } from '../run-config';
import { builtinTaskIds, ensureBuiltinTaskSet } from '../tasks/builtin';
import { createRun } from './commands';
import { getRunProgress } from './progress';

let db: Database;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ db, close } = await openTestPglite(fs.mkdtempSync(path.join(os.tmpdir(), 'pglite-run-'))));
  await ensureBuiltinTaskSet(db);
});
afterAll(() => close());

it('runs a demo benchmark on PGlite inside the process', async () => {
  const [admin] = await db.insert(schema.users).values({ email: 'pglite-admin@test.local', role: 'admin' }).returning();
  const worker = new JobWorker({ db, definitions: appJobDefinitions(), concurrency: 4, pollIntervalMs: 20 });
  worker.start();
  try {
    const taskIds = (await builtinTaskIds(db)).slice(0, 2);
    const { runId, items } = await createRun(
      { db, actor: { id: admin!.id, email: admin!.email, name: null, role: 'admin', via: 'session' } },
      { name: 'pglite demo', config: demoRunConfig(taskIds, { maxTurns: 4, concurrency: 3 }) },
    );
    expect(items).toBe(6);
    const deadline = Date.now() + 60_000;
    while ((await getRunProgress(db, runId)).run.status !== 'completed' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const progress = await getRunProgress(db, runId);
    expect(progress.run).toMatchObject({ status: 'completed', isDemo: true });
    expect(progress.counts).toMatchObject({ total: 6, completed: 6 });
    const rows = await db.select().from(schema.benchmarkItems).where(eq(schema.benchmarkItems.runId, runId));
    expect(rows.every((r) => r.conversationId && r.attempts === 1)).toBe(true);
  } finally {
    await worker.stop({ graceMs: 1000 });
  }
});
