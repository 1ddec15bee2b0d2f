/** GET /api/training/reward/:evaluationId — poll a queued reward request (status, MR per candidate, evidence). */
import { getDb } from '~/db';
import { getReward } from '~/server/training/http/reward-route';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET(req: Request, { params }: { params: Promise<{ evaluationId: string }> }) {
  const { evaluationId } = await params;
  return getReward(req, await getDb(), evaluationId);
}
