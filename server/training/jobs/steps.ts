/**
 * The `training.step` queue job: one step of a training job (submit, poll, cancel), then the next step is
 * enqueued by the provider code. Being on the durable queue is what lets a job survive app restarts: a step
 * that was running when its worker died is claimed again after one lease, and re-running it is safe (file ids
 * and the provider job id are stored as soon as they exist; a lost create is found by its metadata tag).
 */
import { z } from 'zod';
import { RetryableJobError } from '../../jobs/errors';
import { defineJob } from '../../jobs/worker';
import { FineTuningApiError } from '../../llm/fine-tuning';
import { logger } from '../../lib/logger';
import { ServiceError } from '../../services/errors';
import { openAiStep } from './openai-provider';
import { addEvents, isTerminal, loadJob, setStatus, STEP_KIND } from './store';
import { webhookStep } from './webhook-provider';

export const STEP_MAX_ATTEMPTS = 8;

export const trainingStepJob = defineJob({
  kind: STEP_KIND,
  payload: z.object({ trainingJobId: z.uuid(), seq: z.number().int().min(1) }),
  maxAttempts: STEP_MAX_ATTEMPTS,
  // Exporting and uploading a large dataset is the longest step.
  timeoutMs: 30 * 60_000,
  async handler(payload, { db, signal }) {
    const job = await loadJob(db, payload.trainingJobId);
    // A newer step was scheduled (e.g. a cancel) or the job ended: this one has nothing to do.
    if (!job || isTerminal(job.status) || job.stepSeq !== payload.seq) return;
    try {
      if (job.provider === 'openai') await openAiStep(db, job, payload.seq, signal);
      else await webhookStep(db, job, signal);
    } catch (err) {
      if (signal.aborted) throw err;
      if (err instanceof FineTuningApiError && err.kind === 'retryable') {
        await addEvents(db, job.id, [{ kind: 'log', level: 'warn', message: `${err.message} Retrying.`, data: { status: err.status ?? null, reason: err.reason } }]);
        throw new RetryableJobError(err.message, err.retryAfterMs);
      }
      if (err instanceof RetryableJobError) {
        await addEvents(db, job.id, [{ kind: 'log', level: 'warn', message: `${err.message} Retrying.` }]);
        throw err;
      }
      if (err instanceof FineTuningApiError || err instanceof ServiceError) {
        await setStatus(db, job.id, 'failed', { statusReason: err.message }, `Failed: ${err.message}`);
        return;
      }
      throw err;
    }
  },
  async onFailed(payload, { db, error }) {
    const job = await loadJob(db, payload.trainingJobId);
    if (!job || isTerminal(job.status) || job.stepSeq !== payload.seq) return;
    const still = job.providerJobId ? ` The provider job ${job.providerJobId} may still be running; "Resume following" picks it up again.` : '';
    const reason = `Gave up after ${STEP_MAX_ATTEMPTS} attempts: ${error}.${still}`;
    logger.warn('training job step failed for good', { trainingJobId: job.id, error });
    await setStatus(db, job.id, 'failed', { statusReason: reason }, reason);
  },
});
