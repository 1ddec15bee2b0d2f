import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from './backoff';

describe('backoffDelayMs', () => {
  it('doubles per attempt within [exp/2, exp]', () => {
    const opts = { baseMs: 100, maxMs: 10_000 };
    expect(backoffDelayMs(1, { ...opts, random: () => 0 })).toBe(50);
    expect(backoffDelayMs(1, { ...opts, random: () => 1 })).toBe(100);
    expect(backoffDelayMs(3, { ...opts, random: () => 0 })).toBe(200);
    expect(backoffDelayMs(3, { ...opts, random: () => 1 })).toBe(400);
  });

  it('is capped by maxMs', () => {
    expect(backoffDelayMs(30, { baseMs: 100, maxMs: 5_000, random: () => 1 })).toBe(5_000);
  });
});
