/**
 * The benchmark's background jobs: one job per item (task × arm × replicate) and a re-score job.
 * Payloads carry ids only; handlers re-read the run. The item executor comes from benchcore and is
 * idempotent, so a retried or resumed item (after a crash) ends with exactly one conversation.
 *
 * Failure policy:
 * - retryable errors (429, 5xx, timeouts, dropped connections that outlasted the LLM layer's own
 *   retries) try the item again later with backoff, up to ITEM_MAX_ATTEMPTS; then the item fails and
 *   the run goes on;
 * - terminal errors (rejected credentials, a request the endpoint refuses, bad configuration) stop
 *   the whole run with the reason, because every other item would hit the same wall and spend money.
 */
import { z } from 'zod';
import type { Database } from '../../../db';
import { RetryableJobError, TerminalJobError } from '../../jobs/errors';
import { holdsLease, type JobLease } from '../../jobs/queue';
import { defineJob, type JobDefinition } from '../../jobs/worker';
import { logger } from '../../lib/logger';
import { judgeConfigSchema, type JudgeConfig } from '../run-config';
import { endRunEarly, failItem, finalizeRunIfDone, startRunIfLive } from './lifecycle';

export const ITEM_JOB = 'benchmark.item';
export const RESCORE_JOB = 'benchmark.rescore';
export const ITEM_MAX_ATTEMPTS = 4;
/** A guard against a stuck attempt, far above any healthy conversation; per-call timeouts live in the LLM layer. */
const ITEM_TIMEOUT_MS = 30 * 60_000;

export interface BenchmarkJobDeps {
  /** `lease` fences the item's writes to this job attempt (see server/jobs/worker.ts). */
  executeItem(db: Database, itemId: string, opts: { signal?: AbortSignal; lease?: JobLease }): Promise<unknown>;
  isTerminalError(err: unknown): boolean;
  rescoreRun(db: Database, runId: string, judge: JudgeConfig, opts: { signal?: AbortSignal }): Promise<unknown>;
}

export const itemJobPayload = z.object({ runId: z.uuid(), itemId: z.uuid() });
export const rescoreJobPayload = z.object({ runId: z.uuid(), judge: judgeConfigSchema, label: z.string() });

/**
 * Runs this process has seen live and marked running, and the checks in flight (a run's first jobs all start
 * at once and share one). Checking again per item would only cost a round trip: a run that ends early
 * cancels its jobs in the same transaction (so they are not claimed any more), and the executor re-checks
 * the item's own status under a row lock before it starts.
 */
const startedRuns = new Map<string, Promise<boolean>>();

function ensureRunStarted(db: Database, runId: string): Promise<boolean> {
  let started = startedRuns.get(runId);
  if (!started) {
    if (startedRuns.size >= 1000) startedRuns.clear();
    started = startRunIfLive(db, runId).then((live) => {
      // Only a live run is remembered; a failed check or a finished run is asked again next time.
      if (!live) startedRuns.delete(runId);
      return live;
    });
    started.catch(() => startedRuns.delete(runId));
    startedRuns.set(runId, started);
  }
  return started;
}

/**
 * Items of each run this process is executing. The run can only be finished by the last of them to end
 * (each process's last one checks), so the others skip the check and its round trip. A sibling that later
 * fails for good runs the check from its failure hook; one handed back or retried comes round again.
 */
const runningItems = new Map<string, number>();

function itemStarted(runId: string) {
  runningItems.set(runId, (runningItems.get(runId) ?? 0) + 1);
}

/** Returns whether this was the process's last running item of the run. */
function itemEnded(runId: string): boolean {
  const left = (runningItems.get(runId) ?? 1) - 1;
  if (left <= 0) runningItems.delete(runId);
  else runningItems.set(runId, left);
  return left <= 0;
}

function messageOf(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.slice(0, 1000);
}

export function benchmarkJobDefinitions(deps: BenchmarkJobDeps): JobDefinition[] {
  const item = defineJob({
    kind: ITEM_JOB,
    payload: itemJobPayload,
    maxAttempts: ITEM_MAX_ATTEMPTS,
    timeoutMs: ITEM_TIMEOUT_MS,
    async handler({ runId, itemId }, { db, signal, lease }) {
      if (!(await ensureRunStarted(db, runId))) return;
      itemStarted(runId);
      let last: boolean;
      try {
        await deps.executeItem(db, itemId, { signal, lease }).finally(() => (last = itemEnded(runId)));
      } catch (err) {
        // Aborted by the worker (cancel, lost lease, shutdown): the worker decides what happens next.
        if (signal.aborted) throw err;
        if (deps.isTerminalError(err)) {
          const reason = `Stopped because an item failed with an error that retrying cannot fix: ${messageOf(err)}`;
          await db.transaction(async (tx) => {
            // Fenced: an attempt whose job was claimed again must not end the run.
            if (!(await holdsLease(tx, lease))) return;
            await failItem(tx, itemId, messageOf(err));
            await endRunEarly(tx, runId, { status: 'failed', error: reason });
          });
          logger.warn('benchmark run stopped by a terminal error', { runId, itemId, error: messageOf(err) });
          throw new TerminalJobError(messageOf(err));
        }
        throw new RetryableJobError(messageOf(err));
      }
      if (last!) await finalizeRunIfDone(db, runId);
    },
    async onFailed({ runId, itemId }, { db, error }) {
      await failItem(db, itemId, error);
      await finalizeRunIfDone(db, runId);
    },
  });

  const rescore = defineJob({
    kind: RESCORE_JOB,
    payload: rescoreJobPayload,
    maxAttempts: 3,
    async handler({ runId, judge }, { db, signal }) {
      try {
        await deps.rescoreRun(db, runId, judge, { signal });
      } catch (err) {
        if (signal.aborted) throw err;
        if (deps.isTerminalError(err)) throw new TerminalJobError(messageOf(err));
        throw new RetryableJobError(messageOf(err));
      }
    },
  });

  return [item, rescore] as unknown as JobDefinition[];
}
