/**
 * POST /api/training/reward — multiturn-aware reward of candidate replies, for external trainers.
 * See README "Training" for the request and response; the work is in server/training/mr/api.ts.
 */
import { getDb } from '~/db';
import { postReward } from '~/server/training/http/reward-route';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';
export const maxDuration = 120;

export async function POST(req: Request) {
  return postReward(req, await getDb());
}
