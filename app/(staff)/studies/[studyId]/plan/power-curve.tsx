'use client';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { armColors } from '../results/charts';

export interface Curve {
  rowId: string;
  label: string;
  points: { n: number; power: number; standardError: number | null }[];
}

/** Power against participants per arm, one line per outcome × comparison, with the target power as a line. */
export function PowerCurveChart({ curves, target, simulated }: { curves: Curve[]; target: number; simulated: boolean }) {
  // Every curve is evaluated on the same n grid, so one row per n holds all lines.
  const byN = new Map<number, Record<string, number>>();
  curves.forEach((curve, i) => {
    for (const p of curve.points) {
      const row = byN.get(p.n) ?? { n: p.n };
      row[`c${i}`] = p.power;
      byN.set(p.n, row);
    }
  });
  const data = [...byN.values()].sort((a, b) => a.n! - b.n!);
  return (
    <figure className="card" style={{ margin: 0 }} aria-label="Power curve: power against participants per arm" data-testid="power-curve">
      <figcaption className="label">
        Power by participants per arm{simulated ? ' (simulated; each point ± its Monte-Carlo standard error, see tooltip)' : ''}
      </figcaption>
      <ResponsiveContainer width="100%" height={320}>
        <LineChart data={data} margin={{ top: 10, right: 20, bottom: 20, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="n" type="number" domain={['dataMin', 'dataMax']} label={{ value: 'participants per arm', position: 'insideBottom', offset: -10 }} />
          <YAxis domain={[0, 1]} ticks={[0, 0.2, 0.4, 0.6, 0.8, 1]} />
          <Tooltip
            labelFormatter={(n) => `n = ${String(n)} per arm`}
            formatter={(value, _name, item) => {
              const index = Number(String(item.dataKey).slice(1));
              const se = curves[index]?.points.find((p) => p.n === item.payload.n)?.standardError;
              const shown = typeof value === 'number' ? value.toFixed(3) : String(value);
              return se ? `${shown} ± ${se.toFixed(3)}` : shown;
            }}
          />
          <Legend verticalAlign="top" />
          <ReferenceLine y={target} stroke="#b42318" strokeDasharray="6 4" label={{ value: `target ${target}`, position: 'insideBottomRight' }} />
          {curves.map((curve, i) => (
            <Line key={curve.rowId} type="monotone" dataKey={`c${i}`} name={curve.label} stroke={armColors[i % armColors.length]} dot={simulated} isAnimationActive={false} connectNulls />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
