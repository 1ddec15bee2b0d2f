'use client';
import { useState } from 'react';
import type { RunAnalysis } from '~/server/benchmarks/analysis';
import { directionArrow, fmt, type MetricLabels } from './format';

/** Every metric per arm: mean with the 95% CI and n (descriptive metrics carry no arrow). */
export function MetricsTable({ arms, metrics, referenceArmKey, metricLabels }: { arms: RunAnalysis['arms']; metrics: RunAnalysis['metrics']; referenceArmKey: string; metricLabels: MetricLabels }) {
  return (
    <details>
      <summary>All metrics</summary>
      <div style={{ overflowX: 'auto' }}>
        <table className="table" aria-label="Results by arm">
          <caption className="small muted" style={{ textAlign: 'left', captionSide: 'bottom', paddingTop: '0.4rem' }}>
            Mean per arm with the 95% confidence interval; n = scored conversations. ↑ higher is better, ↓ lower is better; no arrow = descriptive.
          </caption>
          <thead>
            <tr>
              <th>Arm</th>
              {metrics.map((m) => (
                <th key={m} className="num">
                  {metricLabels[m]?.label ?? m}
                  {directionArrow(metricLabels[m]?.direction)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {arms.map((a) => (
              <tr key={a.armKey}>
                <th scope="row">
                  {a.label}
                  {a.armKey === referenceArmKey && <span className="small muted"> (reference)</span>}
                </th>
                {metrics.map((m) => {
                  const s = a.metrics[m];
                  return (
                    <td key={m} className="num">
                      {fmt(s?.mean)}
                      {s && s.ciLower !== null && s.ciUpper !== null && (
                        <div className="small muted">
                          [{fmt(s.ciLower)}, {fmt(s.ciUpper)}] n={s.n}
                        </div>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

export function PerTaskTable({ perTask, arms, metrics, metricLabels }: { perTask: RunAnalysis['perTask']; arms: RunAnalysis['arms']; metrics: RunAnalysis['metrics']; metricLabels: MetricLabels }) {
  const [taskMetric, setTaskMetric] = useState<string>('quality');
  const shown = metrics.includes(taskMetric as never) ? taskMetric : metrics[0];
  return (
    <details>
      <summary>Per-task breakdown</summary>
      <div className="row" style={{ margin: '0.5rem 0' }}>
        <label htmlFor="task-metric" className="small">
          Metric
        </label>
        <select id="task-metric" value={shown} onChange={(e) => setTaskMetric(e.target.value)}>
          {metrics.map((m) => (
            <option key={m} value={m}>
              {metricLabels[m]?.label ?? m}
            </option>
          ))}
        </select>
      </div>
      <table className="table" aria-label="Per-task breakdown">
        <thead>
          <tr>
            <th>Task</th>
            {arms.map((a) => (
              <th key={a.armKey} className="num">
                {a.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {perTask.map((t) => (
            <tr key={t.taskId}>
              <td className="mono small">{t.taskKey}</td>
              {t.arms.map((a) => {
                const s = a.metrics[shown as keyof typeof a.metrics];
                return (
                  <td key={a.armKey} className="num">
                    {fmt(s?.mean)}
                    {s && s.n > 1 && <span className="small muted"> (n={s.n})</span>}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
