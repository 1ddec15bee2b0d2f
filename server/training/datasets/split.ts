/**
 * Seeded train/eval split (pure). Exactly round(n · evalRatio) conversations go to eval (at least one when
 * the ratio is positive and there are two or more): those with the smallest sha256(splitSeed:idx). The same
 * seed and size always give the same split, and changing the seed reshuffles it.
 */
import { createHash } from 'node:crypto';

export function evalCount(n: number, evalRatio: number): number {
  if (n <= 1 || evalRatio <= 0) return 0;
  return Math.min(n - 1, Math.max(1, Math.round(n * evalRatio)));
}

export function splitAssignment(n: number, evalRatio: number, splitSeed: string): ('train' | 'eval')[] {
  const k = evalCount(n, evalRatio);
  const ranked = Array.from({ length: n }, (_, idx) => ({ idx, h: createHash('sha256').update(`${splitSeed}:${idx}`).digest('hex') }))
    .sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : a.idx - b.idx));
  const out: ('train' | 'eval')[] = Array.from({ length: n }, () => 'train');
  for (const { idx } of ranked.slice(0, k)) out[idx] = 'eval';
  return out;
}
