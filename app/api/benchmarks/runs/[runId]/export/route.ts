/**
 * GET /api/benchmarks/runs/:runId/export — the run as JSONL (a header line, then one line per item with
 * its task, conversation and every judge's scores). Streamed page by page, so a large run never sits in
 * memory. Auth: a signed-in session or a personal API token (Bearer cst_…); viewer role or higher.
 */
import { z } from 'zod';
import { eq } from 'drizzle-orm';
import { getDb, schema } from '~/db';
import { resolveActor } from '~/server/auth/session';
import { exportRunJsonl } from '~/server/benchmarks/results';
import { lineStreamBody } from '~/server/http/line-stream';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

function jsonError(status: number, code: string, message: string) {
  return Response.json({ error: { code, message } }, { status });
}

export async function GET(req: Request, { params }: { params: Promise<{ runId: string }> }) {
  const actor = await resolveActor(req.headers);
  if (!actor) return jsonError(401, 'UNAUTHORIZED', 'Sign in, or send a personal API token as "Authorization: Bearer cst_…".');
  const { runId } = await params;
  if (!z.uuid().safeParse(runId).success) return jsonError(404, 'NOT_FOUND', 'The benchmark run was not found.');
  const db = await getDb();
  const [run] = await db.select({ id: schema.benchmarkRuns.id, name: schema.benchmarkRuns.name }).from(schema.benchmarkRuns).where(eq(schema.benchmarkRuns.id, runId));
  if (!run) return jsonError(404, 'NOT_FOUND', 'The benchmark run was not found.');

  const body = lineStreamBody(exportRunJsonl(db, runId), { message: 'benchmark export failed', context: { runId } });
  const slug = run.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'run';
  return new Response(body, {
    headers: {
      'content-type': 'application/x-ndjson; charset=utf-8',
      'content-disposition': `attachment; filename="benchmark-${slug}-${runId.slice(0, 8)}.jsonl"`,
      'cache-control': 'no-store',
    },
  });
}
