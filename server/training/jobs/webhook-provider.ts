/**
 * The external-trainer provider: a signed POST to the configured launcher (TRAINING_WEBHOOK_URL, e.g. a TRL or
 * veRL job launcher on a GPU cluster) with a short-lived, token-authenticated dataset download link, and signed
 * callbacks from the trainer (progress, the final model endpoint). Signatures: signature.ts.
 *
 * Request body (POST TRAINING_WEBHOOK_URL):
 *   { event: 'training.requested', jobId, name, method: 'sft'|'dpo', baseModel, hyperparameters, seed,
 *     dataset: { id, name, version, format, download: { url, token, expiresAt, splits } }, callbackUrl }
 *   { event: 'training.cancel', jobId }
 * Callback body (POST callbackUrl, signed with the same secret and scheme):
 *   { jobId, event: 'running'|'progress'|'log'|'succeeded'|'failed'|'cancelled', message?, progress?,
 *     trainedTokens?, costUsd?, model?: { baseUrl, model } (required for 'succeeded') }
 */
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, DbExecutor } from '../../../db';
import { schema } from '../../../db';
import { RetryableJobError } from '../../jobs/errors';
import { env } from '../../env';
import { withoutNul } from '../../lib/text';
import { ServiceError } from '../../services/errors';
import { isAllowedTrainerUrl, signedHeaders, verifySignature } from './signature';
import { addEvents, isTerminal, loadJob, revokeDownloadTokens, setStatus, type TrainingJobRow } from './store';

const { trainingJobs, trainingDownloadTokens, trainingCallbackNonces } = schema;

const REQUEST_TIMEOUT_MS = 30_000;

/** Text from the trainer, made storable: no NUL, no lone surrogates. */
const cleanText = (text: string) => withoutNul(text).replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
export const MAX_CALLBACK_BYTES = 64 * 1024;

export function publicBaseUrl(): string | undefined {
  return (env.TRAINING_PUBLIC_URL ?? env.NEXTAUTH_URL)?.replace(/\/+$/, '');
}

/** Why the webhook provider cannot be used right now, or null when it can. */
export function webhookUnavailableReason(): string | null {
  if (!env.TRAINING_WEBHOOK_URL || !env.TRAINING_WEBHOOK_SECRET)
    return 'The external trainer is not configured: set TRAINING_WEBHOOK_URL and TRAINING_WEBHOOK_SECRET.';
  if (!isAllowedTrainerUrl(env.TRAINING_WEBHOOK_URL))
    return 'TRAINING_WEBHOOK_URL must use https (http is allowed only for localhost).';
  if (!publicBaseUrl()) return 'Set TRAINING_PUBLIC_URL (or NEXTAUTH_URL) so the trainer can reach the dataset download and the callback.';
  return null;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const purposeOf = (job: Pick<TrainingJobRow, 'datasetId' | 'exportFormat'>) => `dataset-download:${job.datasetId}:${job.exportFormat}`;

export async function createDownloadToken(db: DbExecutor, job: TrainingJobRow): Promise<{ token: string; expiresAt: Date }> {
  const token = `ctd_${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(Date.now() + env.TRAINING_DOWNLOAD_TTL_MINUTES * 60_000);
  await db.insert(trainingDownloadTokens).values({ jobId: job.id, tokenHash: hashToken(token), purpose: purposeOf(job), expiresAt });
  return { token, expiresAt };
}

/** The job whose dataset this token may download, or a 401/403-style ServiceError. */
export async function authorizeDownload(db: Database, jobId: string, token: string | null): Promise<TrainingJobRow> {
  if (!token) throw new ServiceError('FORBIDDEN', 'A download token is required.');
  const [row] = await db
    .select()
    .from(trainingDownloadTokens)
    .where(and(eq(trainingDownloadTokens.tokenHash, hashToken(token)), isNull(trainingDownloadTokens.revokedAt), gt(trainingDownloadTokens.expiresAt, sql`now()`)));
  const job = row && row.jobId === jobId ? await loadJob(db, jobId) : undefined;
  // One answer for unknown, expired, revoked and other-job tokens: a caller learns nothing from the difference.
  if (!row || !job || row.purpose !== purposeOf(job)) throw new ServiceError('FORBIDDEN', 'This download link is invalid or has expired.');
  await db.update(trainingDownloadTokens).set({ downloads: sql`${trainingDownloadTokens.downloads} + 1` }).where(eq(trainingDownloadTokens.id, row.id));
  return job;
}

async function post(body: Record<string, unknown>, signal: AbortSignal): Promise<void> {
  const url = env.TRAINING_WEBHOOK_URL!;
  const raw = JSON.stringify(body);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signedHeaders(env.TRAINING_WEBHOOK_SECRET!, raw) },
      body: raw,
      redirect: 'error',
      signal: AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
    });
  } catch (err) {
    if (signal.aborted) throw err;
    throw new RetryableJobError(`The trainer at ${new URL(url).host} could not be reached: ${err instanceof Error ? err.message : String(err)}`);
  }
  const text = (await response.text().catch(() => '')).slice(0, 300);
  if (response.ok) return;
  if (response.status === 429 || response.status >= 500) {
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new RetryableJobError(`The trainer answered ${response.status}: ${text}`, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined);
  }
  throw new ServiceError('BAD_REQUEST', `The trainer refused the request (${response.status}): ${cleanText(text)}`);
}

export async function webhookStep(db: Database, job: TrainingJobRow, signal: AbortSignal): Promise<void> {
  const unavailable = webhookUnavailableReason();
  if (job.cancelRequestedAt) {
    if (job.status !== 'preparing' && !unavailable) {
      try {
        await post({ event: 'training.cancel', jobId: job.id }, signal);
      } catch (err) {
        // The trainer refusing a cancel (4xx) still ends our record of the job; transient failures are retried.
        if (!(err instanceof ServiceError)) throw err;
        await addEvents(db, job.id, [{ kind: 'log', level: 'warn', message: err.message }]);
      }
    }
    await setStatus(db, job.id, 'cancelled', { statusReason: 'Cancelled on request.' });
    return;
  }
  if (job.status !== 'preparing') return; // the trainer reports by callback; nothing to poll
  if (unavailable) throw new ServiceError('PRECONDITION_FAILED', unavailable);
  // A retry after a failed POST gets a fresh link; the old one stops working.
  await revokeDownloadTokens(db, job.id);
  const { token, expiresAt } = await createDownloadToken(db, job);
  const base = publicBaseUrl()!;
  await post(
    {
      event: 'training.requested',
      jobId: job.id,
      name: job.name,
      method: job.method,
      baseModel: job.baseModel,
      hyperparameters: job.hyperparameters,
      seed: job.seed,
      dataset: {
        id: job.datasetId,
        name: job.datasetName,
        version: job.datasetVersion,
        format: job.exportFormat,
        download: { url: `${base}/api/training/jobs/${job.id}/dataset`, token, expiresAt: expiresAt.toISOString(), splits: ['train', 'eval', 'all'] },
      },
      callbackUrl: `${base}/api/training/jobs/${job.id}/callback`,
    },
    signal,
  );
  await setStatus(db, job.id, 'submitted', { submittedAt: new Date(), providerStatus: 'requested' }, `Sent to the trainer at ${new URL(env.TRAINING_WEBHOOK_URL!).host}.`);
}

const callbackSchema = z
  .object({
    jobId: z.uuid(),
    event: z.enum(['running', 'progress', 'log', 'succeeded', 'failed', 'cancelled']),
    message: z.string().max(4000).optional(),
    progress: z.number().min(0).max(1).optional(),
    trainedTokens: z.number().int().min(0).max(1e15).optional(),
    costUsd: z.number().min(0).max(1e7).optional(),
    model: z.object({ baseUrl: z.string().max(2000), model: z.string().min(1).max(300) }).optional(),
  })
  .strict();

export interface CallbackResult {
  status: number;
  body: Record<string, unknown>;
}

/** Verifies and applies one trainer callback. Forged or stale → 401, replayed nonce → 409, bad body → 400. */
export async function handleTrainerCallback(db: Database, jobId: string, headers: { get(name: string): string | null }, raw: string): Promise<CallbackResult> {
  const secret = env.TRAINING_WEBHOOK_SECRET;
  if (!secret) return { status: 404, body: { error: 'The external trainer is not configured.' } };
  if (Buffer.byteLength(raw) > MAX_CALLBACK_BYTES) return { status: 413, body: { error: `Callbacks are limited to ${MAX_CALLBACK_BYTES} bytes.` } };
  const check = verifySignature(secret, headers, raw);
  if (!check.ok) return { status: 401, body: { error: `Signature rejected (${check.reason}).` } };
  let parsed: z.infer<typeof callbackSchema>;
  try {
    const result = callbackSchema.safeParse(JSON.parse(raw));
    if (!result.success) return { status: 400, body: { error: result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') } };
    parsed = result.data;
  } catch {
    return { status: 400, body: { error: 'The body must be JSON.' } };
  }
  if (parsed.jobId !== jobId) return { status: 400, body: { error: 'jobId does not match the callback URL.' } };
  if (parsed.event === 'succeeded') {
    if (!parsed.model) return { status: 400, body: { error: "'succeeded' needs model: { baseUrl, model }." } };
    if (!isAllowedTrainerUrl(parsed.model.baseUrl)) return { status: 400, body: { error: 'model.baseUrl must use https (http only for localhost).' } };
  }
  return db.transaction(async (tx) => {
    const [job] = await tx.select().from(trainingJobs).where(eq(trainingJobs.id, jobId)).for('update');
    if (!job || job.provider !== 'webhook') return { status: 404, body: { error: 'No such training job.' } };
    const fresh = await tx.insert(trainingCallbackNonces).values({ jobId, nonce: check.nonce }).onConflictDoNothing().returning();
    if (fresh.length === 0) return { status: 409, body: { error: 'Replayed callback (nonce already used).' } };
    if (isTerminal(job.status)) return { status: 409, body: { error: `The job has already ended (${job.status}).`, status: job.status } };
    const message = parsed.message ? cleanText(parsed.message) : undefined;
    await addEvents(tx, jobId, [{ kind: 'callback', level: parsed.event === 'failed' ? 'error' : 'info', message: message ?? `Trainer: ${parsed.event}`, data: { event: parsed.event, progress: parsed.progress ?? null } }]);
    const metrics = {
      ...(parsed.progress !== undefined ? { progress: parsed.progress } : {}),
      ...(parsed.trainedTokens !== undefined ? { trainedTokens: parsed.trainedTokens } : {}),
      ...(parsed.costUsd !== undefined ? { costUsd: parsed.costUsd } : {}),
      providerStatus: parsed.event,
    };
    if (parsed.event === 'succeeded')
      await setStatus(tx, jobId, 'succeeded', { ...metrics, progress: 1, fineTunedModel: parsed.model!.model, resultEndpoint: parsed.model! }, `Succeeded: ${parsed.model!.model} at ${new URL(parsed.model!.baseUrl).host}`);
    else if (parsed.event === 'failed')
      await setStatus(tx, jobId, 'failed', { ...metrics, statusReason: `The trainer failed the job${message ? `: ${message}` : '.'}` });
    else if (parsed.event === 'cancelled') await setStatus(tx, jobId, 'cancelled', { ...metrics, statusReason: 'Cancelled by the trainer.' });
    else if (job.status !== 'running' && parsed.event !== 'log') await setStatus(tx, jobId, 'running', metrics);
    else await tx.update(trainingJobs).set(metrics).where(eq(trainingJobs.id, jobId));
    return { status: 200, body: { ok: true } };
  });
}
