/**
 * Study judging run transitions, as for benchmark runs (server/benchmarks/runs/lifecycle.ts): queued →
 * running → completed | failed | cancelled, each a conditional update so racing workers cannot undo each
 * other. An item's failure is kept in `failure` (stage, reason); its message is the reason.
 */
import { and, count, desc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { DbExecutor } from '../../db';
import { schema } from '../../db';
import { cancelGroup } from '../jobs/queue';

const { studyJudgeRuns, studyJudgeItems } = schema;

export const judgeRunGroupKey = (runId: string) => `study-judge-run:${runId}`;

const LIVE = ['queued', 'running'] as const;

/** Marks a queued run running; tells whether the run is live (queued or running). */
export async function startJudgeRunIfLive(db: DbExecutor, runId: string): Promise<boolean> {
  await db
    .update(studyJudgeRuns)
    .set({ status: 'running', startedAt: new Date() })
    .where(and(eq(studyJudgeRuns.id, runId), eq(studyJudgeRuns.status, 'queued')));
  const [run] = await db.select({ status: studyJudgeRuns.status }).from(studyJudgeRuns).where(eq(studyJudgeRuns.id, runId));
  return run?.status === 'queued' || run?.status === 'running';
}

/** Completes the run once nothing is pending or running; a run where no participant was judged is failed. */
export async function finalizeJudgeRunIfDone(db: DbExecutor, runId: string): Promise<'completed' | 'failed' | null> {
  const rows = await db
    .select({ status: studyJudgeItems.status, n: count() })
    .from(studyJudgeItems)
    .where(eq(studyJudgeItems.runId, runId))
    .groupBy(studyJudgeItems.status);
  const n = (s: string) => rows.find((r) => r.status === s)?.n ?? 0;
  if (n('pending') + n('running') > 0) return null;
  const completed = n('completed');
  let error: string | null = null;
  if (completed === 0) {
    const [last] = await db
      .select({ failure: studyJudgeItems.failure })
      .from(studyJudgeItems)
      .where(and(eq(studyJudgeItems.runId, runId), isNotNull(studyJudgeItems.failure)))
      .orderBy(desc(studyJudgeItems.finishedAt))
      .limit(1);
    error = `No participant was judged${last?.failure ? `; last error: ${last.failure.reason}` : '.'}`;
  }
  const status = completed === 0 ? 'failed' : 'completed';
  const updated = await db
    .update(studyJudgeRuns)
    .set({ status, error, finishedAt: new Date() })
    .where(and(eq(studyJudgeRuns.id, runId), inArray(studyJudgeRuns.status, [...LIVE])))
    .returning({ id: studyJudgeRuns.id });
  return updated.length > 0 ? status : null;
}

/** Ends a live run early (terminal error or cancel): its jobs are cancelled, its unfinished items too. */
export async function endJudgeRunEarly(
  db: DbExecutor,
  runId: string,
  outcome: { status: 'failed' | 'cancelled'; error: string | null },
): Promise<boolean> {
  const updated = await db
    .update(studyJudgeRuns)
    .set({ status: outcome.status, error: outcome.error, finishedAt: new Date() })
    .where(and(eq(studyJudgeRuns.id, runId), inArray(studyJudgeRuns.status, [...LIVE])))
    .returning({ id: studyJudgeRuns.id });
  if (updated.length === 0) return false;
  await cancelGroup(db, judgeRunGroupKey(runId));
  await db
    .update(studyJudgeItems)
    .set({ status: 'cancelled', finishedAt: new Date() })
    .where(and(eq(studyJudgeItems.runId, runId), inArray(studyJudgeItems.status, ['pending', 'running'])));
  return true;
}

/** An item whose attempts are used up (or which can never run) is failed; the run goes on. */
export async function failJudgeItem(db: DbExecutor, itemId: string, failure: { stage: string; reason: string; judge?: string }): Promise<void> {
  await db
    .update(studyJudgeItems)
    .set({ status: 'failed', failure: { ...failure, reason: failure.reason.slice(0, 2000) }, finishedAt: new Date() })
    .where(and(eq(studyJudgeItems.id, itemId), inArray(studyJudgeItems.status, ['pending', 'running'])));
}
