/**
 * Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff and Jitter"):
 * spreads retries of many jobs that failed together (a 429 burst) instead of re-synchronising them.
 * `random` is injectable so tests are deterministic.
 */
export function backoffDelayMs(
  attempt: number,
  opts: { baseMs: number; maxMs: number; random?: () => number },
): number {
  const exp = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.max(0, attempt - 1));
  const r = (opts.random ?? Math.random)();
  // Keep at least half of the exponential step so retries still back off under unlucky draws.
  return Math.round(exp / 2 + (exp / 2) * r);
}
