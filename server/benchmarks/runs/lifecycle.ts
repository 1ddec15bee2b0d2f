/**
 * Run status transitions: queued → running → completed | failed | cancelled. Every transition is a
 * conditional update (from the statuses it may leave), so workers racing on the same run cannot undo
 * each other: the first to finish a run wins and the rest are no-ops.
 */
import { and, count, eq, inArray, isNotNull, desc } from 'drizzle-orm';
import type { DbExecutor } from '../../../db';
import { schema } from '../../../db';
import { cancelGroup } from '../../jobs/queue';

const { benchmarkRuns, benchmarkItems } = schema;

export const runGroupKey = (runId: string) => `benchmark-run:${runId}`;
export const rescoreGroupKey = (runId: string) => `benchmark-rescore:${runId}`;

const LIVE = ['queued', 'running'] as const;

/**
 * Marks a queued run running and tells whether the run is live (queued or running), in one round trip:
 * every item job asks this before it starts. The CTE's update and the select read the same snapshot, so
 * the select sees the status from before the update ("queued" still counts as live).
 */
export async function startRunIfLive(db: DbExecutor, runId: string): Promise<boolean> {
  const marked = db
    .$with('marked')
    .as(
      db
        .update(benchmarkRuns)
        .set({ status: 'running', startedAt: new Date() })
        .where(and(eq(benchmarkRuns.id, runId), eq(benchmarkRuns.status, 'queued')))
        .returning({ id: benchmarkRuns.id }),
    );
  // Postgres runs a data-modifying CTE whether or not the query reads it.
  const [run] = await db
    .with(marked)
    .select({ status: benchmarkRuns.status })
    .from(benchmarkRuns)
    .where(eq(benchmarkRuns.id, runId));
  return run?.status === 'queued' || run?.status === 'running';
}

/**
 * Completes the run once no item is pending or running. A run where not one item completed is
 * failed, with the last item error as the reason. Returns the new status, or null if still going.
 */
export async function finalizeRunIfDone(db: DbExecutor, runId: string): Promise<'completed' | 'failed' | null> {
  const rows = await db
    .select({ status: benchmarkItems.status, n: count() })
    .from(benchmarkItems)
    .where(eq(benchmarkItems.runId, runId))
    .groupBy(benchmarkItems.status);
  const n = (s: string) => rows.find((r) => r.status === s)?.n ?? 0;
  if (n('pending') + n('running') > 0) return null;
  const completed = n('completed');
  let error: string | null = null;
  if (completed === 0) {
    const [last] = await db
      .select({ error: benchmarkItems.error })
      .from(benchmarkItems)
      .where(and(eq(benchmarkItems.runId, runId), isNotNull(benchmarkItems.error)))
      .orderBy(desc(benchmarkItems.finishedAt))
      .limit(1);
    error = `No item completed${last?.error ? `; last error: ${last.error}` : '.'}`;
  }
  const status = completed === 0 ? 'failed' : 'completed';
  const updated = await db
    .update(benchmarkRuns)
    .set({ status, error, finishedAt: new Date() })
    .where(and(eq(benchmarkRuns.id, runId), inArray(benchmarkRuns.status, [...LIVE])))
    .returning({ id: benchmarkRuns.id });
  return updated.length > 0 ? status : null;
}

/**
 * Ends a live run early (a terminal error, or a cancel): records the status and reason, cancels its
 * queued and running jobs (running handlers are aborted at their next lease renewal) and marks the
 * items that will not run as cancelled. Returns false if the run had already ended.
 */
export async function endRunEarly(
  db: DbExecutor,
  runId: string,
  outcome: { status: 'failed' | 'cancelled'; error: string | null },
): Promise<boolean> {
  const updated = await db
    .update(benchmarkRuns)
    .set({ status: outcome.status, error: outcome.error, finishedAt: new Date() })
    .where(and(eq(benchmarkRuns.id, runId), inArray(benchmarkRuns.status, [...LIVE])))
    .returning({ id: benchmarkRuns.id });
  if (updated.length === 0) return false;
  await cancelGroup(db, runGroupKey(runId));
  await db
    .update(benchmarkItems)
    .set({ status: 'cancelled', finishedAt: new Date() })
    .where(and(eq(benchmarkItems.runId, runId), inArray(benchmarkItems.status, ['pending', 'running'])));
  return true;
}

/** An item whose attempts are used up (or which can never run) is failed; the run goes on. */
export async function failItem(db: DbExecutor, itemId: string, error: string): Promise<void> {
  await db
    .update(benchmarkItems)
    .set({ status: 'failed', error: error.slice(0, 2000), finishedAt: new Date() })
    .where(and(eq(benchmarkItems.id, itemId), inArray(benchmarkItems.status, ['pending', 'running'])));
}
