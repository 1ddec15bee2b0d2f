/** Formatting of the calibration report's coefficients and intervals. */
import { fmt } from '../results/format';

export const undefinedReasonText: Record<string, string> = {
  too_few: 'not defined: fewer than 2 pairs',
  constant_x: 'not defined: the judge gave everyone the same score',
  constant_y: 'not defined: every participant gave the same rating',
};

export function withCi(estimate: number | null, ci: { lower: number | null; upper: number | null } | null, digits = 2): string {
  if (estimate === null) return '–';
  if (!ci || ci.lower === null || ci.upper === null) return fmt(estimate, digits);
  return `${fmt(estimate, digits)} [${fmt(ci.lower, digits)}, ${fmt(ci.upper, digits)}]`;
}

export function signed(x: number | null, digits = 2): string {
  if (x === null) return '–';
  return `${x > 0 ? '+' : ''}${fmt(x, digits)}`;
}

export function signedWithCi(e: { estimate: number | null; lower: number | null; upper: number | null }): string {
  if (e.estimate === null) return '–';
  if (e.lower === null || e.upper === null) return signed(e.estimate);
  return `${signed(e.estimate)} [${signed(e.lower)}, ${signed(e.upper)}]`;
}
