'use client';
import { useState } from 'react';
import { CartesianGrid, ErrorBar, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { RunAnalysis } from '~/server/benchmarks/analysis';
import { armColors } from '../../studies/[studyId]/results/charts';
import type { Arm, MetricLabels } from './format';

/** Deterministic horizontal spread of the points of one arm (golden-ratio sequence), so repeated loads look the same. */
function jitter(i: number): number {
  return (((i * 0.618034) % 1) - 0.5) * 0.5;
}

/**
 * Per-arm distribution of one metric: every scored conversation as a dot (a strip plot) and the arm's
 * mean with its 95% CI as a bar-capped marker.
 */
export function ArmCharts({
  arms,
  metrics,
  summaries,
  distributions,
  metricLabels,
}: {
  arms: Arm[];
  metrics: RunAnalysis['metrics'];
  summaries: RunAnalysis['arms'];
  distributions: RunAnalysis['distributions'];
  metricLabels: MetricLabels;
}) {
  const [metric, setMetric] = useState<string>(metrics.includes('quality' as never) ? 'quality' : metrics[0]!);
  const shown = metrics.includes(metric as never) ? metric : metrics[0]!;
  const label = metricLabels[shown]?.label ?? shown;
  const points = arms.map((arm, a) => ({
    arm,
    dots: (distributions.find((d) => d.armKey === arm.key && d.metric === shown)?.values ?? []).map((y, i) => ({ x: a + jitter(i), y })),
  }));
  const means = arms.flatMap((arm, a) => {
    const s = summaries.find((x) => x.armKey === arm.key)?.metrics[shown as keyof RunAnalysis['arms'][number]['metrics']];
    if (!s || s.mean === null) return [];
    const err = s.ciLower !== null && s.ciUpper !== null ? [s.mean - s.ciLower, s.ciUpper - s.mean] : [0, 0];
    return [{ x: a, y: s.mean, err, n: s.n, arm: arm.label }];
  });
  return (
    <figure className="card" style={{ margin: 0 }} aria-label={`${label}: distribution per arm`} data-testid="arm-chart">
      <div className="row">
        <figcaption className="label">{label}: every conversation (dots) and the mean with its 95% CI</figcaption>
        <span className="spacer" />
        <label htmlFor="chart-metric" className="small">
          Metric
        </label>
        <select id="chart-metric" value={shown} onChange={(e) => setMetric(e.target.value)}>
          {metrics.map((m) => (
            <option key={m} value={m}>
              {metricLabels[m]?.label ?? m}
            </option>
          ))}
        </select>
      </div>
      <ResponsiveContainer width="100%" height={280}>
        <ScatterChart margin={{ top: 10, right: 20, bottom: 10, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            type="number"
            dataKey="x"
            domain={[-0.6, arms.length - 0.4]}
            ticks={arms.map((_, i) => i)}
            tickFormatter={(v: number) => arms[Math.round(v)]?.label ?? ''}
            allowDecimals={false}
          />
          <YAxis type="number" dataKey="y" />
          <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(3) : String(v))} />
          {points.map((p, i) => (
            <Scatter key={p.arm.key} name={p.arm.label} data={p.dots} fill={armColors[i % armColors.length]} fillOpacity={0.35} isAnimationActive={false} />
          ))}
          <Scatter name="Mean (95% CI)" data={means} fill="#1d1d1b" shape="diamond" isAnimationActive={false}>
            <ErrorBar dataKey="err" direction="y" width={10} stroke="#1d1d1b" />
          </Scatter>
        </ScatterChart>
      </ResponsiveContainer>
    </figure>
  );
}
