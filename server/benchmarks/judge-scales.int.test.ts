/**
 * Judge labels and interactivity scales against the fake OpenAI server (real SDK over HTTP): two connections
 * serving the same model name never share score rows, and the scale is recorded with every score.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, getDb, schema, type Database } from '../../db';
import { startFakeOpenAIServer, type FakeOpenAIServer, type RecordedRequest } from '../../scripts/fake-openai-server';
import { createTestConnection } from '../participants/testing/fixtures';
import { executeBenchmarkItem } from './execute-item';
import { EXTRACTION_SYSTEM, INTERACTIVITY_SYSTEM, INTERACTIVITY_TABLE1_SYSTEM, QUALITY_SYSTEM } from './judge-prompts';
import { DEMO_JUDGE_LABEL, judgeLabelFor } from './judges';
import { rescoreRun, runResults } from './results';
import type { RunConfigInput } from './run-config';
import { builtinTaskIds, ensureBuiltinTaskSet } from './tasks/builtin';

let db: Database;
let fake: FakeOpenAIServer;
let connA: string;
let connB: string;

function responder(req: RecordedRequest): string {
  const first = req.body?.messages?.[0];
  const system = first?.role === 'system' && typeof first.content === 'string' ? first.content : '';
  if (system === EXTRACTION_SYSTEM) return '{"thought": "t", "document": "A short post about tomatoes."}';
  if (system === INTERACTIVITY_SYSTEM) return '{"thought": "some questions", "interactivity": 0.5}';
  if (system === INTERACTIVITY_TABLE1_SYSTEM) return '{"thought": "very engaged", "interactivity": "A"}';
  if (system === QUALITY_SYSTEM) return '{"thought": "fine", "score": 6}';
  return 'Here is a draft about tomatoes.';
}

beforeAll(async () => {
  db = await getDb();
  fake = await startFakeOpenAIServer({ responder });
  connA = (await createTestConnection(db, fake.url)).id;
  connB = (await createTestConnection(db, fake.url)).id;
  await ensureBuiltinTaskSet(db);
});
afterAll(async () => {
  await fake.close();
  await closeDb();
});

describe('judge labels and interactivity scales', () => {
  it('keeps two connections with one model name apart and records the scale with every score', async () => {
    const taskIds = await builtinTaskIds(db, ['blog-balcony-tomatoes']);
    const config: RunConfigInput = {
      arms: [{ key: 'plain', label: 'Plain', connectionId: connA, model: 'arm-model', systemPrompt: '' }],
      taskIds,
      simulator: { connectionId: null },
      judge: { connectionId: connA, model: 'same-judge' },
      maxTurns: 2,
    };
    const [run] = await db.insert(schema.benchmarkRuns).values({ name: 'labels', config: config as Record<string, unknown>, status: 'running' }).returning();
    const [item] = await db.insert(schema.benchmarkItems).values({ runId: run!.id, taskId: taskIds[0]!, armKey: 'plain', replicate: 0 }).returning();
    await executeBenchmarkItem(db, item!.id);

    const second = await rescoreRun(db, run!.id, { connectionId: connB, model: 'same-judge' });
    const table1 = await rescoreRun(db, run!.id, { connectionId: connB, model: 'same-judge', interactivityScale: 'paper-table1' });
    const demoTable1 = await rescoreRun(db, run!.id, { connectionId: null, model: 'x', interactivityScale: 'paper-table1' });
    const labelA = judgeLabelFor({ connectionId: connA, model: 'same-judge' });
    expect(labelA).toBe(`same-judge@judge-v1#${connA}`);
    expect(second.judge).toBe(`same-judge@judge-v1#${connB}`);
    expect(table1.judge).toBe(`same-judge@judge-v1+itr-table1#${connB}`);
    expect(demoTable1.judge).toBe(`${DEMO_JUDGE_LABEL}+itr-table1`);

    const itr = async (judge: string) => {
      const [row] = await db
        .select()
        .from(schema.benchmarkScores)
        .where(and(eq(schema.benchmarkScores.itemId, item!.id), eq(schema.benchmarkScores.judge, judge), eq(schema.benchmarkScores.metric, 'interactivity')));
      return row!;
    };
    expect(await itr(labelA)).toMatchObject({ value: 0.5, details: { interactivityScale: 'released-code', connectionId: connA } });
    expect(await itr(second.judge)).toMatchObject({ value: 0.5, details: { interactivityScale: 'released-code', connectionId: connB } });
    // "A" = 3 on the Table 1 scale, rescaled 2 (3 − 2.5) = 1.
    expect(await itr(table1.judge)).toMatchObject({ value: 1, details: { interactivityScale: 'paper-table1', rawScore: 3 } });
    const demo = await itr(demoTable1.judge);
    expect(demo.details).toMatchObject({ interactivityScale: 'paper-table1' });
    expect(demo.value).toBe(2 * ((demo.details as { rawScore: number }).rawScore - 2.5));

    const results = await runResults(db, run!.id);
    expect(results.judges).toHaveLength(4);
    expect(results.judge).toBe(labelA);
  });
});
