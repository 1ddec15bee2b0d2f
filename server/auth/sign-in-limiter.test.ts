import { describe, expect, it } from 'vitest';
import { SignInLimiter } from './sign-in-limiter';

describe('SignInLimiter', () => {
  it('blocks an email after the maximum failures within the window, and frees it afterwards', () => {
    const limiter = new SignInLimiter(3, 1000);
    for (const t of [0, 100, 200]) {
      expect(limiter.isBlocked('a@x', t)).toBe(false);
      limiter.recordFailure('a@x', t);
    }
    expect(limiter.isBlocked('a@x', 300)).toBe(true);
    expect(limiter.isBlocked('b@x', 300)).toBe(false);
    // The first failure leaves the window at t=1000.
    expect(limiter.isBlocked('a@x', 1000)).toBe(false);
  });

  it('forgets failures after a successful sign-in', () => {
    const limiter = new SignInLimiter(2, 1000);
    limiter.recordFailure('a@x', 0);
    limiter.recordSuccess('a@x');
    limiter.recordFailure('a@x', 10);
    expect(limiter.isBlocked('a@x', 20)).toBe(false);
  });

  it('keeps a bounded number of emails', () => {
    const limiter = new SignInLimiter(1, 10_000, 2);
    limiter.recordFailure('first', 0);
    limiter.recordFailure('second', 1);
    limiter.recordFailure('third', 2);
    expect(limiter.isBlocked('first', 3)).toBe(false);
    expect(limiter.isBlocked('third', 3)).toBe(true);
  });
});
