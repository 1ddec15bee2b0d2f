import { describe as suite, expect, it } from 'vitest';
import { describe } from '../stats';
import { boundDescription, SMALL_SAMPLE_N } from './bounded';

suite('boundDescription', () => {
  it('clips a rating interval that the t-distribution stretches past the 1–10 scale, and says so', () => {
    const raw = describe([1, 1, 10]);
    expect(raw.ciLower!).toBeLessThan(1);
    expect(raw.ciUpper!).toBeGreaterThan(10);
    const bounded = boundDescription(raw, [1, 10]);
    expect(bounded).toMatchObject({ ciLower: 1, ciUpper: 10, ciClipped: true, smallSample: true, mean: raw.mean });
  });

  it('keeps times and tokens non-negative and leaves intervals inside the bounds alone', () => {
    const times = boundDescription(describe([0, 0, 0.5, 30]), [0, Number.POSITIVE_INFINITY]);
    expect(times.ciLower).toBe(0);
    expect(times.ciClipped).toBe(true);
    const values = Array.from({ length: SMALL_SAMPLE_N }, (_, i) => 5 + (i % 3));
    const inside = boundDescription(describe(values), [1, 10]);
    expect(inside).toMatchObject({ ciClipped: false, smallSample: false });
    expect(inside.ciLower).toBe(describe(values).ciLower);
  });

  it('marks samples without an interval as too small', () => {
    expect(boundDescription(describe([]), [1, 10])).toMatchObject({ n: 0, ciLower: null, ciClipped: false, smallSample: true });
    expect(boundDescription(describe([4]), [1, 10])).toMatchObject({ n: 1, ciClipped: false, smallSample: true });
  });
});
