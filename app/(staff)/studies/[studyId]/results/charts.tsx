'use client';
import { Bar, BarChart, CartesianGrid, ErrorBar, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export const armColors = ['#2f5bd3', '#d9822b', '#1a7f37', '#a23cc2', '#b42318', '#0b7285', '#6b6a65'];

interface Desc {
  n: number;
  mean: number | null;
  ciLower: number | null;
  ciUpper: number | null;
}

function errorOf(d: Desc | undefined): [number, number] | null {
  if (!d || d.mean === null || d.ciLower === null || d.ciUpper === null) return null;
  return [d.mean - d.ciLower, d.ciUpper - d.mean];
}

/** Mean periodic rating after each rating checkpoint, per arm, with 95% CIs (the paper's Fig. 7d). */
export function RatingByTurnChart({ arms, points }: { arms: { key: string; label: string }[]; points: { afterTurn: number; arms: Record<string, Desc> }[] }) {
  const data = points.map((p) => {
    const row: Record<string, unknown> = { turn: p.afterTurn };
    for (const arm of arms) {
      const d = p.arms[arm.key];
      row[arm.key] = d?.mean ?? null;
      row[`${arm.key}_err`] = errorOf(d);
      row[`${arm.key}_n`] = d?.n ?? 0;
    }
    return row;
  });
  return (
    <figure className="card" style={{ margin: 0 }} aria-label="Periodic rating by turn per arm">
      <figcaption className="label">Periodic rating by turn (mean, 95% CI)</figcaption>
      <ResponsiveContainer width="100%" height={280}>
        <LineChart data={data} margin={{ top: 10, right: 20, bottom: 10, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="turn" label={{ value: 'after turn', position: 'insideBottom', offset: -5 }} />
          <YAxis domain={[1, 10]} ticks={[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]} />
          <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(2) : String(v))} />
          <Legend verticalAlign="top" />
          {arms.map((arm, i) => (
            <Line key={arm.key} type="monotone" dataKey={arm.key} name={arm.label} stroke={armColors[i % armColors.length]} connectNulls isAnimationActive={false}>
              <ErrorBar dataKey={`${arm.key}_err`} width={4} stroke={armColors[i % armColors.length]} />
            </Line>
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** Share of each arm's participants at each scale point (so arms of different size compare). */
export function DistributionChart({ title, arms, distribution }: { title: string; arms: { key: string; label: string }[]; distribution: { value: number; counts: Record<string, number> }[] }) {
  const totals = Object.fromEntries(arms.map((a) => [a.key, distribution.reduce((s, d) => s + (d.counts[a.key] ?? 0), 0)]));
  const data = distribution.map((d) => {
    const row: Record<string, number> = { value: d.value };
    for (const a of arms) row[a.key] = totals[a.key] ? (100 * (d.counts[a.key] ?? 0)) / totals[a.key]! : 0;
    return row;
  });
  return (
    <figure className="card" style={{ margin: 0 }} aria-label={`${title} distribution per arm`}>
      <figcaption className="label">{title}: distribution per arm (% of the arm)</figcaption>
      <ResponsiveContainer width="100%" height={240}>
        <BarChart data={data} margin={{ top: 10, right: 20, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="value" />
          <YAxis unit="%" />
          <Tooltip formatter={(v) => (typeof v === 'number' ? `${v.toFixed(1)}%` : String(v))} />
          <Legend verticalAlign="top" />
          {arms.map((a, i) => (
            <Bar key={a.key} dataKey={a.key} name={a.label} fill={armColors[i % armColors.length]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** Mean time per arm with 95% CIs: total and the participant's own time (net of model waiting). */
export function TimeChart({ arms, total, active }: { arms: { key: string; label: string }[]; total: Record<string, Desc>; active: Record<string, Desc> }) {
  const data = arms.map((a) => ({
    arm: a.label,
    total: total[a.key]?.mean ?? null,
    total_err: errorOf(total[a.key]),
    active: active[a.key]?.mean ?? null,
    active_err: errorOf(active[a.key]),
  }));
  return (
    <figure className="card" style={{ margin: 0 }} aria-label="Time per arm">
      <figcaption className="label">Time per arm (minutes, mean, 95% CI)</figcaption>
      <ResponsiveContainer width="100%" height={240}>
        <BarChart data={data} margin={{ top: 10, right: 20, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="arm" />
          {/* The domain follows the data below zero too (recharts starts number axes at 0 unless told otherwise). */}
          <YAxis unit=" min" domain={[(min: number) => Math.min(0, Math.floor(min)), 'auto']} allowDataOverflow={false} />
          <Tooltip formatter={(v) => (typeof v === 'number' ? `${v.toFixed(1)} min` : String(v))} />
          <Legend verticalAlign="top" />
          <Bar dataKey="total" name="Total" fill={armColors[0]} isAnimationActive={false}>
            <ErrorBar dataKey="total_err" width={4} stroke="#1d1d1b" />
          </Bar>
          <Bar dataKey="active" name="Own time (net of model waiting)" fill={armColors[1]} isAnimationActive={false}>
            <ErrorBar dataKey="active_err" width={4} stroke="#1d1d1b" />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
