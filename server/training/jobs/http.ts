/**
 * The two HTTP endpoints an external trainer calls (route handlers in app/api/training/jobs/[jobId]/…), as plain
 * Request → Response functions so tests can serve them over real HTTP without Next.
 *   GET  …/dataset?split=train|eval|all   Authorization: Bearer ctd_…  (or ?token=)  → the export, streamed JSONL
 *   POST …/callback                       signed (signature.ts)                      → progress / result
 */
import { z } from 'zod';
import type { Database } from '../../../db';
import { logger } from '../../lib/logger';
import { readBodyWithin } from '../../http/body-limit';
import { ServiceError } from '../../services/errors';
import { datasetExportLines, type DatasetExportFormat } from '../datasets/export';
import { authorizeDownload, handleTrainerCallback, MAX_CALLBACK_BYTES } from './webhook-provider';
import { lineStreamBody } from '~/server/http/line-stream';

const json = (status: number, body: Record<string, unknown>) =>
  Response.json(body, { status, headers: { 'cache-control': 'no-store' } });

const splitSchema = z.enum(['train', 'eval', 'all']).default('train');

export async function datasetDownloadResponse(db: Database, req: Request, jobId: string): Promise<Response> {
  if (!z.uuid().safeParse(jobId).success) return json(404, { error: 'Not found.' });
  const url = new URL(req.url);
  const split = splitSchema.safeParse(url.searchParams.get('split') ?? undefined);
  if (!split.success) return json(400, { error: 'split must be train, eval or all.' });
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.get('authorization') ?? '')?.[1] ?? null;
  let job;
  try {
    job = await authorizeDownload(db, jobId, bearer ?? url.searchParams.get('token'));
  } catch (err) {
    if (err instanceof ServiceError) return json(401, { error: err.message });
    throw err;
  }
  // Pull-based: the next page of the export is read only when the trainer has taken the previous bytes.
  const body = lineStreamBody(datasetExportLines(db, job.datasetId, job.exportFormat as DatasetExportFormat, { split: split.data }), { message: 'training dataset download failed', context: { jobId } });
  return new Response(body, {
    headers: {
      'content-type': 'application/jsonl; charset=utf-8',
      'content-disposition': `attachment; filename="${job.exportFormat}-${split.data}.jsonl"`,
      'cache-control': 'no-store',
    },
  });
}

export async function trainerCallbackResponse(db: Database, req: Request, jobId: string): Promise<Response> {
  if (!z.uuid().safeParse(jobId).success) return json(404, { error: 'Not found.' });
  // A body without Content-Length (chunked) is read only up to the cap, too.
  const body = await readBodyWithin(req, MAX_CALLBACK_BYTES);
  if (!body.ok) return json(413, { error: `Callbacks are limited to ${MAX_CALLBACK_BYTES} bytes.` });
  const raw = await body.request.text();
  const result = await handleTrainerCallback(db, jobId, req.headers, raw);
  return json(result.status, result.body);
}
