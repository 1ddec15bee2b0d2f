/**
 * The synthetic generation loop end to end with the offline demo model, scripted simulated user and
 * demo-judge, through the real queue and workers, on Postgres and on PGlite in-process: every candidate
 * scored with S samples, the chosen path kept, pairs with the minimum gap, and every export line valid.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { closeDb, getDb, schema, type Database } from '../../../db';
import { openTestPglite } from '../../../db/testing/pglite';
import { builtinTaskIds, ensureBuiltinTaskSet } from '../../benchmarks/tasks/builtin';
import type { ServiceContext } from '../../services/context';
import { appJobDefinitions } from '../../jobs/definitions';
import { JobWorker } from '../../jobs/worker';
import { datasetExportLines } from './export';
import { DATASET_EXPORT_FORMATS, lineSchemas } from './formats';
import { cancelDataset, createSyntheticDataset, getDataset, getDatasetConversation, listDatasetConversations } from './service';
import { waitFor } from '../../lib/testing/wait-for';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function collect(it: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const l of it) out.push(l);
  return out;
}

function suite(label: string, open: () => Promise<{ db: Database; close(): Promise<void> }>) {
  describe(`synthetic datasets on ${label}`, () => {
    let db: Database;
    let close: () => Promise<void>;
    let ctx: ServiceContext;
    let taskIds: string[];
    const workers: JobWorker[] = [];
    beforeAll(async () => {
      ({ db, close } = await open());
      const [user] = await db.insert(schema.users).values({ email: `ds-${randomUUID()}@test.local`, role: 'researcher' }).returning();
      ctx = { db, actor: { id: user!.id, email: user!.email, name: null, role: 'researcher', via: 'session' } };
      await ensureBuiltinTaskSet(db);
      taskIds = await builtinTaskIds(db);
    });
    afterEach(async () => {
      await Promise.all(workers.splice(0).map((w) => w.stop({ graceMs: 200 })));
    });
    afterAll(() => close());
    const startWorkers = (n: number) => {
      for (let i = 0; i < n; i++) {
        const w = new JobWorker({ db, definitions: appJobDefinitions(), concurrency: 8, pollIntervalMs: 20, retryBaseMs: 5, retryMaxMs: 20, leaseMs: 5000 });
        w.start();
        workers.push(w);
      }
    };

    it('generates a versioned dataset with every candidate and sample, pairs, a seeded split and valid exports', async () => {
      startWorkers(2);
      const { datasetId, version } = await createSyntheticDataset(ctx, {
        name: `demo ${label}`,
        evalRatio: 0.34,
        settings: { taskIds: taskIds.slice(0, 3), maxTurns: 4, concurrency: 6, systemPrompt: 'You are a collaborative writing assistant.', mr: { weights: { bleu_char: 1, interactivity: 0.5 } } },
      });
      expect(version).toBe(1);
      await waitFor(async () => (await getDataset(ctx, datasetId)).status !== 'generating');
      const detail = await getDataset(ctx, datasetId);
      expect(detail).toMatchObject({ status: 'ready', isDemo: true, sourceKind: 'synthetic' });
      expect(detail.counts).toMatchObject({ conversations: 3, completed: 3, train: 2, eval: 1 });
      // Every evaluation: 2 candidates (collabllm, baseline) × 3 samples, nothing stored twice.
      expect(detail.counts.candidates).toBe(detail.counts.turns! * 2 + 0);
      expect(detail.counts.samples).toBe(detail.counts.candidates! * 3);
      expect(detail.chosenMr.length).toBe(detail.counts.turns);
      expect(detail.counts.pairs).toBeGreaterThan(0);
      expect(detail.rejectedMr.length).toBe(detail.counts.pairs);
      expect(detail.chosenMr.every((c) => Number.isFinite(c))).toBe(true);

      const convs = await listDatasetConversations(ctx, { datasetId, offset: 0, limit: 50 });
      expect(convs.total).toBe(3);
      const conv = await getDatasetConversation(ctx, convs.rows[0]!.id);
      expect(conv.turns.length).toBeGreaterThan(0);
      const firstTurn = conv.turns[0]!;
      expect(firstTurn.candidates).toHaveLength(2);
      for (const c of firstTurn.candidates) {
        expect(c.samples).toHaveLength(3);
        const rewards = c.samples.map((s) => s.reward);
        expect(c.mean).toBeCloseTo(rewards.reduce((a, b) => a + b, 0) / 3, 10);
        expect(c.samples[0]!.continuation[0]).toMatchObject({ role: 'user' });
      }
      // The kept reply is the higher MR (ties: lower spread); its next user message comes from its longest sample.
      const kept = firstTurn.kept!;
      const best = [...firstTurn.candidates].sort((a, b) => b.mean! - a.mean! || a.std! - b.std!)[0]!;
      expect(kept.completion).toBe(best.content);
      const second = conv.turns[1];
      if (second) {
        const longest = [...best.samples].sort((a, b) => b.continuation.length - a.continuation.length || a.sampleIndex - b.sampleIndex)[0]!;
        expect(second.prefix[second.prefix.length - 1]).toEqual({ role: 'user', content: longest.continuation[0]!.content });
      }
      const turnRows = await db.select().from(schema.trainingTurns).where(eq(schema.trainingTurns.datasetId, datasetId));
      for (const t of turnRows) if (t.rejectedMr !== null) expect(t.chosenMr! - t.rejectedMr).toBeGreaterThanOrEqual(0.02 - 1e-12);

      for (const format of DATASET_EXPORT_FORMATS) {
        const all = await collect(datasetExportLines(db, datasetId, format));
        const train = await collect(datasetExportLines(db, datasetId, format, { split: 'train' }));
        const evalLines = await collect(datasetExportLines(db, datasetId, format, { split: 'eval' }));
        expect(train.length + evalLines.length).toBe(all.length);
        for (const line of all) {
          const parsed = lineSchemas[format].parse(JSON.parse(line)) as Record<string, unknown>;
          const first = format === 'openai-dpo' ? (parsed.input as { messages: { role: string }[] }).messages[0] : ((parsed.messages ?? parsed.prompt) as { role: string }[])[0];
          expect(first).toMatchObject({ role: 'system', content: 'You are a collaborative writing assistant.' });
        }
        if (format.endsWith('sft')) expect(all).toHaveLength(3);
        else expect(all).toHaveLength(detail.counts.pairs!);
      }

      // A second dataset of the same name is version 2; cancelling it stops its work.
      const again = await createSyntheticDataset(ctx, { name: `demo ${label}`, settings: { taskIds: taskIds.slice(0, 2), maxTurns: 2 } });
      expect(again.version).toBe(2);
      await expect(cancelDataset(ctx, again.datasetId)).resolves.toEqual({ cancelled: true });
      expect((await getDataset(ctx, again.datasetId)).status).toBe('cancelled');
    });

    it('refuses viewers and bad settings', async () => {
      const viewer: ServiceContext = { db, actor: { ...ctx.actor!, role: 'viewer' } };
      await expect(createSyntheticDataset(viewer, { name: 'x', settings: { taskIds: taskIds.slice(0, 1) } })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(createSyntheticDataset(ctx, { name: 'x', settings: { taskIds: [] } })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      await expect(createSyntheticDataset(ctx, { name: 'x', settings: { taskIds: [randomUUID()] } })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    });
  });
}

suite('Postgres', async () => ({ db: await getDb(), close: closeDb }));
suite('PGlite (in-process)', () => openTestPglite(fs.mkdtempSync(path.join(os.tmpdir(), 'ds-pglite-'))));
