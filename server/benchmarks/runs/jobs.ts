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
  executeItem(db: Database, itemId: string, opts: { signal?: AbortSignal }): Promise<unknown>;
  isTerminalError(err: unknown): boolean;
  rescoreRun(db: Database, runId: string, judge: JudgeConfig, opts: { signal?: AbortSignal }): Promise<unknown>;
}

export const itemJobPayload = z.object({ runId: z.uuid(), itemId: z.uuid() });
export const rescoreJobPayload = z.object({ runId: z.uuid(), judge: judgeConfigSchema, label: z.string() });

/**
 * Runs this process has seen live and marked running. Checking again per item would only cost a round
 * trip: a run that ends early cancels its jobs in the same transaction (so they are not claimed any more),
 * and the executor re-checks the item's own status under a row lock before it starts.
 */
const startedRuns = new Set<string>();

async function ensureRunStarted(db: Database, runId: string): Promise<boolean> {
  if (startedRuns.has(runId)) return true;
  const live = await startRunIfLive(db, runId);
  if (live) {
    if (startedRuns.size >= 1000) startedRuns.clear();
    startedRuns.add(runId);
  }
  return live;
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
    async handler({ runId, itemId }, { db, signal }) {
      if (!(await ensureRunStarted(db, runId))) return;
      try {
        await deps.executeItem(db, itemId, { signal });
      } catch (err) {
        // Aborted by the worker (cancel, lost lease, shutdown): the worker decides what happens next.
        if (signal.aborted) throw err;
        if (deps.isTerminalError(err)) {
          const reason = `Stopped because an item failed with an error that retrying cannot fix: ${messageOf(err)}`;
          await db.transaction(async (tx) => {
            await failItem(tx, itemId, messageOf(err));
            await endRunEarly(tx, runId, { status: 'failed', error: reason });
          });
          logger.warn('benchmark run stopped by a terminal error', { runId, itemId, error: messageOf(err) });
          throw new TerminalJobError(messageOf(err));
        }
        throw new RetryableJobError(messageOf(err));
      }
      await finalizeRunIfDone(db, runId);
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
