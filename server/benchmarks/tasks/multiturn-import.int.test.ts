/**
 * Importing the CollabLLM Medium task data as its JSONL rows come: flat multiturn rows repeat a task once
 * per turn (prompt = the chat so far, completion = that turn's reply) and are deduplicated to one task per
 * conversation; nested rows (with `turns`) work too; bad lines are reported by line number. Plus the
 * BLEU floor of a run's tasks.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, getDb, schema, type Database } from '../../../db';
import { createCallerFactory, createInnerContext } from '../../api/trpc';
import { createRoleActors, type RoleMatrixActors } from '../../api/testing/role-matrix';
import { benchmarksRouter } from '../../api/routers/benchmarks';
import { sentenceBleu } from '../../metrics';
import { bleuFloorOf, unrelatedPairs } from '../bleu-floor';
import { importTaskSet, previewTaskRows } from './import';

const article = (n: number) =>
  `Article ${n}. ${'Optimism is a habit you can practise every morning, one small choice at a time. '.repeat(2)}Closing thought number ${n} about the topic.`;
const prompt = (n: number) => `Please write an article in less than 500 words about: Title ${n}\n\n${article(n)}`;

function flatRow(conv: number, turn: number) {
  return {
    prompt: Array.from({ length: turn }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: `turn ${i}` })),
    completion: `The assistant's reply at turn ${turn}`,
    conv_id: conv,
    score: 0.3,
    single_turn_prompt: prompt(conv),
    single_turn_completion: article(conv),
    single_turn_metadata: { source: 'medium' },
    turn_id: turn,
    sessions: [[{ role: 'user', content: 'forward sample' }]],
    rewards: { MR: [0.3] },
  };
}

const lines = [
  ...[1, 3, 5].map((t) => JSON.stringify(flatRow(7, t))),
  ...[1, 3].map((t) => JSON.stringify(flatRow(8, t))),
  JSON.stringify({ conv_id: 9, single_turn_prompt: prompt(9), single_turn_completion: article(9), turns: [{ prompt: [], responses: [] }] }),
  '{"single_turn_prompt": "too short", "single_turn_completion": "x"}',
  'not json at all',
];

let db: Database;
let actors: RoleMatrixActors;
beforeAll(async () => {
  db = await getDb();
  actors = await createRoleActors(db, 'multiturn-import');
});
afterAll(closeDb);

describe('importing CollabLLM multiturn task rows', () => {
  it('previews counts, duplicates dropped, per-line errors and the first rows', () => {
    const preview = previewTaskRows('jsonl', lines.join('\n'));
    expect(preview).toMatchObject({ valid: 3, duplicatesDropped: 3, errorCount: 2 });
    expect(preview.errors).toEqual([
      { line: 7, message: expect.stringMatching(/brief must be at least 20 characters/) },
      { line: 8, message: expect.stringMatching(/^invalid JSON/) },
    ]);
    expect(preview.firstRows.map((r) => r.key)).toEqual(['conv-7', 'conv-8', 'conv-9']);
    expect(preview.firstRows[0]).toMatchObject({ documentType: 'document', metadataKeys: expect.arrayContaining(['convId', 'source']) });
    expect(preview.firstRows[0]!.brief).toMatch(/^Please write an article in less than 500 words about: Title 7/);
  });

  it('imports the valid rows once each, without the per-turn fields', async () => {
    const bad = await importTaskSet(db, { name: `medium-bad-${Date.now()}`, format: 'jsonl', content: lines.join('\n') });
    expect(bad).toMatchObject({ ok: false, errorCount: 2 });
    const good = await importTaskSet(db, { name: `medium-${Date.now()}`, format: 'jsonl', content: lines.slice(0, 6).join('\n') });
    expect(good).toMatchObject({ ok: true, created: 3, duplicatesDropped: 3 });
    if (!good.ok) return;
    const tasks = await db.select().from(schema.benchmarkTasks).where(eq(schema.benchmarkTasks.taskSetId, good.taskSetId));
    const seven = tasks.find((t) => t.key === 'conv-7')!;
    expect(seven.targetDocument).toBe(article(7));
    expect(seven.brief).toBe(prompt(7));
    expect(seven.metadata).toEqual({ convId: 7, source: 'medium' });
  });

  it('through the router: a researcher previews; the BLEU floor of unrelated targets is far above zero at character level', async () => {
    const caller = createCallerFactory(benchmarksRouter)(createInnerContext({ db, actor: actors.admin }));
    expect(await caller.previewTaskSet({ format: 'jsonl', content: lines[0]! })).toMatchObject({ valid: 1, duplicatesDropped: 0 });

    const targets = new Map([
      ['a', 'The garden was quiet in the early morning light, and the tomatoes were ripening on the vine.'],
      ['b', 'Quarterly revenue grew by four percent, driven mostly by subscriptions in the northern region.'],
      ['c', 'She packed her bag for the mountains: a map, a torch, and far too many sandwiches for one day.'],
    ]);
    const pairs = unrelatedPairs([...targets.keys()], 's');
    expect(pairs).toHaveLength(3);
    for (const [x, y] of pairs) expect(x).not.toBe(y);
    expect(unrelatedPairs([...targets.keys()], 's')).toEqual(pairs);
    const floor = bleuFloorOf(targets, 's');
    const expected = pairs.map(([x, y]) => sentenceBleu(targets.get(x)!, targets.get(y)!, { level: 'char' }));
    expect(floor.char.mean).toBeCloseTo(expected.reduce((a, b) => a + b, 0) / 3, 12);
    expect(floor.char.mean!).toBeGreaterThan(0.05);
    expect(floor.word.mean!).toBeLessThan(floor.char.mean!);
    expect(bleuFloorOf(new Map([['a', 'x']]), 's')).toMatchObject({ pairs: 0, char: { mean: null } });
  });
});
