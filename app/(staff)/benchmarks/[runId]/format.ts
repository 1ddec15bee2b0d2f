/** Small formatting helpers shared by the run page's components. */
export type MetricLabels = Record<string, { label: string; direction: 'higher' | 'lower' | 'none' }>;
export interface Arm {
  key: string;
  label: string;
}

export const LIVE = new Set(['queued', 'running']);

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min ${seconds % 60}s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function fmt(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(digits);
}

export function fmtP(p: number | null | undefined): string {
  if (p === null || p === undefined) return '—';
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}

/** Arrow for the column header: ↑ / ↓ where there is a better direction, nothing for descriptive metrics. */
export function directionArrow(direction: 'higher' | 'lower' | 'none' | undefined): string {
  return direction === 'higher' ? ' ↑' : direction === 'lower' ? ' ↓' : '';
}

/** Green/red for an improvement already oriented as positive = better; no colour for descriptive metrics. */
export function improvementColor(value: number | null, direction: 'higher' | 'lower' | 'none' | undefined): string | undefined {
  if (value === null || direction === 'none' || direction === undefined) return undefined;
  return value >= 0 ? 'var(--ok)' : 'var(--danger)';
}
