/**
 * The one source of randomness for arm assignment: a uniform number in [0, 1) derived from
 * SHA-256, so any recorded draw can be recomputed later (by this code, or by a three-line Python
 * script with hashlib) from the values stored with the assignment.
 *
 * Hand-written on purpose: a seeded PRNG library would tie replay to that library's internals and
 * version, while "first 53 bits of sha256(JSON array) / 2^53" is a definition anyone can re-implement.
 */
import { createHash } from 'node:crypto';

const TWO_POW_53 = 2 ** 53;

/**
 * sha256 of the JSON encoding of `parts` (a JSON array is unambiguous even when a seed contains
 * separators), first 8 bytes read big-endian, top 53 bits divided by 2^53. Every value in [0, 1)
 * with 53-bit resolution is exactly representable as a double, so the stored draw is exact.
 */
export function uniformFromHash(parts: readonly (string | number)[]): number {
  const digest = createHash('sha256').update(JSON.stringify(parts), 'utf8').digest();
  const top64 = digest.readBigUInt64BE(0);
  return Number(top64 >> 11n) / TWO_POW_53;
}
