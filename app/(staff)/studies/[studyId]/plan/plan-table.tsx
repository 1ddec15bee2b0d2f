'use client';
import type { SampleSizePlan } from '~/server/planning/service';
import { fmt } from '../results/format';

/** One row per outcome × comparison: the effect it is planned for, the α it gets, and the participants it needs. */
export function PlanTable({ plan }: { plan: SampleSizePlan }) {
  const simulated = plan.settings.test === 'mann-whitney';
  const observed = plan.source.kind !== 'typed';
  return (
    <div style={{ overflowX: 'auto' }}>
      <table className="table" aria-label="Sample size per outcome and comparison" data-testid="plan-table">
        <thead>
          <tr>
            <th scope="col">Outcome</th>
            <th scope="col">Comparison</th>
            {observed && <th scope="col" className="num">Observed n (ref / other)</th>}
            <th scope="col" className="num">Mean difference</th>
            <th scope="col" className="num">SD (ref / other)</th>
            <th scope="col" className="num">Cohen&apos;s d</th>
            <th scope="col" className="num">α</th>
            <th scope="col" className="num">n per arm</th>
            <th scope="col" className="num">Power at n{simulated ? ' (± MC SE)' : ''}</th>
            <th scope="col" className="num">n per arm with dropout</th>
            <th scope="col" className="num">Total with dropout</th>
            <th scope="col">Note</th>
          </tr>
        </thead>
        <tbody>
          {plan.rows.map((r) => (
            <tr key={r.id}>
              <th scope="row" style={{ fontWeight: 400, color: 'inherit' }}>
                {r.outcomeLabel}
              </th>
              <td>{r.comparisonLabel}</td>
              {observed && (
                <td className="num">
                  {r.nObservedReference ?? '–'} / {r.nObservedOther ?? '–'}
                </td>
              )}
              <td className="num">{fmt(r.meanDifference, 3)}</td>
              <td className="num">
                {fmt(r.sdReference, 3)} / {fmt(r.sdOther, 3)}
              </td>
              <td className="num">{fmt(r.cohensD, 3)}</td>
              <td className="num">{r.alpha.toPrecision(3)}</td>
              <td className="num" data-testid="n-per-arm">
                {r.nPerArm ?? '–'}
              </td>
              <td className="num">
                {r.achievedPower === null ? '–' : r.achievedPower.toFixed(3)}
                {r.standardError !== null && ` ± ${r.standardError.toFixed(3)}`}
              </td>
              <td className="num">{r.nPerArmWithDropout ?? '–'}</td>
              <td className="num">{r.totalWithDropout ?? '–'}</td>
              <td className="small muted">{r.note ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
