/**
 * The paper's Table 1 for one run (pure): per arm BLEU, #tokens (thousands), interactivity and document
 * quality with 95% CIs, and a "Rel. Improv." row per arm against the reference (paired, bootstrap CI).
 * Rendered as data for the page, as CSV (spreadsheet-safe) and as a LaTeX table (booktabs).
 * Scales follow the paper: BLEU and ITR ×100, tokens in thousands, quality on its 1–10 scale.
 */
import { csvText } from '../../exports/serialize';
import type { Maybe } from '../../stats';
import type { MetricName } from '../metrics';
import type { ArmComparisonResult, Interval } from './paired';

export interface Table1Column {
  metric: MetricName;
  label: string;
  /** Multiplies stored values for display (BLEU, ITR ×100; tokens ÷1000). */
  scale: number;
  digits: number;
  direction: 'higher' | 'lower';
}

export const TABLE1_COLUMNS: Table1Column[] = [
  { metric: 'bleu_char', label: 'BLEU', scale: 100, digits: 1, direction: 'higher' },
  { metric: 'tokens_read', label: '#Tokens (k)', scale: 0.001, digits: 2, direction: 'lower' },
  { metric: 'interactivity', label: 'ITR', scale: 100, digits: 1, direction: 'higher' },
  { metric: 'quality', label: 'Doc. quality', scale: 1, digits: 2, direction: 'higher' },
];

export interface Table1Cell {
  n: number;
  mean: Maybe;
  lower: Maybe;
  upper: Maybe;
}

export interface Table1 {
  columns: Table1Column[];
  referenceArmKey: string;
  referenceLabel: string;
  arms: { armKey: string; label: string; cells: Table1Cell[] }[];
  /** Relative improvement in percent (positive = better), with the bootstrap CI; pairs used per column. */
  relativeImprovement: { armKey: string; label: string; cells: (Interval & { pairs: number })[] }[];
}

type Summary = Partial<Record<MetricName, { n: number; mean: Maybe; ciLower: Maybe; ciUpper: Maybe }>>;

export function buildTable1(input: {
  arms: readonly { armKey: string; label: string; metrics: Summary }[];
  referenceArmKey: string;
  comparisons: readonly ArmComparisonResult[];
}): Table1 {
  const scaled = (x: Maybe, s: number) => (x === null ? null : x * s);
  const label = (k: string) => input.arms.find((a) => a.armKey === k)?.label ?? k;
  return {
    columns: TABLE1_COLUMNS,
    referenceArmKey: input.referenceArmKey,
    referenceLabel: label(input.referenceArmKey),
    arms: input.arms.map((a) => ({
      armKey: a.armKey,
      label: a.label,
      cells: TABLE1_COLUMNS.map((c) => {
        const s = a.metrics[c.metric];
        return { n: s?.n ?? 0, mean: scaled(s?.mean ?? null, c.scale), lower: scaled(s?.ciLower ?? null, c.scale), upper: scaled(s?.ciUpper ?? null, c.scale) };
      }),
    })),
    relativeImprovement: input.comparisons.map((cmp) => ({
      armKey: cmp.armKey,
      label: label(cmp.armKey),
      cells: TABLE1_COLUMNS.map((c) => {
        const m = cmp.metrics.find((x) => x.metric === c.metric);
        const r = m?.relativeImprovement;
        return { estimate: scaled(r?.estimate ?? null, 100), lower: scaled(r?.lower ?? null, 100), upper: scaled(r?.upper ?? null, 100), pairs: m?.pairs ?? 0 };
      }),
    })),
  };
}

function num(x: Maybe, digits: number): string {
  return x === null ? '' : x.toFixed(digits);
}

/** A text cell a spreadsheet will not run as a formula (OWASP CSV injection: a leading = + - @ tab or CR). */
function safeText(value: string): string {
  return csvText(/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
}

/** One row per arm and per Rel. Improv. row; per column the value, the CI bounds and n (pairs for Rel. Improv.). */
export function table1Csv(t: Table1): string {
  const header = ['row', 'arm', ...t.columns.flatMap((c) => [c.label, `${c.label} CI lower`, `${c.label} CI upper`, `${c.label} n`])];
  const lines = [header.map(safeText).join(',')];
  for (const a of t.arms) {
    const cells = a.cells.flatMap((cell) => [num(cell.mean, 6), num(cell.lower, 6), num(cell.upper, 6), String(cell.n)]);
    lines.push([safeText(a.armKey === t.referenceArmKey ? 'arm (reference)' : 'arm'), safeText(a.label), ...cells].join(','));
  }
  for (const r of t.relativeImprovement) {
    const cells = r.cells.flatMap((cell) => [num(cell.estimate, 4), num(cell.lower, 4), num(cell.upper, 4), String(cell.pairs)]);
    lines.push([safeText(`Rel. Improv. (%) vs ${t.referenceLabel}`), safeText(r.label), ...cells].join(','));
  }
  return lines.join('\n') + '\n';
}

const LATEX_SPECIALS: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '&': '\\&',
  '%': '\\%',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
  '{': '\\{',
  '}': '\\}',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
};

/** Escapes LaTeX's special characters in researcher-written text (arm labels). */
export function escapeLatex(text: string): string {
  return text.replace(/[\\&%$#_{}~^]/g, (ch) => LATEX_SPECIALS[ch]!);
}

/** A booktabs table in the paper's layout: mean with the 95% CI below it in brackets, then the Rel. Improv. rows. */
export function table1Latex(t: Table1, opts: { caption?: string } = {}): string {
  const head = t.columns.map((c) => `${escapeLatex(c.label)} ${c.direction === 'higher' ? '$\\uparrow$' : '$\\downarrow$'}`);
  const out: string[] = [
    '% Requires \\usepackage{booktabs} and \\usepackage{makecell}.',
    '\\begin{table}[t]',
    '\\centering',
    `\\begin{tabular}{l${'c'.repeat(t.columns.length)}}`,
    '\\toprule',
    ` & ${head.join(' & ')} \\\\`,
    '\\midrule',
  ];
  for (const a of t.arms) {
    const cells = a.cells.map((cell, i) => {
      const d = t.columns[i]!.digits;
      if (cell.mean === null) return '--';
      const ci = cell.lower !== null && cell.upper !== null ? ` \\\\ {\\scriptsize [${num(cell.lower, d)}, ${num(cell.upper, d)}]}` : '';
      return ci ? `\\makecell{${num(cell.mean, d)}${ci}}` : num(cell.mean, d);
    });
    out.push(`${escapeLatex(a.label)}${a.armKey === t.referenceArmKey ? ' (ref.)' : ''} & ${cells.join(' & ')} \\\\`);
  }
  if (t.relativeImprovement.length > 0) out.push('\\midrule');
  for (const r of t.relativeImprovement) {
    const cells = r.cells.map((cell) => {
      if (cell.estimate === null) return '--';
      const ci = cell.lower !== null && cell.upper !== null ? ` \\\\ {\\scriptsize [${num(cell.lower, 1)}, ${num(cell.upper, 1)}]}` : '';
      const v = `${num(cell.estimate, 2)}\\%`;
      return ci ? `\\makecell{${v}${ci}}` : v;
    });
    const rowLabel = t.relativeImprovement.length > 1 ? `Rel. Improv. (${escapeLatex(r.label)})` : 'Rel. Improv.';
    out.push(`${rowLabel} & ${cells.join(' & ')} \\\\`);
  }
  out.push('\\bottomrule', '\\end{tabular}');
  const caption =
    opts.caption ??
    `Mean per arm with 95\\% CI (t); Rel.\\ Improv.\\ vs ${escapeLatex(t.referenceLabel)} on complete pairs with a 95\\% cluster-bootstrap CI over tasks (positive = better). BLEU and ITR $\\times 100$.`;
  out.push(`\\caption{${caption}}`, '\\end{table}');
  return out.join('\n') + '\n';
}
