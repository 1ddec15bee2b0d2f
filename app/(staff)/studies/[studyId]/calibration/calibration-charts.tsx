'use client';
import { CartesianGrid, ErrorBar, Legend, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import { armColors } from '../results/charts';

type Arm = { key: string; label: string };

/**
 * Deterministic jitter (golden-ratio sequence, as the benchmark strip plots) so the many identical rating
 * pairs of a 1–10 scale show as a cloud instead of one dot; ±0.015 on the 0–1 scale, under a sixth of a step.
 */
function jitter(i: number, salt: number): number {
  return ((((i + salt) * 0.618034) % 1) - 0.5) * 0.03;
}

/** Judge score vs the participant's own rating, both on the common 0–1 scale; the diagonal is perfect agreement. */
export function AgreementScatter({ title, xLabel, yLabel, arms, points }: { title: string; xLabel: string; yLabel: string; arms: Arm[]; points: [number, number, number][] }) {
  const series = arms.map((arm, a) => ({
    arm,
    data: points.flatMap(([armIndex, person, judge], i) => (armIndex === a ? [{ x: person + jitter(i, 0), y: judge + jitter(i, 7), person, judge }] : [])),
  }));
  return (
    <figure className="card" style={{ margin: 0, padding: '0.75rem' }} aria-label={`Scatter plot: ${title}`} data-testid="agreement-scatter">
      <figcaption className="label small">{title}</figcaption>
      <ResponsiveContainer width="100%" height={260}>
        <ScatterChart margin={{ top: 10, right: 10, bottom: 24, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis type="number" dataKey="x" domain={[-0.05, 1.05]} ticks={[0, 0.25, 0.5, 0.75, 1]} name={xLabel} label={{ value: xLabel, position: 'insideBottom', offset: -14, fontSize: 11 }} />
          <YAxis type="number" dataKey="y" domain={[-0.05, 1.05]} ticks={[0, 0.25, 0.5, 0.75, 1]} name={yLabel} width={40} />
          <ReferenceLine segment={[{ x: 0, y: 0 }, { x: 1, y: 1 }]} stroke="#6b6a65" strokeDasharray="4 4" ifOverflow="extendDomain" />
          <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(2) : String(v))} />
          <Legend verticalAlign="top" height={24} />
          {series.map((s, i) => (
            <Scatter key={s.arm.key} name={s.arm.label} data={s.data} fill={armColors[i % armColors.length]} fillOpacity={0.55} isAnimationActive={false} />
          ))}
        </ScatterChart>
      </ResponsiveContainer>
    </figure>
  );
}

export interface ForestRow {
  label: string;
  people: { estimate: number | null; lower: number | null; upper: number | null };
  simulation: { estimate: number | null; lower: number | null; upper: number | null };
}

function forestPoint(row: number, offset: number, e: ForestRow['people'], label: string) {
  if (e.estimate === null) return [];
  const err = e.lower !== null && e.upper !== null ? [e.estimate - e.lower, e.upper - e.estimate] : [0, 0];
  return [{ x: e.estimate, y: row + offset, err, arm: label }];
}

/** An axis that includes 0 and every interval, on round steps (0.05, 0.1, 0.25 or 0.5 of the scale). */
function niceAxis(values: number[]): { domain: [number, number]; ticks: number[] } {
  const lo = Math.min(0, ...values);
  const hi = Math.max(0, ...values);
  const step = [0.05, 0.1, 0.25, 0.5].find((s) => (hi - lo) / s <= 8) ?? 1;
  const start = Math.floor(lo / step - 1e-9) * step;
  const end = Math.ceil(hi / step + 1e-9) * step;
  const ticks = Array.from({ length: Math.round((end - start) / step) + 1 }, (_, i) => Math.round((start + i * step) * 1000) / 1000);
  return { domain: [start, end], ticks };
}

/** Forest plot: per arm, the people's effect and the simulation's effect vs the reference arm, 95% CIs, common scale. */
export function EffectsForest({ title, rows }: { title: string; rows: ForestRow[] }) {
  const people = rows.flatMap((r, i) => forestPoint(i, -0.15, r.people, r.label));
  const simulation = rows.flatMap((r, i) => forestPoint(i, 0.15, r.simulation, r.label));
  const { domain, ticks } = niceAxis([...people, ...simulation].flatMap((p) => [p.x - p.err[0]!, p.x + p.err[1]!]));
  return (
    <figure className="card" style={{ margin: 0, padding: '0.75rem' }} aria-label={`Forest plot: ${title}`} data-testid="effects-forest">
      <figcaption className="label small">{title}: effect vs the reference arm (difference on the 0–1 scale, 95% CI)</figcaption>
      <ResponsiveContainer width="100%" height={Math.max(140, 70 + rows.length * 60)}>
        <ScatterChart margin={{ top: 10, right: 20, bottom: 10, left: 10 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis type="number" dataKey="x" domain={domain} ticks={ticks} tickFormatter={(v: number) => v.toFixed(2)} />
          <YAxis
            type="number"
            dataKey="y"
            domain={[-0.6, rows.length - 0.4]}
            ticks={rows.map((_, i) => i)}
            tickFormatter={(v: number) => rows[Math.round(v)]?.label ?? ''}
            reversed
            width={110}
          />
          <ReferenceLine x={0} stroke="#1d1d1b" />
          <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(3) : String(v))} />
          <Legend verticalAlign="top" height={24} />
          <Scatter name="People (study)" data={people} fill={armColors[0]} isAnimationActive={false}>
            <ErrorBar dataKey="err" direction="x" width={6} stroke={armColors[0]} />
          </Scatter>
          <Scatter name="Simulation (benchmark)" data={simulation} fill={armColors[1]} shape="diamond" isAnimationActive={false}>
            <ErrorBar dataKey="err" direction="x" width={6} stroke={armColors[1]} />
          </Scatter>
        </ScatterChart>
      </ResponsiveContainer>
    </figure>
  );
}
