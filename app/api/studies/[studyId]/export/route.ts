/**
 * GET /api/studies/:studyId/export — the study's data as one streamed zip.
 * Auth: a signed-in session or `Authorization: Bearer cst_…` (personal API token); viewer role or higher.
 * Query: formats=csv,jsonl  versions=<versionId,…>  hashIds=1  rawIds=1 (admins, see id-policy.ts)  includePreviews=1
 */
import { Readable } from 'node:stream';
import { z } from 'zod';
import { getDb, schema } from '~/db';
import { resolveActor } from '~/server/auth/session';
import { createStudyExport } from '~/server/exports/archive';
import { exportQuerySchema } from '~/server/exports/request';
import { consentPromisesAnonymisedData, exportIdDecision } from '~/server/exports/id-policy';
import { ServiceError } from '~/server/services/errors';
import { logger } from '~/server/lib/logger';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';
export const maxDuration = 3600;

function jsonError(status: number, code: string, message: string, details?: unknown) {
  return Response.json({ error: { code, message, ...(details ? { details } : {}) } }, { status });
}

export async function GET(req: Request, { params }: { params: Promise<{ studyId: string }> }) {
  const actor = await resolveActor(req.headers);
  if (!actor) return jsonError(401, 'UNAUTHORIZED', 'Sign in, or send a personal API token as "Authorization: Bearer cst_…".');
  if (!['viewer', 'researcher', 'admin'].includes(actor.role)) return jsonError(403, 'FORBIDDEN', 'Your role does not allow exports.');

  const { studyId } = await params;
  if (!z.uuid().safeParse(studyId).success) return jsonError(404, 'NOT_FOUND', 'The study was not found.');
  const query = exportQuerySchema.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!query.success) return jsonError(400, 'BAD_REQUEST', 'Invalid export options.', z.flattenError(query.error).fieldErrors);

  const db = await getDb();
  try {
    const ids = exportIdDecision({
      promisesAnonymised: await consentPromisesAnonymisedData(db, studyId),
      role: actor.role,
      hashIds: query.data.hashIds,
      rawIds: query.data.rawIds,
    });
    const { stream, filename } = await createStudyExport(db, {
      studyId,
      versionIds: query.data.versions,
      includePreviews: query.data.includePreviews,
      hashExternalIds: ids.hashExternalIds,
      formats: query.data.formats,
      requestedBy: actor.email,
    });
    await db.insert(schema.auditLog).values({
      actorUserId: actor.id,
      action: 'study.export',
      targetType: 'study',
      targetId: studyId,
      details: { via: actor.via, ...query.data, externalIdsHashed: ids.hashExternalIds },
    });
    stream.on('error', (err) => logger.error('Export stream failed', { studyId, error: err }));
    return new Response(Readable.toWeb(stream) as ReadableStream, {
      headers: {
        'content-type': 'application/zip',
        'content-disposition': `attachment; filename="${filename}"`,
        'cache-control': 'no-store',
      },
    });
  } catch (err) {
    if (err instanceof ServiceError && err.code === 'NOT_FOUND') return jsonError(404, 'NOT_FOUND', err.message);
    if (err instanceof ServiceError && err.code === 'FORBIDDEN') return jsonError(403, 'FORBIDDEN', err.message);
    logger.error('Export failed', { studyId, error: err });
    return jsonError(500, 'INTERNAL_SERVER_ERROR', 'The export could not be started. Please try again.');
  }
}
