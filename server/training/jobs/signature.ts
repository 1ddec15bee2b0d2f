/**
 * Signatures of the external-trainer webhook, both directions (pure but for the clock passed in).
 *
 * Headers:  X-CollabStudy-Timestamp: <unix seconds>
 *           X-CollabStudy-Nonce:     <unique random string, 16–128 chars of [A-Za-z0-9_-]>
 *           X-CollabStudy-Signature: v1=<hex HMAC-SHA256(secret, "v1:" + timestamp + ":" + nonce + ":" + rawBody)>
 * A receiver accepts a message when the signature matches (constant-time), the timestamp is within
 * ±SIGNATURE_WINDOW_SECONDS of its clock, and it has not seen the nonce before (the callback route stores
 * nonces per job, so a replay inside the window is refused as well as one outside it).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_WINDOW_SECONDS = 300;
export const TIMESTAMP_HEADER = 'x-collabstudy-timestamp';
export const NONCE_HEADER = 'x-collabstudy-nonce';
export const SIGNATURE_HEADER = 'x-collabstudy-signature';

export function signatureFor(secret: string, timestamp: string, nonce: string, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`v1:${timestamp}:${nonce}:${body}`).digest('hex')}`;
}

/** Headers for an outgoing signed request. */
export function signedHeaders(secret: string, body: string, nowMs = Date.now()): Record<string, string> {
  const timestamp = String(Math.floor(nowMs / 1000));
  const nonce = randomBytes(18).toString('base64url');
  return {
    [TIMESTAMP_HEADER]: timestamp,
    [NONCE_HEADER]: nonce,
    [SIGNATURE_HEADER]: signatureFor(secret, timestamp, nonce, body),
  };
}

export type SignatureCheck =
  | { ok: true; nonce: string; timestamp: number }
  | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

export function verifySignature(
  secret: string,
  headers: { get(name: string): string | null },
  body: string,
  nowMs = Date.now(),
): SignatureCheck {
  const timestamp = headers.get(TIMESTAMP_HEADER);
  const nonce = headers.get(NONCE_HEADER);
  const signature = headers.get(SIGNATURE_HEADER);
  if (!timestamp || !nonce || !signature) return { ok: false, reason: 'missing' };
  if (!/^\d{1,12}$/.test(timestamp) || !/^[A-Za-z0-9_-]{16,128}$/.test(nonce) || !/^v1=[0-9a-f]{64}$/.test(signature))
    return { ok: false, reason: 'malformed' };
  const expected = Buffer.from(signatureFor(secret, timestamp, nonce, body));
  const given = Buffer.from(signature);
  // Checked before the clock so a forged message learns nothing about our time window.
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'mismatch' };
  const seconds = Number(timestamp);
  if (Math.abs(nowMs / 1000 - seconds) > SIGNATURE_WINDOW_SECONDS) return { ok: false, reason: 'stale' };
  return { ok: true, nonce, timestamp: seconds };
}

/** https anywhere; http only to this machine (a launcher on localhost in development and tests). */
export function isAllowedTrainerUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}
