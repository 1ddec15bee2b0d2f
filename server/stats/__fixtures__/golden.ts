import { readFileSync } from 'node:fs';

/** Golden JSON writes NaN/±Infinity as strings; this turns them back into numbers. */
export function loadGolden<T>(url: URL): T {
  return JSON.parse(readFileSync(url, 'utf8'), (_key, value: unknown) => {
    if (value === 'NaN') return Number.NaN;
    if (value === 'Infinity') return Number.POSITIVE_INFINITY;
    if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
    return value;
  }) as T;
}

/** Relative tolerance 1e-9, with an absolute floor of 1e-14 for values that are 0 up to rounding noise. */
export function closeTo(actual: number | null | undefined, expected: number | null | undefined, rel = 1e-9, abs = 1e-14): boolean {
  if (expected === null || expected === undefined || Number.isNaN(expected)) return actual === null || actual === undefined;
  if (actual === null || actual === undefined) return false;
  if (!Number.isFinite(expected)) return actual === expected;
  const diff = Math.abs(actual - expected);
  return diff <= abs || diff <= rel * Math.abs(expected);
}

export function expectClose(actual: number | null | undefined, expected: number | null | undefined, label: string, rel = 1e-9): void {
  if (!closeTo(actual, expected, rel)) {
    throw new Error(`${label}: expected ${String(expected)}, got ${String(actual)}` + (typeof actual === 'number' && typeof expected === 'number' ? ` (rel err ${Math.abs(actual - expected) / Math.abs(expected)})` : ''));
  }
}
