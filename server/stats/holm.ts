/**
 * Holm step-down adjusted p-values, equal to statsmodels `multipletests(p, method='holm')[1]`: sort
 * ascending, multiply the i-th smallest (0-based) by m − i, take the running maximum, clip at 1, and
 * return them in the input order.
 */
export function holm(pValues: readonly number[]): number[] {
  for (const p of pValues) {
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new RangeError(`p-values must be in [0, 1] (got ${String(p)})`);
  }
  const m = pValues.length;
  const order = pValues.map((_, i) => i).sort((i, j) => pValues[i]! - pValues[j]!);
  const adjusted = new Array<number>(m);
  let runningMax = 0;
  order.forEach((index, rank) => {
    runningMax = Math.max(runningMax, pValues[index]! * (m - rank));
    adjusted[index] = Math.min(1, runningMax);
  });
  return adjusted;
}
