'use client';
import Link from 'next/link';
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '~/app/_trpc/client';
import { BalanceTable } from './balance-table';
import { DistributionChart, RatingByTurnChart, TimeChart } from './charts';
import { SMALL_SAMPLE_N } from '~/server/insights/bounded';
import { fmt, fmtP, fmtPercent } from './format';

type Population = 'itt' | 'completers';

export function ResultsView({ studyId }: { studyId: string }) {
  const trpc = useTRPC();
  const [population, setPopulation] = useState<Population>('itt');
  const [referenceArm, setReferenceArm] = useState<string | undefined>(undefined);
  const [version, setVersion] = useState<string>('all');
  const query = useQuery(
    trpc.results.dashboard.queryOptions(
      { studyId, population, referenceArm, versionIds: version === 'all' ? [] : [version] },
      {
        placeholderData: (prev) => prev,
        staleTime: 5_000,
        // While a large study's per-participant figures are still being computed, keep asking for the rest.
        refetchInterval: (q) => (q.state.data?.metricsPending ? 1500 : false),
      },
    ),
  );
  const d = query.data;
  if (query.isPending) return <p className="muted">Computing results…</p>;
  if (query.error) return <div className="alert alert-error">{query.error.message}</div>;
  if (!d) return null;
  const armLabel = (key: string) => d.arms.find((a) => a.key === key)?.label ?? key;
  const nonRef = d.arms.filter((a) => a.key !== d.referenceArm);
  const outcome = (key: string) => d.outcomes.find((o) => o.key === key)!;
  const perArm = (key: string) => Object.fromEntries(outcome(key).perArm.map((p) => [p.armKey, p.description]));

  return (
    <div className="stack">
      <div className="row">
        <h1 style={{ margin: 0 }}>Results</h1>
        <span className="spacer" />
        {query.isFetching && <span className="small muted">Updating…</span>}
      </div>

      {d.metricsPending > 0 && (
        <div className="alert alert-warn stack" role="status">
          <div>
            Computing turns, tokens and time for {d.metricsPending} participant{d.metricsPending === 1 ? '' : 's'}; those outcomes are incomplete until this
            finishes.
          </div>
          <div className="progress" aria-hidden="true">
            <div style={{ width: `${Math.round((100 * (d.flow.entered - d.metricsPending)) / Math.max(1, d.flow.entered))}%` }} />
          </div>
        </div>
      )}

      <form className="card row" aria-label="Analysis options" onSubmit={(e) => e.preventDefault()} style={{ alignItems: 'flex-start' }}>
        <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
          <legend className="label">Population</legend>
          {(['itt', 'completers'] as const).map((p) => (
            <label key={p} className="row small" style={{ gap: '0.4rem' }}>
              <input type="radio" name="population" value={p} checked={population === p} onChange={() => setPopulation(p)} />
              {p === 'itt' ? 'Intention-to-treat' : 'Completers'}
            </label>
          ))}
        </fieldset>
        <div className="field" style={{ width: '14rem' }}>
          <label htmlFor="reference">Reference arm</label>
          <select id="reference" value={d.referenceArm ?? ''} onChange={(e) => setReferenceArm(e.target.value)}>
            {d.arms.map((a) => (
              <option key={a.key} value={a.key}>
                {a.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field" style={{ width: '12rem' }}>
          <label htmlFor="version">Study version</label>
          <select id="version" value={version} onChange={(e) => setVersion(e.target.value)}>
            <option value="all">All versions</option>
            {d.versions.map((v) => (
              <option key={v.id} value={v.id}>
                Version {v.version}
              </option>
            ))}
          </select>
        </div>
        <p className="small muted" style={{ flex: 1, minWidth: '16rem', margin: 0 }} data-testid="population-definition">
          {d.populationDefinition} Preview sessions are never counted.
        </p>
      </form>

      <section aria-labelledby="flow-heading">
        <h2 id="flow-heading">Participant flow</h2>
        <div className="row small">
          <span className="badge">Entered {d.flow.entered}</span>→<span className="badge">Consented {d.flow.consented}</span>
          <span className="muted">(declined {d.flow.declinedConsent}; consented, not randomized {d.flow.consentedNotAssigned})</span>→
          <span className="badge">Randomized {d.flow.assigned}</span>
        </div>
        <table className="table" aria-label="Flow per arm" style={{ marginTop: '0.5rem' }}>
          <thead>
            <tr>
              <th>Arm</th>
              <th className="num">Assigned</th>
              <th className="num">Completed</th>
              <th className="num">In progress</th>
              <th className="num">Timed out</th>
              <th className="num">Failed checks</th>
              <th>Excluded (by reason)</th>
              <th className="num">Analysed ITT</th>
              <th className="num">Analysed completers</th>
            </tr>
          </thead>
          <tbody>
            {d.flow.arms.map((f) => (
              <tr key={f.armKey}>
                <td>{armLabel(f.armKey)}</td>
                <td className="num">{f.assigned}</td>
                <td className="num">{f.completed}</td>
                <td className="num">{f.inProgress}</td>
                <td className="num">{f.timedOut}</td>
                <td className="num">{f.failedChecks}</td>
                <td>
                  {f.excluded.length === 0
                    ? '0'
                    : f.excluded.map((e) => (
                        <div key={`${e.kind}:${e.reason}`}>
                          {e.n} × {e.reason} <span className="muted small">({e.kind === 'manual' ? 'manual' : 'automatic'})</span>
                        </div>
                      ))}
                </td>
                <td className="num">{f.analysedItt}</td>
                <td className="num">{f.analysedCompleters}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="small muted">
          Exclude or re-include a participant from their <Link href={`/studies/${studyId}/transcripts`}>transcript</Link>; results update at once.
        </p>
      </section>

      <BalanceTable balance={d.balance} arms={d.arms} />

      <section aria-labelledby="arms-heading">
        <h2 id="arms-heading">Outcomes per arm</h2>
        {d.flow.assigned === 0 ? (
          <div className="empty">No randomized participants yet. Results appear here as soon as participants are assigned to arms.</div>
        ) : (
          <table className="table" aria-label="Outcomes per arm">
            <thead>
              <tr>
                <th>Outcome</th>
                <th>Arm</th>
                <th className="num">n</th>
                <th className="num">Mean</th>
                <th className="num">95% CI</th>
                <th className="num">Median</th>
                <th className="num">IQR (Q1–Q3)</th>
              </tr>
            </thead>
            <tbody>
              {d.outcomes.map((o) =>
                o.perArm.map((p, i) => (
                  <tr key={`${o.key}:${p.armKey}`} data-outcome={o.key} data-arm={p.armKey}>
                    {i === 0 && (
                      <th scope="rowgroup" rowSpan={o.perArm.length} style={{ color: 'var(--text)' }}>
                        {o.label} <span className="muted small">({o.unit})</span>
                      </th>
                    )}
                    <td>
                      {armLabel(p.armKey)}
                      {p.description.smallSample && (
                        <>
                          {' '}
                          <span className="badge badge-demo" title={`Fewer than ${SMALL_SAMPLE_N} values: treat the mean and interval with caution.`}>
                            n too small
                          </span>
                        </>
                      )}
                      {(d.stillInProgress[p.armKey] ?? 0) > 0 && p.description.n > 0 && (
                        <>
                          {' '}
                          <span className="badge" title={`${d.stillInProgress[p.armKey]} participant(s) of this arm are still in progress; their figures so far are included.`}>
                            partial
                          </span>
                        </>
                      )}
                    </td>
                    <td className="num" data-testid={`n-${o.key}-${p.armKey}`}>
                      {p.description.n}
                    </td>
                    <td className="num" data-testid={`mean-${o.key}-${p.armKey}`}>
                      {fmt(p.description.mean)}
                    </td>
                    <td className="num" data-testid={`ci-${o.key}-${p.armKey}`}>
                      {p.description.ciLower === null ? '–' : `${fmt(p.description.ciLower)} – ${fmt(p.description.ciUpper)}`}
                      {p.description.ciClipped && (
                        <span className="muted small" title="The t-interval reached past what this outcome can take and is clipped to its range.">
                          {' '}
                          (clipped)
                        </span>
                      )}
                    </td>
                    <td className="num">{fmt(p.description.median)}</td>
                    <td className="num">{p.description.q1 === null ? '–' : `${fmt(p.description.q1)} – ${fmt(p.description.q3)}`}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        )}
        {Object.values(d.stillInProgress).some((n) => n > 0) && (
          <p className="small muted" role="note">
            <span className="badge">partial</span> The intention-to-treat figures include{' '}
            {Object.values(d.stillInProgress).reduce((a, b) => a + b, 0)} participant(s) still in progress; their outcomes so far are counted and will change.
          </p>
        )}
      </section>

      {nonRef.length > 0 && d.flow.assigned > 0 && (
        <section aria-labelledby="compare-heading">
          <h2 id="compare-heading">Compared with {armLabel(d.referenceArm ?? '')}</h2>
          <p className="small muted">
            Differences are arm − reference. Welch&apos;s t-test and Mann–Whitney U are two-sided; Holm-adjusted p-values correct across the {d.outcomes.length} outcomes of
            each comparison. Hedges&apos; g with 95% CI; Cliff&apos;s delta in [−1, 1] (positive = the arm tends to be higher).
          </p>
          <div style={{ overflowX: 'auto' }}>
            <table className="table" aria-label="Comparisons with the reference arm">
              <thead>
                <tr>
                  <th>Outcome</th>
                  <th>Arm</th>
                  <th className="num">Difference</th>
                  <th className="num">% diff.</th>
                  <th className="num">Welch t (df)</th>
                  <th className="num">p</th>
                  <th className="num">p Holm</th>
                  <th className="num">U</th>
                  <th className="num">p</th>
                  <th className="num">p Holm</th>
                  <th className="num">Hedges&apos; g [95% CI]</th>
                  <th className="num">Cliff&apos;s δ</th>
                </tr>
              </thead>
              <tbody>
                {d.outcomes.map((o) =>
                  o.comparisons.map((c) => (
                    <tr key={`${o.key}:${c.armKey}`}>
                      <td>{o.label}</td>
                      <td>{armLabel(c.armKey)}</td>
                      <td className="num">{fmt(c.comparison.difference)}</td>
                      <td className="num">{fmtPercent(c.comparison.percentDifference)}</td>
                      <td className="num">
                        {fmt(c.comparison.welch.t)} ({fmt(c.comparison.welch.df, 1)})
                      </td>
                      <td className="num">{fmtP(c.comparison.welch.p)}</td>
                      <td className="num" style={{ fontWeight: c.welchPHolm !== null && c.welchPHolm < 0.05 ? 700 : undefined }}>
                        {fmtP(c.welchPHolm)}
                      </td>
                      <td className="num">{fmt(c.comparison.mannWhitney.U, 1)}</td>
                      <td className="num">{fmtP(c.comparison.mannWhitney.p)}</td>
                      <td className="num">{fmtP(c.mannWhitneyPHolm)}</td>
                      <td className="num">
                        {fmt(c.comparison.hedgesG.g)} {c.comparison.hedgesG.lower === null ? '' : `[${fmt(c.comparison.hedgesG.lower)}, ${fmt(c.comparison.hedgesG.upper)}]`}
                      </td>
                      <td className="num">{fmt(c.comparison.cliffsDelta)}</td>
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          </div>
        </section>
      )}

      {d.flow.assigned > 0 && (
        <section aria-labelledby="charts-heading">
          <h2 id="charts-heading">Charts</h2>
          <div className="stack">
            {d.ratingByTurn.length > 0 ? <RatingByTurnChart arms={d.arms} points={d.ratingByTurn} /> : <div className="empty">No periodic ratings yet.</div>}
            <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(320px, 1fr))', gap: '0.75rem' }}>
              {d.outcomes
                .filter((o) => o.distribution)
                .map((o) => (
                  <DistributionChart key={o.key} title={o.label} arms={d.arms} distribution={o.distribution!} />
                ))}
            </div>
            <TimeChart arms={d.arms} total={perArm('totalTime')} active={perArm('activeTime')} />
          </div>
        </section>
      )}
    </div>
  );
}
