/**
 * The BLEU floor of a run: BLEU between the targets of *unrelated* tasks of the run, shown beside the arms'
 * BLEU. Character BLEU of two unrelated English documents is far above zero (common letters and short
 * n-grams match), so an arm's BLEU only means something against this baseline. Computed on read from the
 * run's own tasks with a seeded pairing (the run's seed), so it is repeatable and needs no storage.
 */
import { createHash } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import type { DbExecutor } from '../../db';
import { benchmarkRuns, benchmarkTasks } from '../../db/schema';
import { sentenceBleu } from '../metrics';
import { notFound } from '../services/errors';
import { meanCi } from '../stats';
import { parseRunConfig } from './run-config';

/** Pairs are capped so a large run's page stays fast (character BLEU is quadratic-ish in n-gram counts). */
export const MAX_FLOOR_PAIRS = 200;

/**
 * A seeded derangement: tasks ordered by sha256(seed:id), each paired with the next one (cyclically), so
 * no task is paired with itself and the pairing is the same for the same seed and tasks.
 */
export function unrelatedPairs(ids: readonly string[], seed: string): [string, string][] {
  const unique = [...new Set(ids)];
  if (unique.length < 2) return [];
  const order = unique
    .map((id) => ({ id, rank: createHash('sha256').update(`${seed}:bleu-floor:${id}`).digest('hex') }))
    .sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0))
    .map((x) => x.id);
  return order.slice(0, MAX_FLOOR_PAIRS).map((id, i) => [id, order[(i + 1) % order.length]!]);
}

export interface BleuFloor {
  pairs: number;
  /** Mean with a 95% t interval over pairs; null values when there are fewer than two tasks. */
  char: { mean: number | null; lower: number | null; upper: number | null };
  word: { mean: number | null; lower: number | null; upper: number | null };
  seed: string;
}

/** BLEU of each task's target (reference) against its unrelated partner's target (hypothesis). */
export function bleuFloorOf(targets: ReadonlyMap<string, string>, seed: string): BleuFloor {
  const pairs = unrelatedPairs([...targets.keys()], seed);
  const char: number[] = [];
  const word: number[] = [];
  for (const [a, b] of pairs) {
    const reference = targets.get(a)!;
    const hypothesis = targets.get(b)!;
    char.push(sentenceBleu(reference, hypothesis, { level: 'char' }));
    word.push(sentenceBleu(reference, hypothesis, { level: 'word' }));
  }
  const summary = (xs: number[]) => {
    if (xs.length === 0) return { mean: null, lower: null, upper: null };
    const ci = meanCi(xs);
    return { mean: ci.mean, lower: ci.lower, upper: ci.upper };
  };
  return { pairs: pairs.length, char: summary(char), word: summary(word), seed };
}

export async function runBleuFloor(db: DbExecutor, runId: string): Promise<BleuFloor> {
  const [run] = await db.select({ config: benchmarkRuns.config }).from(benchmarkRuns).where(eq(benchmarkRuns.id, runId));
  if (!run) throw notFound('Benchmark run');
  const config = parseRunConfig(run.config);
  const rows = await db
    .select({ id: benchmarkTasks.id, targetDocument: benchmarkTasks.targetDocument })
    .from(benchmarkTasks)
    .where(inArray(benchmarkTasks.id, config.taskIds));
  return bleuFloorOf(new Map(rows.filter((r) => r.targetDocument.trim() !== '').map((r) => [r.id, r.targetDocument])), config.seed);
}
