import { describe, expect, it } from 'vitest';
import { evalCount, splitAssignment } from './split';

describe('seeded train/eval split', () => {
  it('puts exactly round(n · ratio) conversations in eval, at least one, never all', () => {
    expect(evalCount(10, 0.1)).toBe(1);
    expect(evalCount(25, 0.1)).toBe(3);
    expect(evalCount(3, 0.1)).toBe(1);
    expect(evalCount(2, 0.9)).toBe(1);
    expect(evalCount(1, 0.5)).toBe(0);
    expect(evalCount(10, 0)).toBe(0);
    expect(splitAssignment(25, 0.1, 's').filter((s) => s === 'eval')).toHaveLength(3);
  });
  it('is the same for the same seed and changes with the seed', () => {
    expect(splitAssignment(50, 0.2, 'a')).toEqual(splitAssignment(50, 0.2, 'a'));
    expect(splitAssignment(50, 0.2, 'a')).not.toEqual(splitAssignment(50, 0.2, 'b'));
  });
});
