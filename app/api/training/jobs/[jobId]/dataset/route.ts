/** GET /api/training/jobs/:jobId/dataset — an external trainer downloads the job's dataset (token-authenticated). */
import { getDb } from '~/db';
import { datasetDownloadResponse } from '~/server/training/jobs/http';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';
export const maxDuration = 3600;

export async function GET(req: Request, { params }: { params: Promise<{ jobId: string }> }) {
  const { jobId } = await params;
  return datasetDownloadResponse(await getDb(), req, jobId);
}
