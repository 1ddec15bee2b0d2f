/**
 * The training data jobs: `reward.sample` (one MR forward sample; the last sample of an evaluation finalizes
 * it and, for a dataset, queues the conversation's next step) and `dataset.step` (one turn of the synthetic
 * generation loop). Payloads carry ids only; handlers are idempotent (see mr/store.ts, datasets/synthetic.ts),
 * so a retried or taken-over job after `kill -9` stores nothing twice. Terminal errors (rejected credentials,
 * bad configuration) fail the evaluation / conversation at once; others retry with backoff.
 */
import { z } from 'zod';
import { eq } from 'drizzle-orm';
import type { Database, Tx } from '../../db';
import { rewardEvaluations } from '../../db/schema';
import { isTerminalError } from '../benchmarks/errors';
import { enqueueJobs } from '../jobs/queue';
import { RetryableJobError, TerminalJobError } from '../jobs/errors';
import { defineJob, type JobDefinition } from '../jobs/worker';
import { REWARD_SAMPLE_JOB, REWARD_SAMPLE_MAX_ATTEMPTS, failEvaluation, finalizeEvaluationIfComplete, scoreSample, type EvaluationRow } from './mr/store';
import {
  advanceConversation,
  DATASET_STEP_JOB,
  DATASET_STEP_MAX_ATTEMPTS,
  failConversation,
  finalizeDatasetIfDone,
  stepJob,
} from './datasets/synthetic';

const sampleTimeoutMs = 20 * 60_000;

function messageOf(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 1000);
}

function rethrow(err: unknown, signal: AbortSignal): never {
  if (signal.aborted) throw err;
  if (isTerminalError(err)) throw new TerminalJobError(messageOf(err));
  throw new RetryableJobError(messageOf(err));
}

/** What happens when an evaluation is scored: a dataset's conversation moves on to its next turn. */
export async function onEvaluationScored(tx: Tx, evaluation: EvaluationRow): Promise<void> {
  if (evaluation.source === 'dataset' && evaluation.datasetId && evaluation.conversationId && evaluation.turnIndex !== null)
    await enqueueJobs(tx, [stepJob(evaluation.datasetId, evaluation.conversationId, evaluation.turnIndex + 1)]);
}

async function evaluationFailed(db: Database, evaluationId: string, error: string): Promise<void> {
  await failEvaluation(db, evaluationId, error);
  const [ev] = await db.select().from(rewardEvaluations).where(eq(rewardEvaluations.id, evaluationId));
  if (ev?.source === 'dataset' && ev.conversationId && ev.datasetId) {
    await failConversation(db, ev.conversationId, `A forward sample failed: ${error}`);
    await finalizeDatasetIfDone(db, ev.datasetId);
  }
}

export const rewardSamplePayload = z.object({ evaluationId: z.uuid(), candidateId: z.uuid(), sampleIndex: z.number().int().min(0) });
export const datasetStepPayload = z.object({ datasetId: z.uuid(), conversationId: z.uuid(), turnIndex: z.number().int().min(0) });

export function trainingJobDefinitions(): JobDefinition[] {
  const sample = defineJob({
    kind: REWARD_SAMPLE_JOB,
    payload: rewardSamplePayload,
    maxAttempts: REWARD_SAMPLE_MAX_ATTEMPTS,
    timeoutMs: sampleTimeoutMs,
    async handler(payload, { db, signal }) {
      let scored;
      try {
        scored = await scoreSample(db, payload, { signal });
      } catch (err) {
        rethrow(err, signal);
      }
      if (scored.outcome === 'skipped') return;
      await finalizeEvaluationIfComplete(db, payload.evaluationId, onEvaluationScored, { expectedSamples: scored.expectedSamples });
    },
    async onFailed({ evaluationId }, { db, error }) {
      await evaluationFailed(db, evaluationId, error);
    },
  });
  const step = defineJob({
    kind: DATASET_STEP_JOB,
    payload: datasetStepPayload,
    maxAttempts: DATASET_STEP_MAX_ATTEMPTS,
    timeoutMs: sampleTimeoutMs,
    async handler(payload, { db, signal }) {
      let outcome;
      try {
        outcome = await advanceConversation(db, payload, { signal });
      } catch (err) {
        rethrow(err, signal);
      }
      // The previous turn is still being scored (only after a manual re-queue): come back later.
      if (outcome === 'waiting') throw new RetryableJobError('The previous turn is still being scored.', 5_000);
    },
    async onFailed({ datasetId, conversationId }, { db, error }) {
      await failConversation(db, conversationId, error);
      await finalizeDatasetIfDone(db, datasetId);
    },
  });
  return [sample, step] as unknown as JobDefinition[];
}
