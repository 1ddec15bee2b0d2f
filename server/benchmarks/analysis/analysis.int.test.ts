/**
 * The run analysis on a real database: a run created by the service, its items brought into known states
 * (finished with each end reason, failed for different reasons, one final document not extractable),
 * then the paired statistics, the accounting, the Table-1 downloads and the audit rows checked against
 * the pure statistics on the same numbers.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { closeDb, getDb, schema, type Database } from '../../../db';
import type { ServiceContext } from '../../services/context';
import { holm, pairedTTest, wilcoxonSignedRank } from '../../stats';
import { builtinTaskIds, ensureBuiltinTaskSet } from '../tasks/builtin';
import { cancelRun, createRun, requestRescore } from '../runs/commands';
import { getItemDetail } from '../runs/items';
import { runAnalysis, table1Csv, table1Latex } from './index';

const JUDGE = 'test-judge@v1';
const OTHER_JUDGE = 'other-judge@v1';

let db: Database;
let ctx: ServiceContext;
let runId: string;
let taskIds: string[];

/** Score of item (task t, replicate r) in an arm: deterministic, different per pair. */
const quality = (arm: string, t: number, r: number) => 5 + ((t * 3 + r * 5) % 4) + (arm === 'collab' ? 1 + ((t + r) % 2) * 0.5 : 0);
const bleu = (arm: string, t: number, r: number) => 0.3 + 0.01 * t + 0.005 * r + (arm === 'collab' ? 0.02 + 0.003 * t : 0);
const tokens = (arm: string, t: number, r: number) => 2000 + 100 * t + 30 * r - (arm === 'collab' ? 150 + 10 * t : 0);

beforeAll(async () => {
  db = await getDb();
  const [user] = await db.insert(schema.users).values({ email: `analysis-${randomUUID()}@test.local`, role: 'admin' }).returning();
  ctx = { db, actor: { id: user!.id, email: user!.email, name: null, role: 'admin', via: 'session' } };
  await ensureBuiltinTaskSet(db);
  taskIds = (await builtinTaskIds(db)).slice(0, 4);
  ({ runId } = await createRun(ctx, {
    name: 'Analysis & stats_run',
    config: {
      arms: [
        { key: 'base', label: 'Base', connectionId: null, model: 'baseline', systemPrompt: '' },
        { key: 'collab', label: 'Collab & Co_1 {50%}', connectionId: null, model: 'collabllm', systemPrompt: '' },
      ],
      taskIds,
      simulator: { connectionId: null },
      judge: { connectionId: null },
      conversationsPerTask: 2,
      maxTurns: 4,
      seed: 'analysis-seed',
      concurrency: 1,
    },
  }));
  // Nobody runs the queued jobs here: put every item into a known state directly.
  await db.delete(schema.jobs).where(eq(schema.jobs.groupKey, `benchmark-run:${runId}`));
  const items = await db.select().from(schema.benchmarkItems).where(eq(schema.benchmarkItems.runId, runId)).orderBy(asc(schema.benchmarkItems.id));
  for (const item of items) {
    const t = taskIds.indexOf(item.taskId);
    const r = item.replicate;
    const collab = item.armKey === 'collab';
    if (collab && t === 0 && r === 0) {
      await db.update(schema.benchmarkItems).set({ status: 'failed', error: 'judge', failure: { stage: 'judge', reason: 'judge_unparseable', judge: JUDGE } }).where(eq(schema.benchmarkItems.id, item.id));
      continue;
    }
    if (collab && t === 1 && r === 1) {
      await db.update(schema.benchmarkItems).set({ status: 'failed', error: 'key', failure: { stage: 'assistant', reason: 'model_unauthorized' } }).where(eq(schema.benchmarkItems.id, item.id));
      continue;
    }
    const endReason = !collab && t === 3 ? (r === 0 ? 'max_turns' : 'endless_goodbye') : 'terminated';
    const [conv] = await db.insert(schema.conversations).values({ kind: 'simulation', armKey: item.armKey, metadata: { runId, itemId: item.id, endReason } }).returning();
    await db.update(schema.benchmarkItems).set({ status: 'completed', conversationId: conv!.id }).where(eq(schema.benchmarkItems.id, item.id));
    const fallback = collab && t === 2 && r === 0;
    // A re-scoring judge that could not score one of base's conversations left its marker row.
    if (!collab && t === 2 && r === 1) await db.insert(schema.benchmarkScores).values({ itemId: item.id, judge: OTHER_JUDGE, metric: 'judge_unparseable', value: 1 });
    await db.insert(schema.benchmarkScores).values([
      { itemId: item.id, judge: JUDGE, metric: 'quality', value: quality(item.armKey, t, r) },
      { itemId: item.id, judge: JUDGE, metric: 'bleu_char', value: bleu(item.armKey, t, r) },
      { itemId: item.id, judge: JUDGE, metric: 'tokens_read', value: tokens(item.armKey, t, r) },
      { itemId: item.id, judge: JUDGE, metric: 'interactivity', value: collab ? 0.75 + 0.05 * (t % 2) : 0.5 },
      { itemId: item.id, judge: JUDGE, metric: 'clarifying_questions', value: collab ? 2 + (r % 2) : 0 },
      { itemId: item.id, judge: JUDGE, metric: 'document_words', value: 300 + t, details: { fallback } },
      { itemId: item.id, judge: OTHER_JUDGE, metric: 'document_words', value: 300, details: { fallback: true } },
      { itemId: item.id, judge: OTHER_JUDGE, metric: 'quality', value: 6 },
    ]);
  }
  await db.update(schema.benchmarkRuns).set({ status: 'completed' }).where(eq(schema.benchmarkRuns.id, runId));
});

afterAll(async () => {
  await closeDb();
});

/** Complete pairs of a metric, in task/replicate order, excluding the pairs the scenario breaks. */
function expectedPairs(value: (arm: string, t: number, r: number) => number, skip: (t: number, r: number) => boolean) {
  const ref: number[] = [];
  const other: number[] = [];
  for (let t = 0; t < 4; t++)
    for (let r = 0; r < 2; r++) {
      if ((t === 0 && r === 0) || (t === 1 && r === 1) || skip(t, r)) continue;
      ref.push(value('base', t, r));
      other.push(value('collab', t, r));
    }
  return { ref, other };
}

describe('runAnalysis', () => {
  it('compares arms on complete pairs only, says how many were dropped, and matches the paired statistics', async () => {
    const a = await runAnalysis(db, runId, { judge: JUDGE, referenceArmKey: 'base' });
    expect(a.referenceArmKey).toBe('base');
    const cmp = a.comparisons.find((c) => c.armKey === 'collab')!;
    const q = cmp.metrics.find((m) => m.metric === 'quality')!;
    // 8 task × replicate units, 2 collab conversations failed.
    expect(q).toMatchObject({ pairs: 6, droppedPairs: 2, direction: 'higher' });
    const { ref, other } = expectedPairs(quality, () => false);
    // Pair order differs (the service sorts by key); statistics of pairs do not depend on order beyond rounding.
    const t = pairedTTest(other, ref);
    const w = wilcoxonSignedRank(other, ref);
    expect(q.meanDifference).toBeCloseTo(t.meanDifference!, 12);
    expect(q.tCi.lower).toBeCloseTo(t.ciLower!, 12);
    expect(q.tP).toBeCloseTo(t.p!, 12);
    expect(q.wilcoxonP).toBeCloseTo(w.p!, 12);
    expect(q.wilcoxonMethod).toBe('exact');
    expect(q.bootstrapCi.lower).not.toBeNull();
    expect(q.bootstrapCi.lower!).toBeLessThanOrEqual(q.meanDifference!);
    expect(q.bootstrapCi.upper!).toBeGreaterThanOrEqual(q.meanDifference!);

    // BLEU leaves out the conversation whose document could not be extracted: one more dropped pair.
    const b = cmp.metrics.find((m) => m.metric === 'bleu_char')!;
    expect(b).toMatchObject({ pairs: 5, droppedPairs: 3 });
    expect(a.bleuExcluded).toBe(1);
    const withAll = await runAnalysis(db, runId, { judge: JUDGE, includeExtractionFailures: true });
    expect(withAll.comparisons[0]!.metrics.find((m) => m.metric === 'bleu_char')).toMatchObject({ pairs: 6, droppedPairs: 2 });
    expect(withAll.bleuExcluded).toBe(0);

    // Fewer tokens is an improvement: positive relative improvement.
    const tok = cmp.metrics.find((m) => m.metric === 'tokens_read')!;
    expect(tok.direction).toBe('lower');
    expect(tok.meanDifference!).toBeLessThan(0);
    expect(tok.relativeImprovement.estimate!).toBeGreaterThan(0);
    expect(tok.relativeImprovement.lower!).toBeLessThanOrEqual(tok.relativeImprovement.estimate!);

    // Holm across the directional outcomes only; descriptive metrics get none.
    const family = cmp.metrics.filter((m) => m.direction !== 'none' && m.tP !== null);
    const adjusted = holm(family.map((m) => m.tP!));
    family.forEach((m, i) => expect(m.tPHolm).toBeCloseTo(adjusted[i]!, 12));
    const cq = cmp.metrics.find((m) => m.metric === 'clarifying_questions')!;
    expect(cq).toMatchObject({ direction: 'none', tPHolm: null, wilcoxonPHolm: null });
    expect(cmp.metrics.find((m) => m.metric === 'document_words')).toMatchObject({ direction: 'none' });

    // Switching the reference flips the comparison.
    const flipped = await runAnalysis(db, runId, { judge: JUDGE, referenceArmKey: 'collab' });
    expect(flipped.comparisons.map((c) => c.armKey)).toEqual(['base']);
    expect(flipped.comparisons[0]!.metrics.find((m) => m.metric === 'quality')!.meanDifference).toBeCloseTo(-q.meanDifference!, 12);
  });

  it('accounts for every planned conversation per arm', async () => {
    const a = await runAnalysis(db, runId, { judge: JUDGE });
    const base = a.accounting.find((x) => x.armKey === 'base')!;
    const collab = a.accounting.find((x) => x.armKey === 'collab')!;
    expect(base).toMatchObject({ planned: 8, finished: 8, failed: 0, endedBySimulator: 6, endedByTurnLimit: 1, endedByGuard: 1, endUnknown: 0, extractionFailed: 0 });
    expect(collab).toMatchObject({
      planned: 8,
      finished: 6,
      failed: 2,
      failedByReason: { 'judge: judge_unparseable': 1, 'assistant: model_unauthorized': 1 },
      endedBySimulator: 6,
      extractionFailed: 1,
      cancelled: 0,
      waiting: 0,
    });
    expect(collab.judgeParseFailures).toEqual([
      { judge: OTHER_JUDGE, failed: 0, extractionFailed: 6, unscored: 0 },
      { judge: JUDGE, failed: 1, extractionFailed: 1, unscored: 0 },
    ]);
    expect(base.judgeParseFailures).toEqual([{ judge: OTHER_JUDGE, failed: 0, extractionFailed: 8, unscored: 1 }]);
    // The conversation view flags the same items.
    const itemAt = async (arm: string, t: number, r: number) =>
      (await db.select().from(schema.benchmarkItems).where(and(eq(schema.benchmarkItems.runId, runId), eq(schema.benchmarkItems.armKey, arm), eq(schema.benchmarkItems.taskId, taskIds[t]!), eq(schema.benchmarkItems.replicate, r))))[0]!;
    const flagged = await getItemDetail(db, (await itemAt('collab', 2, 0)).id);
    expect(flagged.extractionFailedBy.sort()).toEqual([JUDGE, OTHER_JUDGE].sort());
    expect(flagged.endReason).toBe('terminated');
    const failedItem = await getItemDetail(db, (await itemAt('collab', 0, 0)).id);
    expect(failedItem.item.failure).toEqual({ stage: 'judge', reason: 'judge_unparseable', judge: JUDGE });
    expect((await getItemDetail(db, (await itemAt('base', 3, 1)).id)).endReason).toBe('endless_goodbye');
    // The marker is not a result metric.
    expect(a.metrics).not.toContain('judge_unparseable');
  });

  it('builds Table 1 with CIs and a Rel. Improv. row, as CSV and escaped LaTeX', async () => {
    const a = await runAnalysis(db, runId, { judge: JUDGE, referenceArmKey: 'base' });
    expect(a.table1.columns.map((c) => c.metric)).toEqual(['bleu_char', 'tokens_read', 'interactivity', 'quality']);
    const baseRow = a.table1.arms.find((r) => r.armKey === 'base')!;
    const baseTokens = a.arms.find((x) => x.armKey === 'base')!.metrics.tokens_read!;
    expect(baseRow.cells[1]!.mean).toBeCloseTo(baseTokens.mean! / 1000, 12);
    expect(baseRow.cells[1]!.lower).toBeCloseTo(baseTokens.ciLower! / 1000, 12);
    expect(a.table1.relativeImprovement).toHaveLength(1);
    expect(a.table1.relativeImprovement[0]!.cells[3]!.pairs).toBe(6);

    const csv = table1Csv(a.table1);
    const lines = csv.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toContain('BLEU CI lower');
    expect(lines[2]).toContain(',Collab & Co_1 {50%},');
    expect(lines[3]).toMatch(/^Rel\. Improv\. \(%\) vs Base,/);

    const tex = table1Latex(a.table1);
    expect(tex).toContain('Collab \\& Co\\_1 \\{50\\%\\}');
    expect(tex).toContain('\\begin{tabular}{lcccc}');
    expect(tex).toContain('Rel. Improv. &');
    expect(tex).not.toContain('Collab & Co');
  });

  it('writes run start, cancel and re-score to the audit log', async () => {
    const audit = (id: string) => db.select().from(schema.auditLog).where(and(eq(schema.auditLog.targetType, 'benchmark_run'), eq(schema.auditLog.targetId, id)));
    await requestRescore(ctx, runId, { connectionId: null, model: 'demo' });
    const { runId: other } = await createRun(ctx, {
      name: 'to cancel',
      config: { arms: [{ key: 'a', label: 'A', connectionId: null, model: 'baseline', systemPrompt: '' }], taskIds: taskIds.slice(0, 1), simulator: { connectionId: null }, judge: { connectionId: null }, seed: 'x' },
    });
    await cancelRun(ctx, other);
    expect((await audit(runId)).map((r) => r.action).sort()).toEqual(['benchmark.rescore_requested', 'benchmark.run_started']);
    const rows = await audit(other);
    expect(rows.map((r) => r.action).sort()).toEqual(['benchmark.run_cancelled', 'benchmark.run_started']);
    expect(rows.every((r) => r.actorUserId === ctx.actor!.id)).toBe(true);
  });
});
