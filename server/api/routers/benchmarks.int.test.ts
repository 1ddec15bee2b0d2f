import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, getDb, type Database } from '../../../db';
import { ensureBuiltinTaskSet, builtinTaskIds } from '../../benchmarks/tasks/builtin';
import { createCallerFactory, createInnerContext } from '../trpc';
import { createRoleActors, expectRoleMatrix, type RoleMatrixActors } from '../testing/role-matrix';
import { benchmarksRouter } from './benchmarks';

let db: Database;
let actors: RoleMatrixActors;
beforeAll(async () => {
  db = await getDb();
  actors = await createRoleActors(db, 'benchmarks-router');
  await ensureBuiltinTaskSet(db);
});
afterAll(closeDb);

describe('benchmarks router', () => {
  it('lets staff read, researchers import task sets, and only admins start, cancel or re-score runs', async () => {
    const rows = await expectRoleMatrix({
      router: benchmarksRouter,
      db,
      actors,
      access: {
        list: 'viewer',
        get: 'viewer',
        progress: 'viewer',
        results: 'viewer',
        analysis: 'viewer',
        items: 'viewer',
        item: 'viewer',
        taskSets: 'viewer',
        newRunOptions: 'admin',
        create: 'admin',
        cancel: 'admin',
        rescore: 'admin',
        importTaskSet: 'researcher',
        previewTaskSet: 'researcher',
        bleuFloor: 'viewer',
      },
    });
    expect(rows.find((r) => r.path === 'create' && r.as === 'researcher')?.got).toBe('FORBIDDEN');
    expect(rows.find((r) => r.path === 'list' && r.as === 'viewer')?.got).toBe('ok');
  });

  it('creates a demo run for an admin and reports field errors for a bad form', async () => {
    const caller = createCallerFactory(benchmarksRouter)(createInnerContext({ db, actor: actors.admin }));
    const taskIds = await builtinTaskIds(db);
    const arm = { key: 'baseline', label: 'Baseline', connectionId: null, model: 'baseline', systemPrompt: '' };
    const bad = await caller
      .create({ name: '', config: { arms: [arm], taskIds: [], simulator: { connectionId: null }, judge: { connectionId: null } } })
      .catch((e: unknown) => e as { code: string; message: string });
    expect(bad).toMatchObject({ code: 'BAD_REQUEST' });
    const { runId, items } = await caller.create({
      name: 'router demo',
      config: { arms: [arm], taskIds: taskIds.slice(0, 2), simulator: { connectionId: null }, judge: { connectionId: null }, concurrency: 2 },
    });
    expect(items).toBe(2);
    const progress = await caller.progress({ runId });
    expect(progress.run).toMatchObject({ name: 'router demo', status: 'queued', isDemo: true });
    expect(progress.counts.total).toBe(2);
    await caller.cancel({ runId });
    expect((await caller.progress({ runId })).run.status).toBe('cancelled');
    const options = await caller.newRunOptions();
    expect(options.taskSets.find((s) => s.builtIn)?.tasks.length).toBe(taskIds.length);
  });
});
