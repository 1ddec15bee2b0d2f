/**
 * GET /api/training/datasets/:id/export?format=<trl-sft|trl-dpo|openai-sft|openai-dpo|manifest|card>&split=<train|eval|all>
 * Streams a dataset export (JSONL page by page), or its manifest (JSON) or card (Markdown). Session or
 * `Bearer cst_…`, viewer role or higher, like the study export; every download is audit-logged.
 */
import { z } from 'zod';
import { eq } from 'drizzle-orm';
import type { Database } from '../../../db';
import { trainingDatasets } from '../../../db/schema';
import { resolveActor } from '../../auth/session';
import { hasRole } from '../../auth/roles';
import { logger } from '../../lib/logger';
import { recordAudit } from '../../services/audit';
import { datasetExportLines } from '../datasets/export';
import { DATASET_EXPORT_FORMATS, DATASET_EXPORT_SPLITS, exportFileName } from '../datasets/formats';
import { datasetCard, datasetManifest } from '../datasets/manifest';
import { jsonError } from './reward-route';
import { lineStreamBody } from '~/server/http/line-stream';

const querySchema = z.object({
  format: z.enum([...DATASET_EXPORT_FORMATS, 'manifest', 'card']),
  split: z.enum(DATASET_EXPORT_SPLITS).default('all'),
});

export async function getDatasetExport(req: Request, db: Database, datasetId: string): Promise<Response> {
  const actor = await resolveActor(req.headers);
  if (!actor) return jsonError(401, 'UNAUTHORIZED', 'Sign in, or send a personal API token as "Authorization: Bearer cst_…".');
  if (!hasRole(actor, 'viewer')) return jsonError(403, 'FORBIDDEN', 'Your role does not allow this.');
  if (!z.uuid().safeParse(datasetId).success) return jsonError(404, 'NOT_FOUND', 'The dataset was not found.');
  const url = new URL(req.url);
  const query = querySchema.safeParse(Object.fromEntries(url.searchParams));
  if (!query.success) return jsonError(400, 'BAD_REQUEST', `format must be one of ${[...DATASET_EXPORT_FORMATS, 'manifest', 'card'].join(', ')}; split one of train, eval, all.`);
  const [dataset] = await db.select({ id: trainingDatasets.id, name: trainingDatasets.name, version: trainingDatasets.version }).from(trainingDatasets).where(eq(trainingDatasets.id, datasetId));
  if (!dataset) return jsonError(404, 'NOT_FOUND', 'The dataset was not found.');
  const { format, split } = query.data;
  await recordAudit(db, { actorUserId: actor.id, action: 'dataset.export', targetType: 'training_dataset', targetId: datasetId, details: { format, split } });
  const stem = exportFileName(dataset.name, dataset.version, 'trl-sft', 'all').replace(/-trl-sft\.jsonl$/, '');
  if (format === 'manifest')
    return new Response(JSON.stringify(await datasetManifest(db, datasetId), null, 2), {
      headers: { 'content-type': 'application/json; charset=utf-8', 'content-disposition': `attachment; filename="${stem}-manifest.json"`, 'cache-control': 'no-store' },
    });
  if (format === 'card')
    return new Response(await datasetCard(db, datasetId), {
      headers: { 'content-type': 'text/markdown; charset=utf-8', 'content-disposition': `attachment; filename="${stem}-README.md"`, 'cache-control': 'no-store' },
    });

  const body = lineStreamBody(datasetExportLines(db, datasetId, format, { split }), { message: 'dataset export failed', context: { datasetId } });
  return new Response(body, {
    headers: {
      'content-type': 'application/x-ndjson; charset=utf-8',
      'content-disposition': `attachment; filename="${exportFileName(dataset.name, dataset.version, format, split)}"`,
      'cache-control': 'no-store',
    },
  });
}
