'use client';
import type { RunAnalysis } from '~/server/benchmarks/analysis';
import { directionArrow, fmt, fmtP, improvementColor, type MetricLabels } from './format';

/** Each arm against the reference on complete pairs: differences with both CIs, p-values, Holm, relative improvement. */
export function PairedTable({
  comparisons,
  referenceLabel,
  label,
  metricLabels,
  bootstrap,
}: {
  comparisons: RunAnalysis['comparisons'];
  referenceLabel: string;
  label: (key: string) => string;
  metricLabels: MetricLabels;
  bootstrap: RunAnalysis['bootstrap'];
}) {
  if (comparisons.length === 0) return null;
  return (
    <div className="stack">
      <h3 style={{ margin: 0 }}>Paired comparisons against {referenceLabel}</h3>
      <p className="small muted" style={{ margin: 0 }}>
        Pairs are the same task, replicate and seed in both arms; only pairs where both conversations finished and were scored count (dropped pairs are
        listed). Difference = arm − reference with a t-based 95% CI and a cluster-bootstrap 95% CI ({bootstrap.resamples} resamples of tasks, seed{' '}
        {bootstrap.seed}). p-values: paired t-test and Wilcoxon signed-rank (SciPy defaults), Holm-adjusted across this arm&apos;s outcomes that have a
        direction; clarifying questions and document length are descriptive.
      </p>
      {comparisons.map((c) => (
        <div key={c.armKey} style={{ overflowX: 'auto' }}>
          <table className="table" aria-label={`Paired comparison ${label(c.armKey)}`} data-testid="paired-table">
            <caption className="small" style={{ textAlign: 'left', captionSide: 'top' }}>
              <strong>{label(c.armKey)}</strong> vs {referenceLabel}
            </caption>
            <thead>
              <tr>
                <th>Metric</th>
                <th className="num">Pairs (dropped)</th>
                <th className="num">Difference</th>
                <th className="num">95% CI (t)</th>
                <th className="num">95% CI (bootstrap)</th>
                <th className="num">p (t) · Holm</th>
                <th className="num">p (Wilcoxon) · Holm</th>
                <th className="num">Rel. improv. [95% CI]</th>
              </tr>
            </thead>
            <tbody>
              {c.metrics.map((m) => (
                <tr key={m.metric}>
                  <th scope="row" className="small">
                    {metricLabels[m.metric]?.label ?? m.metric}
                    {directionArrow(m.direction)}
                    {m.direction === 'none' && <span className="muted"> (descriptive)</span>}
                  </th>
                  <td className="num">
                    {m.pairs} ({m.droppedPairs})
                  </td>
                  <td className="num">{fmt(m.meanDifference, 3)}</td>
                  <td className="num small">{m.tCi.lower === null ? '—' : `[${fmt(m.tCi.lower, 3)}, ${fmt(m.tCi.upper, 3)}]`}</td>
                  <td className="num small">{m.bootstrapCi.lower === null ? '—' : `[${fmt(m.bootstrapCi.lower, 3)}, ${fmt(m.bootstrapCi.upper, 3)}]`}</td>
                  <td className="num small">
                    {fmtP(m.tP)}
                    {m.tPHolm !== null && ` · ${fmtP(m.tPHolm)}`}
                  </td>
                  <td className="num small">
                    {fmtP(m.wilcoxonP)}
                    {m.wilcoxonPHolm !== null && ` · ${fmtP(m.wilcoxonPHolm)}`}
                    {m.wilcoxonMethod && <span className="muted"> ({m.wilcoxonMethod})</span>}
                  </td>
                  <td className="num small" style={{ color: improvementColor(m.relativeImprovement.estimate, m.direction) }}>
                    {m.relativeImprovement.estimate === null ? '—' : `${(m.relativeImprovement.estimate * 100).toFixed(1)}%`}
                    {m.relativeImprovement.lower !== null && m.relativeImprovement.upper !== null && (
                      <span className="muted">
                        {' '}
                        [{(m.relativeImprovement.lower * 100).toFixed(1)}, {(m.relativeImprovement.upper * 100).toFixed(1)}]
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </div>
  );
}
