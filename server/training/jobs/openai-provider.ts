/**
 * The OpenAI-compatible fine-tuning provider: one queue step at a time (steps.ts calls `openAiStep`).
 *
 * preparing → export the dataset's train (and eval) split to a temporary JSONL file and upload it (file ids are
 *             stored at once, so a retry after a crash does not upload again) → create the job, tagged with our
 *             id in `metadata`; before creating, look for a job with that tag, so a create whose answer was lost
 *             is found instead of started twice → submitted.
 * submitted / running → retrieve the job and its new events, store them, move our status; poll again after
 *             TRAINING_POLL_INTERVAL_MS, doubling while nothing changes (up to 8×).
 * cancel requested → cancel at the provider (or take the provider's final status if it already ended).
 * Retryable failures (429, 5xx, timeouts) go back to the queue with the provider's Retry-After; terminal ones
 * (401, 403, 404, 400) end the job as failed with the provider's message. The provider job id is never lost.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { eq } from 'drizzle-orm';
import type { Database } from '../../../db';
import { schema } from '../../../db';
import { env } from '../../env';
import {
  cancelFineTuningJob,
  createFineTuningJob,
  findFineTuningJob,
  FineTuningApiError,
  listNewEvents,
  retrieveFineTuningJob,
  uploadTrainingFile,
  type ProviderJob,
} from '../../llm/fine-tuning';
import { resolveConnectionTarget } from '../../llm/resolve';
import { ServiceError } from '../../services/errors';
import { datasetExportLines, type DatasetExportFormat } from '../datasets/export';
import { openAiHyperparameters, type Hyperparameters } from './hyperparameters';
import { addEvents, scheduleStep, setStatus, type TrainingJobRow } from './store';

const { trainingJobs } = schema;

/** Tag on the provider's job; how a lost create is recognised. */
export const METADATA_KEY = 'collabstudy_training_job';

type Connection = { baseUrl: string; apiKey: string | null };

async function connectionOf(db: Database, job: TrainingJobRow): Promise<Connection> {
  if (!job.connectionId) throw new ServiceError('PRECONDITION_FAILED', 'The connection this job used was deleted.');
  const target = await resolveConnectionTarget(db, job.connectionId, job.baseModel);
  return target.connection!;
}

/** Writes one split of the export to a temporary file; returns its path and line count (0 = nothing to send). */
async function exportToFile(db: Database, job: TrainingJobRow, split: 'train' | 'eval', dir: string) {
  const file = path.join(dir, `${job.id}-${split}.jsonl`);
  let lines = 0;
  const source = datasetExportLines(db, job.datasetId, job.exportFormat as DatasetExportFormat, { split });
  async function* withNewlines() {
    for await (const line of source) {
      lines += 1;
      yield `${line}\n`;
    }
  }
  // pipeline waits on the file stream's backpressure, so memory stays at one page of the export.
  await pipeline(Readable.from(withNewlines()), fs.createWriteStream(file));
  return { file, lines };
}

async function upload(db: Database, job: TrainingJobRow, connection: Connection, signal: AbortSignal): Promise<TrainingJobRow> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'collab-training-'));
  try {
    const train = await exportToFile(db, job, 'train', dir);
    if (train.lines === 0)
      throw new ServiceError('PRECONDITION_FAILED', `The dataset has no ${job.exportFormat} lines in its train split; nothing to train on.`);
    const evalSplit = await exportToFile(db, job, 'eval', dir);
    const trainingFileId = await uploadTrainingFile(connection, train.file, `${job.name}-train.jsonl`, signal);
    const validationFileId = evalSplit.lines > 0 ? await uploadTrainingFile(connection, evalSplit.file, `${job.name}-eval.jsonl`, signal) : null;
    const [updated] = await db
      .update(trainingJobs)
      .set({ providerFileId: trainingFileId, providerValidationFileId: validationFileId })
      .where(eq(trainingJobs.id, job.id))
      .returning();
    await addEvents(db, job.id, [
      {
        kind: 'log',
        message: `Uploaded ${train.lines} training lines (${trainingFileId})${validationFileId ? ` and ${evalSplit.lines} validation lines (${validationFileId})` : ''}.`,
        data: { trainingFileId, validationFileId, trainLines: train.lines, evalLines: evalSplit.lines },
      },
    ]);
    return updated!;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function submit(db: Database, job: TrainingJobRow, connection: Connection, seq: number, signal: AbortSignal) {
  const hyperparameters = job.hyperparameters as Hyperparameters;
  const existing = await findFineTuningJob(connection, METADATA_KEY, job.id, signal);
  const created =
    existing ??
    (await createFineTuningJob(
      connection,
      {
        model: job.baseModel,
        trainingFileId: job.providerFileId!,
        validationFileId: job.providerValidationFileId,
        suffix: 'collabstudy',
        ...(job.seed !== null ? { seed: job.seed } : {}),
        metadata: { [METADATA_KEY]: job.id },
        method: {
          type: job.method === 'sft' ? 'supervised' : 'dpo',
          hyperparameters: openAiHyperparameters(job.method, hyperparameters),
        },
      },
      signal,
    ));
  await db.transaction(async (tx) => {
    await setStatus(
      tx,
      job.id,
      'submitted',
      { providerJobId: created.id, providerStatus: created.status, submittedAt: new Date() },
      existing ? `Found the provider job ${created.id} created by an earlier attempt.` : `Provider job ${created.id} created.`,
    );
    await scheduleStep(tx, job.id, seq, env.TRAINING_POLL_INTERVAL_MS);
  });
}

function progressOf(events: { type: string | null; data: Record<string, unknown> | null }[]): number | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const data = events[i]!.data;
    if (events[i]!.type === 'metrics' && data && typeof data.step === 'number' && typeof data.total_steps === 'number' && data.total_steps > 0)
      return Math.min(1, data.step / data.total_steps);
  }
  return null;
}

async function applyProviderState(db: Database, job: TrainingJobRow, pj: ProviderJob, seq: number, connection: Connection, signal: AbortSignal) {
  const events = await listNewEvents(connection, pj.id, job.lastProviderEventId, { signal });
  const progress = progressOf(events);
  const changed = events.length > 0 || pj.status !== job.providerStatus;
  const idlePolls = changed ? 0 : job.idlePolls + 1;
  await db.transaction(async (tx) => {
    await addEvents(
      tx,
      job.id,
      events.map((e) => ({
        kind: 'provider' as const,
        level: e.level,
        message: e.message,
        data: e.data ? { type: e.type, ...e.data } : e.type ? { type: e.type } : null,
        providerEventId: e.id,
        occurredAt: new Date(e.createdAt * 1000),
      })),
    );
    await tx
      .update(trainingJobs)
      .set({
        providerStatus: pj.status,
        idlePolls,
        ...(events.length ? { lastProviderEventId: events[events.length - 1]!.id } : {}),
        ...(progress !== null ? { progress } : {}),
        ...(pj.trainedTokens !== null ? { trainedTokens: pj.trainedTokens } : {}),
      })
      .where(eq(trainingJobs.id, job.id));
    if (pj.status === 'succeeded') {
      if (!pj.fineTunedModel) {
        await setStatus(tx, job.id, 'failed', { statusReason: 'The provider reported success without a model id.' });
        return;
      }
      await setStatus(tx, job.id, 'succeeded', { fineTunedModel: pj.fineTunedModel, progress: 1 }, `Succeeded: ${pj.fineTunedModel}`);
      return;
    }
    if (pj.status === 'failed') {
      const reason = pj.error ? `The provider failed the job: ${pj.error.message} (${pj.error.code})` : 'The provider failed the job without a reason.';
      await setStatus(tx, job.id, 'failed', { statusReason: reason }, reason);
      return;
    }
    if (pj.status === 'cancelled') {
      await setStatus(tx, job.id, 'cancelled', { statusReason: 'Cancelled at the provider.' });
      return;
    }
    if (pj.status === 'running' && job.status !== 'running') await setStatus(tx, job.id, 'running');
    const delay = env.TRAINING_POLL_INTERVAL_MS * 2 ** Math.min(idlePolls, 3);
    await scheduleStep(tx, job.id, seq, delay);
  });
}

async function cancel(db: Database, job: TrainingJobRow, connection: Connection | null, signal: AbortSignal) {
  const who = 'Cancelled on request.';
  if (!job.providerJobId || !connection) {
    await setStatus(db, job.id, 'cancelled', { statusReason: who });
    return;
  }
  let final: ProviderJob;
  try {
    final = await cancelFineTuningJob(connection, job.providerJobId, signal);
  } catch (err) {
    // A job that finished before the cancel arrived is refused with a 400; keep the provider's real outcome.
    if (!(err instanceof FineTuningApiError) || err.status !== 400) throw err;
    final = await retrieveFineTuningJob(connection, job.providerJobId, signal);
  }
  if (final.status === 'succeeded' || final.status === 'failed') {
    await applyProviderState(db, job, final, job.stepSeq, connection, signal);
    return;
  }
  await setStatus(db, job.id, 'cancelled', { providerStatus: final.status, statusReason: who }, `Cancelled (provider job ${job.providerJobId}).`);
}

export async function openAiStep(db: Database, job: TrainingJobRow, seq: number, signal: AbortSignal): Promise<void> {
  const connection = job.cancelRequestedAt && !job.providerJobId ? null : await connectionOf(db, job);
  if (job.cancelRequestedAt) return cancel(db, job, connection, signal);
  if (!job.providerJobId) {
    const withFile = job.providerFileId ? job : await upload(db, job, connection!, signal);
    // A cancel that arrived during the upload bumped the sequence; its step takes over.
    return submit(db, withFile, connection!, seq, signal);
  }
  const pj = await retrieveFineTuningJob(connection!, job.providerJobId, signal);
  return applyProviderState(db, job, pj, seq, connection!, signal);
}
