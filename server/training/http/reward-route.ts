/**
 * HTTP handlers of the reward endpoint (app/api/training/reward/…), kept here so integration tests call
 * them with real Request objects. Bearer `cst_…` token (or a staff session), researcher role or higher;
 * JSON errors `{ error: { code, message } }`; bodies over MAX_REQUEST_BYTES are refused with 413 before
 * they are read in full.
 */
import { z } from 'zod';
import type { Database } from '../../../db';
import { resolveActor } from '../../auth/session';
import { hasRole } from '../../auth/roles';
import { logger } from '../../lib/logger';
import { ServiceError } from '../../services/errors';
import { getRewardEvaluation, MAX_REQUEST_BYTES, requestReward } from '../mr/api';

const STATUS: Record<ServiceError['code'], number> = {
  BAD_REQUEST: 400,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  TOO_MANY_REQUESTS: 429,
};

export function jsonError(status: number, code: string, message: string): Response {
  return Response.json({ error: { code, message } }, { status, headers: { 'cache-control': 'no-store' } });
}

/** Reads the body up to `limit` bytes; null when it is larger (the rest is not read). */
export async function readLimitedText(req: Request, limit: number): Promise<string | null> {
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > limit) return null;
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function authorize(req: Request) {
  const actor = await resolveActor(req.headers);
  if (!actor) return { error: jsonError(401, 'UNAUTHORIZED', 'Send a personal API token as "Authorization: Bearer cst_…".') };
  if (!hasRole(actor, 'researcher')) return { error: jsonError(403, 'FORBIDDEN', 'The reward endpoint needs the researcher or admin role.') };
  return { actor };
}

function fromError(err: unknown): Response {
  if (err instanceof ServiceError) return jsonError(STATUS[err.code], err.code, err.message);
  logger.error('reward endpoint failed', { error: err });
  return jsonError(500, 'INTERNAL', 'The reward could not be computed; try again later.');
}

export async function postReward(req: Request, db: Database): Promise<Response> {
  const auth = await authorize(req);
  if (auth.error) return auth.error;
  const raw = await readLimitedText(req, MAX_REQUEST_BYTES);
  if (raw === null) return jsonError(413, 'PAYLOAD_TOO_LARGE', `The request body is larger than ${MAX_REQUEST_BYTES} bytes.`);
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return jsonError(400, 'BAD_REQUEST', 'The body must be JSON.');
  }
  try {
    const result = await requestReward({ db, actor: auth.actor }, body);
    const status = result.status === 'scoring' ? 202 : 200;
    return Response.json(
      { ...result.evaluation, pollUrl: `/api/training/reward/${result.evaluation.id}` },
      { status, headers: { 'cache-control': 'no-store', ...(status === 202 ? { location: `/api/training/reward/${result.evaluation.id}` } : {}) } },
    );
  } catch (err) {
    return fromError(err);
  }
}

export async function getReward(req: Request, db: Database, evaluationId: string): Promise<Response> {
  const auth = await authorize(req);
  if (auth.error) return auth.error;
  if (!z.uuid().safeParse(evaluationId).success) return jsonError(404, 'NOT_FOUND', 'Reward evaluation was not found.');
  try {
    return Response.json(await getRewardEvaluation({ db, actor: auth.actor }, evaluationId), { headers: { 'cache-control': 'no-store' } });
  } catch (err) {
    return fromError(err);
  }
}
