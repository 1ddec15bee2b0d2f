/**
 * Files and fine-tuning calls of an OpenAI-compatible API, through the shared SDK client of server/llm/index.ts
 * (which stays the only importer of `openai`).
 *
 * Each function makes one attempt: training jobs are followed by the durable queue, which owns retries and their
 * backoff, so a failure here is classified (retryable or terminal, with any Retry-After) and handed back.
 */
import { openAsBlob } from 'node:fs';
import { classifyLlmFailure, sdkClientFor } from './index';
import { LlmError } from './errors';
import type { LlmFailureReason, ModelTarget } from './types';

type Connection = NonNullable<ModelTarget['connection']>;

/** An LlmError that also carries the provider's Retry-After, for the queue's next attempt. */
export class FineTuningApiError extends LlmError {
  constructor(
    message: string,
    kind: 'retryable' | 'terminal',
    reason: LlmFailureReason,
    status: number | undefined,
    public readonly retryAfterMs?: number,
  ) {
    super(message, kind, reason, status, 1);
    this.name = 'FineTuningApiError';
  }
}

/** Uploads can be large; reading the job or its events is quick. */
const UPLOAD_TIMEOUT_MS = 10 * 60_000;
const CALL_TIMEOUT_MS = 60_000;

async function call<T>(connection: Connection, what: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const failure = classifyLlmFailure(err, connection.apiKey, signal);
    throw new FineTuningApiError(`${what}: ${failure.message}`, failure.kind, failure.reason, failure.status, failure.retryAfterMs);
  }
}

export interface ProviderJob {
  id: string;
  status: 'validating_files' | 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  fineTunedModel: string | null;
  trainedTokens: number | null;
  error: { code: string; message: string } | null;
  estimatedFinish: number | null;
}

export interface ProviderEvent {
  id: string;
  createdAt: number;
  level: string;
  message: string;
  type: string | null;
  data: Record<string, unknown> | null;
}

function toProviderJob(job: {
  id: string;
  status: ProviderJob['status'];
  fine_tuned_model: string | null;
  trained_tokens: number | null;
  error: { code: string; message: string } | null;
  estimated_finish?: number | null;
}): ProviderJob {
  return {
    id: job.id,
    status: job.status,
    fineTunedModel: job.fine_tuned_model,
    trainedTokens: job.trained_tokens,
    error: job.error ? { code: job.error.code, message: job.error.message } : null,
    estimatedFinish: job.estimated_finish ?? null,
  };
}

/**
 * Uploads a JSONL file from disk with purpose `fine-tune`. The file is handed to the SDK as a file-backed Blob,
 * so a large dataset is never read into memory.
 */
export async function uploadTrainingFile(connection: Connection, path: string, filename: string, signal?: AbortSignal): Promise<string> {
  const client = sdkClientFor(connection);
  const blob = await openAsBlob(path, { type: 'application/jsonl' });
  const file = new File([blob], filename, { type: 'application/jsonl' });
  const created = await call(connection, 'Uploading the training file failed', () =>
    client.files.create({ file, purpose: 'fine-tune' }, { signal, timeout: UPLOAD_TIMEOUT_MS, maxRetries: 0 }),
  signal);
  return created.id;
}

export interface CreateJobInput {
  model: string;
  trainingFileId: string;
  validationFileId?: string | null;
  suffix?: string;
  seed?: number;
  /** Stored with the provider's job; we tag jobs with our id so a create that timed out is found, not repeated. */
  metadata: Record<string, string>;
  method:
    | { type: 'supervised'; hyperparameters: Record<string, number | 'auto'> }
    | { type: 'dpo'; hyperparameters: Record<string, number | 'auto'> };
}

export async function createFineTuningJob(connection: Connection, input: CreateJobInput, signal?: AbortSignal): Promise<ProviderJob> {
  const client = sdkClientFor(connection);
  const method =
    input.method.type === 'supervised'
      ? { type: 'supervised' as const, supervised: { hyperparameters: input.method.hyperparameters } }
      : { type: 'dpo' as const, dpo: { hyperparameters: input.method.hyperparameters } };
  const job = await call(connection, 'Creating the fine-tuning job failed', () =>
    client.fineTuning.jobs.create(
      {
        model: input.model,
        training_file: input.trainingFileId,
        ...(input.validationFileId ? { validation_file: input.validationFileId } : {}),
        ...(input.suffix ? { suffix: input.suffix } : {}),
        ...(input.seed !== undefined ? { seed: input.seed } : {}),
        metadata: input.metadata,
        method,
      },
      { signal, timeout: CALL_TIMEOUT_MS, maxRetries: 0 },
    ),
  signal);
  return toProviderJob(job);
}

/** The provider's job carrying this metadata value, if one exists (the newest one). */
export async function findFineTuningJob(connection: Connection, key: string, value: string, signal?: AbortSignal): Promise<ProviderJob | null> {
  const client = sdkClientFor(connection);
  const page = await call(connection, 'Listing fine-tuning jobs failed', () =>
    client.fineTuning.jobs.list({ metadata: { [key]: value }, limit: 10 }, { signal, timeout: CALL_TIMEOUT_MS, maxRetries: 0 }),
  signal);
  // Providers that ignore the metadata filter return other jobs too; check it ourselves.
  const match = page.data.find((job) => job.metadata?.[key] === value);
  return match ? toProviderJob(match) : null;
}

export async function retrieveFineTuningJob(connection: Connection, id: string, signal?: AbortSignal): Promise<ProviderJob> {
  const client = sdkClientFor(connection);
  const job = await call(connection, 'Reading the fine-tuning job failed', () =>
    client.fineTuning.jobs.retrieve(id, { signal, timeout: CALL_TIMEOUT_MS, maxRetries: 0 }),
  signal);
  return toProviderJob(job);
}

export async function cancelFineTuningJob(connection: Connection, id: string, signal?: AbortSignal): Promise<ProviderJob> {
  const client = sdkClientFor(connection);
  const job = await call(connection, 'Cancelling the fine-tuning job failed', () =>
    client.fineTuning.jobs.cancel(id, { signal, timeout: CALL_TIMEOUT_MS, maxRetries: 0 }),
  signal);
  return toProviderJob(job);
}

/**
 * Events newer than `lastSeenId`, oldest first. The API lists newest first and pages towards older ones, so we
 * read pages until the last event we stored (or the beginning) and reverse; `maxEvents` bounds one poll.
 */
export async function listNewEvents(
  connection: Connection,
  jobId: string,
  lastSeenId: string | null,
  opts: { signal?: AbortSignal; maxEvents?: number } = {},
): Promise<ProviderEvent[]> {
  const client = sdkClientFor(connection);
  const maxEvents = opts.maxEvents ?? 500;
  const collected: ProviderEvent[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await call(connection, 'Reading the fine-tuning events failed', () =>
      client.fineTuning.jobs.listEvents(jobId, { limit: 100, ...(after ? { after } : {}) }, { signal: opts.signal, timeout: CALL_TIMEOUT_MS, maxRetries: 0 }),
    opts.signal);
    for (const event of page.data) {
      if (event.id === lastSeenId) return collected.reverse();
      collected.push({
        id: event.id,
        createdAt: event.created_at,
        level: event.level,
        message: event.message,
        type: event.type ?? null,
        data: (event.data as Record<string, unknown> | undefined) ?? null,
      });
    }
    if (!page.has_more || page.data.length === 0 || collected.length >= maxEvents) return collected.reverse();
    after = page.data[page.data.length - 1]!.id;
  }
}
