/** POST /api/training/jobs/:jobId/callback — signed progress and results from an external trainer. */
import { getDb } from '~/db';
import { trainerCallbackResponse } from '~/server/training/jobs/http';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function POST(req: Request, { params }: { params: Promise<{ jobId: string }> }) {
  const { jobId } = await params;
  return trainerCallbackResponse(await getDb(), req, jobId);
}
