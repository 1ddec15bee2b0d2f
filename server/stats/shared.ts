/** Statistics are undefined for some inputs (n < 2, zero variance); those come back as null, never NaN. */
export type Maybe = number | null;

export function finiteOrNull(x: number): Maybe {
  return Number.isNaN(x) ? null : x;
}

export function assertSample(xs: readonly number[], name: string): void {
  if (!Array.isArray(xs)) throw new TypeError(`${name} must be an array of numbers`);
  for (const x of xs) {
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new TypeError(`${name} must contain only finite numbers (got ${String(x)})`);
    }
  }
}

/** Arithmetic mean with plain left-to-right summation (NumPy's pairwise sum differs only in the last bits). */
export function mean(xs: readonly number[]): number {
  let sum = 0;
  for (const x of xs) sum += x;
  return sum / xs.length;
}

/** Sample variance with `ddof` (two-pass, as NumPy computes it). NaN when n - ddof <= 0. */
export function variance(xs: readonly number[], ddof = 1): number {
  const n = xs.length;
  if (n - ddof <= 0) return NaN;
  const m = mean(xs);
  let ss = 0;
  for (const x of xs) {
    const d = x - m;
    ss += d * d;
  }
  return ss / (n - ddof);
}

/**
 * Ranks with ties given their average rank (SciPy `rankdata(method='average')`), plus the tie term
 * Σ(t³ − t) over groups of tied values used by the Mann–Whitney variance correction.
 */
export function averageRanks(values: readonly number[]): { ranks: number[]; tieTerm: number } {
  const order = values.map((_, i) => i).sort((i, j) => values[i]! - values[j]!);
  const ranks = new Array<number>(values.length);
  let tieTerm = 0;
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (end + 1 < order.length && values[order[end + 1]!] === values[order[start]!]) end++;
    const averageRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k]!] = averageRank;
    const t = end - start + 1;
    tieTerm += t * t * t - t;
    start = end + 1;
  }
  return { ranks, tieTerm };
}
