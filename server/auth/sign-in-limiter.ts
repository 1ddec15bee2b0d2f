/**
 * Slows password guessing: after `maxFailures` failed sign-ins for one email within `windowMs`,
 * further attempts for that email are refused until the window has passed. In memory, per process:
 * enough for one app server; with several servers each keeps its own count (still a bound).
 * A sliding window of timestamps, rather than a library, because it is a dozen lines with no I/O.
 */
export class SignInLimiter {
  private failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures = 10,
    private readonly windowMs = 15 * 60_000,
    private readonly maxKeys = 10_000,
  ) {}

  private recent(key: string, now: number): number[] {
    const kept = (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (kept.length) this.failures.set(key, kept);
    else this.failures.delete(key);
    return kept;
  }

  isBlocked(key: string, now = Date.now()): boolean {
    return this.recent(key, now).length >= this.maxFailures;
  }

  recordFailure(key: string, now = Date.now()): void {
    const list = this.recent(key, now);
    list.push(now);
    this.failures.set(key, list);
    // Bound memory under a flood of made-up emails: forget the oldest keys first.
    while (this.failures.size > this.maxKeys) {
      const oldest = this.failures.keys().next().value;
      if (oldest === undefined) break;
      this.failures.delete(oldest);
    }
  }

  recordSuccess(key: string): void {
    this.failures.delete(key);
  }
}

export const TOO_MANY_ATTEMPTS = 'TooManyAttempts';
export const signInLimiter = new SignInLimiter();
