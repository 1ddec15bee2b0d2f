/**
 * The queue job of study judging: one job per participant item, in the run's group (its concurrency holds
 * across every worker process). Payloads carry ids only; the handler re-reads the run.
 *
 * Failure policy (as for benchmark items): retryable errors (429, 5xx, timeouts, unparseable judge output)
 * try again with backoff up to JUDGE_ITEM_MAX_ATTEMPTS, then the item fails and the run goes on; terminal
 * errors (rejected credentials, a refused request, bad configuration) stop the whole run with the reason,
 * since every other participant would hit the same wall and spend money.
 */
import { z } from 'zod';
import type { Database } from '../../db';
import { isTerminalError } from '../benchmarks/errors';
import { RetryableJobError, TerminalJobError } from '../jobs/errors';
import { holdsLease } from '../jobs/queue';
import { defineJob, type JobDefinition } from '../jobs/worker';
import { logger } from '../lib/logger';
import { executeStudyJudgeItem } from './execute-item';
import { endJudgeRunEarly, failJudgeItem, finalizeJudgeRunIfDone, startJudgeRunIfLive } from './lifecycle';

export const JUDGE_ITEM_JOB = 'study-judge.item';
export const JUDGE_ITEM_MAX_ATTEMPTS = 4;
/** A guard against a stuck attempt; per-call timeouts live in the LLM layer. */
const JUDGE_ITEM_TIMEOUT_MS = 15 * 60_000;

export const judgeItemJobPayload = z.object({ runId: z.uuid(), itemId: z.uuid() });

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 1000);

export interface StudyJudgeJobDeps {
  executeItem: typeof executeStudyJudgeItem;
}

export function studyJudgeJobDefinitions(deps: StudyJudgeJobDeps = { executeItem: executeStudyJudgeItem }): JobDefinition[] {
  const item = defineJob({
    kind: JUDGE_ITEM_JOB,
    payload: judgeItemJobPayload,
    maxAttempts: JUDGE_ITEM_MAX_ATTEMPTS,
    timeoutMs: JUDGE_ITEM_TIMEOUT_MS,
    async handler({ runId, itemId }, { db, signal, lease }) {
      if (!(await startJudgeRunIfLive(db, runId))) return;
      try {
        await deps.executeItem(db as Database, itemId, { signal, lease });
      } catch (err) {
        // Aborted by the worker (cancel, lost lease, shutdown): the worker decides what happens next.
        if (signal.aborted) throw err;
        if (isTerminalError(err)) {
          const reason = `Stopped because judging a participant failed with an error that retrying cannot fix: ${messageOf(err)}`;
          await db.transaction(async (tx) => {
            // Fenced: an attempt whose job was claimed again must not end the run.
            if (!(await holdsLease(tx, lease))) return;
            await failJudgeItem(tx, itemId, { stage: 'judge', reason: messageOf(err) });
            await endJudgeRunEarly(tx, runId, { status: 'failed', error: reason });
          });
          logger.warn('study judging run stopped by a terminal error', { runId, itemId, error: messageOf(err) });
          throw new TerminalJobError(messageOf(err));
        }
        throw new RetryableJobError(messageOf(err));
      }
      await finalizeJudgeRunIfDone(db, runId);
    },
    async onFailed({ runId, itemId }, { db, error }) {
      await failJudgeItem(db, itemId, { stage: 'judge', reason: error });
      await finalizeJudgeRunIfDone(db, runId);
    },
  });
  return [item] as unknown as JobDefinition[];
}
