import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, getDb, type Database } from '../../../db';
import { builtinTaskIds, ensureBuiltinTaskSet } from '../../benchmarks/tasks/builtin';
import { appJobDefinitions } from '../../jobs/definitions';
import { JobWorker } from '../../jobs/worker';
import { getDatasetExport } from '../../training/http/export-route';
import { DATASET_EXPORT_FORMATS, lineSchemas } from '../../training/datasets/formats';
import { userWithToken } from '../../training/testing/fixtures';
import { createCallerFactory, createInnerContext } from '../trpc';
import { createRoleActors, expectRoleMatrix, type RoleMatrixActors } from '../testing/role-matrix';
import { datasetsRouter } from './datasets';

let db: Database;
let actors: RoleMatrixActors;
beforeAll(async () => {
  db = await getDb();
  actors = await createRoleActors(db, 'datasets-router');
  await ensureBuiltinTaskSet(db);
});
afterAll(closeDb);

describe('datasets router', () => {
  it('lets staff read and researchers or admins create and cancel', async () => {
    const rows = await expectRoleMatrix({
      router: datasetsRouter,
      db,
      actors,
      access: {
        list: 'viewer',
        get: 'viewer',
        conversations: 'viewer',
        conversation: 'viewer',
        newOptions: 'researcher',
        createSynthetic: 'researcher',
        createFromStudy: 'researcher',
        cancel: 'researcher',
      },
    });
    expect(rows.find((r) => r.path === 'createSynthetic' && r.as === 'viewer')?.got).toBe('FORBIDDEN');
  });

  it('builds a demo dataset, and the export route streams every format, the manifest and the card', async () => {
    const caller = createCallerFactory(datasetsRouter)(createInnerContext({ db, actor: actors.researcher }));
    const bad = await caller.createSynthetic({ name: 'bad', settings: { taskIds: [] } }).catch((e: unknown) => e as { code: string });
    expect(bad).toMatchObject({ code: 'BAD_REQUEST' });
    const options = await caller.newOptions();
    expect(options.taskSets.length).toBeGreaterThan(0);
    const taskIds = (await builtinTaskIds(db)).slice(0, 2);
    const worker = new JobWorker({ db, definitions: appJobDefinitions(), concurrency: 8, pollIntervalMs: 20 });
    worker.start();
    let datasetId: string;
    try {
      ({ datasetId } = await caller.createSynthetic({ name: 'router demo', evalRatio: 0.5, settings: { taskIds, maxTurns: 3, concurrency: 8 } }));
      const deadline = Date.now() + 120_000;
      while ((await caller.get({ datasetId })).status === 'generating' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    } finally {
      await worker.stop({ graceMs: 500 });
    }
    expect((await caller.get({ datasetId })).status).toBe('ready');
    const list = await caller.conversations({ datasetId });
    expect(list.total).toBe(2);

    const { token } = await userWithToken(db, 'viewer');
    const call = (query: string, auth: string | null = token) =>
      getDatasetExport(new Request(`http://localhost/api/training/datasets/${datasetId}/export?${query}`, { headers: auth ? { authorization: `Bearer ${auth}` } : {} }), db, datasetId);
    expect((await call('format=trl-sft', null)).status).toBe(401);
    expect((await call('format=csv')).status).toBe(400);
    for (const format of DATASET_EXPORT_FORMATS) {
      const res = await call(`format=${format}&split=train`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toContain(`router-demo-v1-${format}-train.jsonl`);
      const lines = (await res.text()).split('\n').filter(Boolean);
      for (const line of lines) lineSchemas[format].parse(JSON.parse(line));
      if (format.endsWith('sft')) expect(lines).toHaveLength(1);
    }
    const manifest = await (await call('format=manifest')).json();
    expect(manifest).toMatchObject({ kind: 'collabstudy-training-dataset', dataset: { name: 'router demo', version: 1, source: 'synthetic', isDemo: true }, seeds: { splitSeed: 'split-42' } });
    expect(manifest.exportedWith).toMatch(/^collabstudy@/);
    expect(manifest.files).toHaveLength(8);
    const card = await (await call('format=card')).text();
    expect(card).toContain('# router demo (version 1)');
    expect(card).toContain('Demo data');
  });
});
