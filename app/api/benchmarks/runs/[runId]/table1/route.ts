/**
 * GET /api/benchmarks/runs/:runId/table1?format=csv|latex — the run's Table-1 view as a CSV or LaTeX
 * download. Query: `reference` (arm key), `judge` (score label), `includeExtractionFailures=1`; the same
 * choices as on the results page. Auth as the JSONL export: a signed-in session or a personal API token
 * (Bearer cst_…), viewer role or higher.
 */
import { z } from 'zod';
import { eq } from 'drizzle-orm';
import { getDb, schema } from '~/db';
import { resolveActor } from '~/server/auth/session';
import { hasRole } from '~/server/auth/roles';
import { runAnalysis, table1Csv, table1Latex } from '~/server/benchmarks/analysis';
import { logger } from '~/server/lib/logger';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

function jsonError(status: number, code: string, message: string) {
  return Response.json({ error: { code, message } }, { status });
}

const query = z.object({
  format: z.enum(['csv', 'latex']),
  reference: z.string().max(40).optional(),
  judge: z.string().max(300).optional(),
  includeExtractionFailures: z.enum(['0', '1']).optional(),
});

export async function GET(req: Request, { params }: { params: Promise<{ runId: string }> }) {
  const actor = await resolveActor(req.headers);
  if (!actor) return jsonError(401, 'UNAUTHORIZED', 'Sign in, or send a personal API token as "Authorization: Bearer cst_…".');
  if (!hasRole(actor, 'viewer')) return jsonError(403, 'FORBIDDEN', 'Your role cannot read benchmark runs.');
  const { runId } = await params;
  if (!z.uuid().safeParse(runId).success) return jsonError(404, 'NOT_FOUND', 'The benchmark run was not found.');
  const parsed = query.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) return jsonError(400, 'BAD_REQUEST', 'Use format=csv or format=latex (optional: reference, judge, includeExtractionFailures=0|1).');
  const db = await getDb();
  const [run] = await db.select({ id: schema.benchmarkRuns.id, name: schema.benchmarkRuns.name }).from(schema.benchmarkRuns).where(eq(schema.benchmarkRuns.id, runId));
  if (!run) return jsonError(404, 'NOT_FOUND', 'The benchmark run was not found.');
  const { format, reference, judge, includeExtractionFailures } = parsed.data;
  try {
    const analysis = await runAnalysis(db, runId, { referenceArmKey: reference, judge, includeExtractionFailures: includeExtractionFailures === '1' });
    const slug = run.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'run';
    const body = format === 'csv' ? table1Csv(analysis.table1) : table1Latex(analysis.table1);
    return new Response(body, {
      headers: {
        'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-tex; charset=utf-8',
        'content-disposition': `attachment; filename="table1-${slug}-${runId.slice(0, 8)}.${format === 'csv' ? 'csv' : 'tex'}"`,
        'cache-control': 'no-store',
      },
    });
  } catch (err) {
    logger.error('benchmark table export failed', { runId, error: err });
    return jsonError(500, 'INTERNAL', 'The table could not be built.');
  }
}
