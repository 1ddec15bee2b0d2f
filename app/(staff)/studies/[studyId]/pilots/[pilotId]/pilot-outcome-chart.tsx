'use client';
import { Bar, BarChart, CartesianGrid, ErrorBar, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { armColors } from '../../results/charts';

interface Desc {
  mean: number | null;
  ciLower: number | null;
  ciUpper: number | null;
}

const errorOf = (d: Desc): [number, number] | null =>
  d.mean === null || d.ciLower === null || d.ciUpper === null ? null : [d.mean - d.ciLower, d.ciUpper - d.mean];

/** The simulated participants' 1–10 answers per arm (mean, 95% CI): what a reader looks at first. */
export function PilotOutcomeChart({ arms }: { arms: { key: string; label: string; outcomes: Record<'documentQuality' | 'overallInteraction' | 'meanRating', Desc> }[] }) {
  const data = arms.map((a) => ({
    arm: a.label,
    quality: a.outcomes.documentQuality.mean,
    quality_err: errorOf(a.outcomes.documentQuality),
    interaction: a.outcomes.overallInteraction.mean,
    interaction_err: errorOf(a.outcomes.overallInteraction),
    rating: a.outcomes.meanRating.mean,
    rating_err: errorOf(a.outcomes.meanRating),
  }));
  return (
    <figure style={{ margin: 0 }} aria-label="Simulated ratings per arm">
      <ResponsiveContainer width="100%" height={240}>
        <BarChart data={data} margin={{ top: 10, right: 20, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="arm" />
          <YAxis domain={[0, 10]} />
          <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(2) : String(v))} />
          <Legend verticalAlign="top" />
          <Bar dataKey="quality" name="Document quality" fill={armColors[0]} isAnimationActive={false}>
            <ErrorBar dataKey="quality_err" width={4} stroke="#1d1d1b" />
          </Bar>
          <Bar dataKey="interaction" name="Overall interaction" fill={armColors[1]} isAnimationActive={false}>
            <ErrorBar dataKey="interaction_err" width={4} stroke="#1d1d1b" />
          </Bar>
          <Bar dataKey="rating" name="In-chat rating" fill={armColors[2]} isAnimationActive={false}>
            <ErrorBar dataKey="rating_err" width={4} stroke="#1d1d1b" />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
