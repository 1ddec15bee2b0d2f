'use client';
import { useState } from 'react';
import type { RunAnalysis } from '~/server/benchmarks/analysis';
import { directionArrow, fmt, improvementColor } from './format';

/** The paper's Table 1 for this run, with CSV and LaTeX downloads and a copy-LaTeX button. */
export function Table1View({ table, downloadBase, bleuExcluded }: { table: RunAnalysis['table1']; downloadBase: string; bleuExcluded: number }) {
  const [copyState, setCopyState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copyLatex = async () => {
    try {
      const res = await fetch(`${downloadBase}&format=latex`, { credentials: 'same-origin' });
      if (!res.ok) throw new Error(String(res.status));
      await navigator.clipboard.writeText(await res.text());
      setCopyState('copied');
    } catch {
      setCopyState('failed');
    }
  };
  return (
    <div className="stack">
      <div className="row" style={{ flexWrap: 'wrap' }}>
        <h3 style={{ margin: 0 }}>Table 1</h3>
        <span className="spacer" />
        <a className="btn" href={`${downloadBase}&format=csv`} download data-testid="table1-csv">
          Download CSV
        </a>
        <a className="btn" href={`${downloadBase}&format=latex`} download data-testid="table1-latex">
          Download LaTeX
        </a>
        <button type="button" className="btn" onClick={() => void copyLatex()}>
          {copyState === 'copied' ? 'LaTeX copied' : 'Copy LaTeX'}
        </button>
      </div>
      {copyState === 'failed' && <div className="alert alert-error">Could not copy; use Download LaTeX instead.</div>}
      <div style={{ overflowX: 'auto' }}>
        <table className="table" aria-label="Table 1">
          <caption className="small muted" style={{ textAlign: 'left', captionSide: 'bottom', paddingTop: '0.4rem' }}>
            Mean per arm with its 95% CI (t) below; BLEU (character, as the CollabLLM code computes it) and ITR ×100, tokens the assistant wrote in
            thousands. Rel. Improv. against {table.referenceLabel} on complete pairs (same task, replicate and seed), with a 95% cluster-bootstrap CI over
            tasks; positive = better.
            {bleuExcluded > 0 && ` BLEU leaves out ${bleuExcluded} conversation(s) whose final document the judge could not extract.`}
          </caption>
          <thead>
            <tr>
              <th />
              {table.columns.map((c) => (
                <th key={c.metric} className="num">
                  {c.label}
                  {directionArrow(c.direction)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.arms.map((a) => (
              <tr key={a.armKey}>
                <th scope="row">
                  {a.label}
                  {a.armKey === table.referenceArmKey && <span className="small muted"> (reference)</span>}
                </th>
                {a.cells.map((cell, i) => {
                  const d = table.columns[i]!.digits;
                  return (
                    <td key={i} className="num">
                      {fmt(cell.mean, d)}
                      {cell.lower !== null && cell.upper !== null && (
                        <div className="small muted">
                          [{fmt(cell.lower, d)}, {fmt(cell.upper, d)}] n={cell.n}
                        </div>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
            {table.relativeImprovement.map((r) => (
              <tr key={`rel-${r.armKey}`} data-testid="rel-improv-row">
                <th scope="row" className="small">
                  Rel. Improv. {r.label}
                </th>
                {r.cells.map((cell, i) => (
                  <td key={i} className="num small" style={{ color: improvementColor(cell.estimate, table.columns[i]!.direction) }}>
                    {cell.estimate === null ? '—' : `${cell.estimate >= 0 ? '+' : ''}${cell.estimate.toFixed(1)}%`}
                    {cell.lower !== null && cell.upper !== null && (
                      <div className="muted">
                        [{cell.lower.toFixed(1)}, {cell.upper.toFixed(1)}] {cell.pairs} pairs
                      </div>
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
