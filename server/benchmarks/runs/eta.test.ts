import { describe, expect, it } from 'vitest';
import { estimateEta } from './eta';

const now = new Date('2026-01-01T12:00:00Z');
const ago = (s: number) => new Date(now.getTime() - s * 1000);

describe('estimateEta', () => {
  it('has no estimate before two items finished', () => {
    expect(estimateEta({ finishedAt: [], remaining: 10, now })).toEqual({ perMinute: null, etaSeconds: null });
    expect(estimateEta({ finishedAt: [ago(5)], remaining: 10, now })).toEqual({ perMinute: null, etaSeconds: null });
  });

  it('divides the remaining items by the recent rate', () => {
    // 7 finishes spread over the last 60 s: 6 intervals per minute.
    const finishedAt = [60, 50, 40, 30, 20, 10, 0].map(ago);
    const eta = estimateEta({ finishedAt, remaining: 12, now });
    expect(eta.perMinute).toBeCloseTo(6, 10);
    expect(eta.etaSeconds).toBe(120);
  });

  it('ignores finishes older than the window', () => {
    const finishedAt = [3600, 3590, 30, 0].map(ago);
    const eta = estimateEta({ finishedAt, remaining: 2, now, windowMs: 60_000 });
    expect(eta.perMinute).toBeCloseTo(2, 10);
    expect(eta.etaSeconds).toBe(60);
  });

  it('is zero when nothing remains', () => {
    expect(estimateEta({ finishedAt: [ago(2), ago(1)], remaining: 0, now }).etaSeconds).toBe(0);
  });
});
