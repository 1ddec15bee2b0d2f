/** GET /api/training/datasets/:datasetId/export — see server/training/http/export-route.ts. */
import { getDb } from '~/db';
import { getDatasetExport } from '~/server/training/http/export-route';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET(req: Request, { params }: { params: Promise<{ datasetId: string }> }) {
  const { datasetId } = await params;
  return getDatasetExport(req, await getDb(), datasetId);
}
