import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { isAllowedTrainerUrl, signatureFor, signedHeaders, verifySignature } from './signature';

const SECRET = 'a-secret-of-at-least-thirty-two-characters';
const headersOf = (record: Record<string, string>) => new Headers(record);

describe('webhook signatures', () => {
  it('is HMAC-SHA256 over "v1:timestamp:nonce:body", hex, as documented', () => {
    const expected = createHmac('sha256', SECRET).update('v1:1700000000:abcdefghijklmnop:{"a":1}').digest('hex');
    expect(signatureFor(SECRET, '1700000000', 'abcdefghijklmnop', '{"a":1}')).toBe(`v1=${expected}`);
  });

  it('accepts its own headers within the window and rejects changed bodies, other secrets and stale times', () => {
    const now = 1_700_000_000_000;
    const body = '{"event":"progress"}';
    const headers = headersOf(signedHeaders(SECRET, body, now));
    expect(verifySignature(SECRET, headers, body, now + 299_000)).toMatchObject({ ok: true });
    expect(verifySignature(SECRET, headers, `${body} `, now)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature(`${SECRET}x`, headers, body, now)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature(SECRET, headers, body, now + 301_000)).toEqual({ ok: false, reason: 'stale' });
    expect(verifySignature(SECRET, headers, body, now - 301_000)).toEqual({ ok: false, reason: 'stale' });
    expect(verifySignature(SECRET, headersOf({}), body, now)).toEqual({ ok: false, reason: 'missing' });
  });

  it('allows https anywhere and http only on this machine', () => {
    expect(isAllowedTrainerUrl('https://launcher.example.com/hook')).toBe(true);
    expect(isAllowedTrainerUrl('http://localhost:8000/hook')).toBe(true);
    expect(isAllowedTrainerUrl('http://127.0.0.1:8000/hook')).toBe(true);
    expect(isAllowedTrainerUrl('http://launcher.example.com/hook')).toBe(false);
    expect(isAllowedTrainerUrl('file:///etc/passwd')).toBe(false);
    expect(isAllowedTrainerUrl('javascript:alert(1)')).toBe(false);
    expect(isAllowedTrainerUrl('not a url')).toBe(false);
  });
});
