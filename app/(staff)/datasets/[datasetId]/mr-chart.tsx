'use client';
/** Histogram of the kept (chosen) and rejected replies' MR, on shared bins, so the gap is visible at a glance. */
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

const BINS = 12;

export function histogram(chosen: number[], rejected: number[]) {
  const all = [...chosen, ...rejected];
  if (all.length === 0) return [];
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (hi - lo < 1e-9) {
    lo -= 0.05;
    hi += 0.05;
  }
  const width = (hi - lo) / BINS;
  const rows = Array.from({ length: BINS }, (_, i) => ({ bin: (lo + (i + 0.5) * width).toFixed(3), chosen: 0, rejected: 0 }));
  const put = (v: number, key: 'chosen' | 'rejected') => {
    rows[Math.min(BINS - 1, Math.floor((v - lo) / width))]![key]++;
  };
  chosen.forEach((v) => put(v, 'chosen'));
  rejected.forEach((v) => put(v, 'rejected'));
  return rows;
}

export function MrChart({ chosen, rejected }: { chosen: number[]; rejected: number[] }) {
  const data = histogram(chosen, rejected);
  if (data.length === 0) return <div className="empty">No scored turns yet.</div>;
  const mean = (xs: number[]) => (xs.length ? (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(3) : '–');
  return (
    <figure style={{ margin: 0 }} aria-label="MR distribution of chosen and rejected replies">
      <div style={{ width: '100%', height: 260 }}>
        <ResponsiveContainer>
          <BarChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="bin" label={{ value: 'MR', position: 'insideBottom', offset: -4 }} />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Legend />
            <Bar dataKey="chosen" name={`Chosen (n=${chosen.length}, mean ${mean(chosen)})`} fill="var(--ok, #2a7)" />
            <Bar dataKey="rejected" name={`Rejected (n=${rejected.length}, mean ${mean(rejected)})`} fill="var(--danger, #c33)" />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="small muted">Chosen: the reply kept at each turn. Rejected: the lowest-MR reply of turns whose gap reaches the minimum.</figcaption>
    </figure>
  );
}
