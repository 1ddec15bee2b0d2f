'use client';
/**
 * One pilot: progress (bar, per-arm counts, tokens and cost, failures), per-arm outcomes that exist without judges
 * (the simulated participants' own survey and in-chat ratings, turns, time, tokens read) and the pilot's
 * conversations. Polls while the pilot runs.
 */
import Link from 'next/link';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '~/app/_trpc/client';
import { trpcErrorMessage } from '~/app/_components/trpc-error';
import { ArmName } from '~/app/_components/arm-name';
import { RunStatusBadge } from '~/app/(staff)/benchmarks/status-badge';
import { fmt } from '../../results/format';
import { PilotOutcomeChart } from './pilot-outcome-chart';

const LIVE = new Set(['queued', 'running']);

const OUTCOME_LABELS: Record<string, string> = {
  documentQuality: 'Document quality (survey, 1–10)',
  overallInteraction: 'Overall interaction (survey, 1–10)',
  meanRating: 'In-chat rating (mean, 1–10)',
  turns: 'Turns',
  totalTimeSec: 'Time (seconds)',
  tokensRead: 'Tokens read (cl100k)',
};

export function PilotView({ studyId, pilotId, canManage }: { studyId: string; pilotId: string; canManage: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const query = useQuery({
    ...trpc.pilots.get.queryOptions({ studyId, pilotId }),
    refetchInterval: (q) => (q.state.data && !LIVE.has(q.state.data.pilot.status) ? false : 1500),
  });
  const judging = useQuery({
    ...trpc.studyJudging.list.queryOptions({ studyId }),
    select: (runs) => runs.filter((r) => r.pilotId === pilotId),
    // Polls while the pilot or its judging runs, and after completion until the judging it starts shows up.
    refetchInterval: (q) => {
      const mine = (q.state.data ?? []).filter((r) => r.pilotId === pilotId);
      if (mine.some((r) => LIVE.has(r.status))) return 1500;
      const current = query.data;
      if (!current || LIVE.has(current.pilot.status)) return 1500;
      const judgingExpected = current.pilot.status === 'completed' && current.config.judge != null && !current.pilot.error;
      return mine.length === 0 && judgingExpected ? 1500 : false;
    },
  });
  const cancel = useMutation(trpc.pilots.cancel.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.pilots.get.queryKey({ studyId, pilotId }) }) }));
  if (query.isPending) return <p className="muted">Loading the pilot…</p>;
  if (query.error) return <div className="alert alert-error">{query.error.message}</div>;
  const d = query.data;
  const live = LIVE.has(d.pilot.status);
  const pct = Math.round(d.progress.fraction * 100);
  const running = d.jobs.active;

  return (
    <div className="stack">
      <p className="small">
        <Link href={`/studies/${studyId}/pilots`}>← All pilots</Link>
      </p>
      <section className="card stack" aria-labelledby="pilot-progress-heading">
        <div className="row">
          <h1 id="pilot-progress-heading" style={{ margin: 0, fontSize: '1.4rem' }}>
            Pilot
          </h1>
          <RunStatusBadge status={d.pilot.status} />
          <span className="spacer" />
          {canManage && live && (
            <button
              type="button"
              className="btn btn-danger"
              disabled={cancel.isPending}
              onClick={() => {
                if (window.confirm('Cancel this pilot? Simulated participants in progress stop; finished ones are kept.')) cancel.mutate({ studyId, pilotId });
              }}
            >
              {cancel.isPending ? 'Cancelling…' : 'Cancel pilot'}
            </button>
          )}
        </div>
        <p className="small muted" style={{ margin: 0 }}>
          {d.pilot.source === 'draft' ? 'Draft setup' : `Version ${d.pilot.versionNumber}`} · {d.pilot.participantsPerArm} per arm · {d.pilot.simulator} · seed{' '}
          <span className="mono">{d.pilot.seed}</span> · {d.config.concurrency} at once
        </p>
        <div className="progress" role="progressbar" aria-label="Pilot progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
          <div style={{ width: `${pct}%` }} />
        </div>
        <p className="small" data-testid="pilot-counts" style={{ margin: 0 }}>
          {d.progress.ended} of {d.progress.planned} simulated participants finished ({pct}%) · {running} running · {d.jobs.queued} waiting
          {d.failures.length > 0 && ` · ${d.failures.length} failed`}
          {d.retrying.length > 0 && ` · ${d.retrying.length} retrying`}
        </p>
        <dl className="row small" style={{ gap: '1.5rem', margin: 0 }}>
          <div>
            <dt className="muted">Assistant tokens</dt>
            <dd style={{ margin: 0 }}>
              {d.usage.assistant.promptTokens.toLocaleString('en')} in · {d.usage.assistant.completionTokens.toLocaleString('en')} out
            </dd>
          </div>
          <div>
            <dt className="muted">Simulator tokens</dt>
            <dd style={{ margin: 0 }}>
              {d.usage.simulator.promptTokens.toLocaleString('en')} in · {d.usage.simulator.completionTokens.toLocaleString('en')} out
            </dd>
          </div>
          <div>
            <dt className="muted">Estimated cost</dt>
            <dd style={{ margin: 0 }}>{d.costUsd === null ? 'no prices set' : `$${d.costUsd.toFixed(4)}`}</dd>
          </div>
        </dl>
        {d.pilot.error && (
          <div className="alert alert-error" role="alert">
            {d.pilot.error}
          </div>
        )}
        {cancel.error && <div className="alert alert-error">{trpcErrorMessage(cancel.error)}</div>}
        {(d.failures.length > 0 || d.retrying.length > 0) && (
          <details open={d.failures.length > 0}>
            <summary className="small">Problems ({d.failures.length + d.retrying.length})</summary>
            <ul className="small">
              {d.failures.map((f) => (
                <li key={`f${f.index}`}>
                  Participant {f.index + 1} ({f.armKey ?? '–'}) failed: {f.error}
                </li>
              ))}
              {d.retrying.map((r) => (
                <li key={`r${r.index}`}>
                  Participant {r.index + 1} will be retried (attempt {r.attempts}): {r.error}
                </li>
              ))}
            </ul>
          </details>
        )}
      </section>

      <section className="card stack" aria-labelledby="pilot-judging-heading">
        <h2 id="pilot-judging-heading" style={{ margin: 0 }}>
          Judging
        </h2>
        {(judging.data ?? []).length === 0 ? (
          <p className="small muted" style={{ margin: 0 }}>
            {live
              ? 'The judges run over the pilot’s conversations once it finishes (if chosen when it started).'
              : 'Not judged. Judge it from the study’s Judging tab (choose this pilot there).'}{' '}
            <Link href={`/studies/${studyId}/judging`}>Judging tab</Link>
          </p>
        ) : (
          <ul className="small" style={{ margin: 0 }} data-testid="pilot-judging">
            {judging.data!.map((r) => (
              <li key={r.id}>
                <span className="mono">{r.judge}</span> — {r.status}: {r.counts.completed} of {r.counts.total} judged
                {r.counts.failed > 0 && ` · ${r.counts.failed} failed`} · <Link href={`/studies/${studyId}/judging`}>details</Link>
                {r.status === 'completed' && (
                  <>
                    {' '}
                    · <Link href={`/studies/${studyId}/plan`}>plan the sample size from this pilot</Link>
                  </>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card stack" aria-labelledby="pilot-arms-heading">
        <h2 id="pilot-arms-heading" style={{ margin: 0 }}>
          Per arm
        </h2>
        <div style={{ overflowX: 'auto' }}>
          <table className="table" aria-label="Pilot participants per arm" data-testid="pilot-arms">
            <thead>
              <tr>
                <th>Arm</th>
                <th className="num">Planned</th>
                <th className="num">Completed</th>
                <th className="num">Other ending</th>
                <th className="num">Failed</th>
                <th className="num">In progress</th>
              </tr>
            </thead>
            <tbody>
              {d.arms.map((a) => (
                <tr key={a.key}>
                  <td>
                    <ArmName armKey={a.key} label={a.label} />
                  </td>
                  <td className="num">{a.planned}</td>
                  <td className="num">{a.completed}</td>
                  <td className="num">{a.otherOutcome}</td>
                  <td className="num">{a.failed}</td>
                  <td className="num">{a.inProgress}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="card stack" aria-labelledby="pilot-outcomes-heading">
        <h2 id="pilot-outcomes-heading" style={{ margin: 0 }}>
          Outcomes per arm
        </h2>
        <p className="small muted" style={{ margin: 0 }}>
          Completed simulated participants only: their own survey and in-chat ratings, turns, time and tokens (mean, 95% CI).
          These are simulated answers for planning, not evidence about people.
        </p>
        {d.arms.every((a) => a.completed === 0) ? (
          <p className="empty">{live ? 'Outcomes appear as simulated participants finish.' : 'No simulated participant completed the study.'}</p>
        ) : (
          <>
            <PilotOutcomeChart arms={d.arms} />
            <div style={{ overflowX: 'auto' }}>
              <table className="table" aria-label="Pilot outcomes per arm" data-testid="pilot-outcomes">
                <thead>
                  <tr>
                    <th>Outcome</th>
                    {d.arms.map((a) => (
                      <th key={a.key} className="num">
                        {a.label}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {Object.entries(OUTCOME_LABELS).map(([key, label]) => (
                    <tr key={key}>
                      <td>{label}</td>
                      {d.arms.map((a) => {
                        const o = a.outcomes[key as keyof typeof a.outcomes];
                        return (
                          <td key={a.key} className="num">
                            {o.n === 0 ? '–' : `${fmt(o.mean)}${o.ciLower !== null && o.ciUpper !== null ? ` [${fmt(o.ciLower)}, ${fmt(o.ciUpper)}]` : ''} (n=${o.n})`}
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>

      <section className="card stack" aria-labelledby="pilot-conversations-heading">
        <h2 id="pilot-conversations-heading" style={{ margin: 0 }}>
          Conversations
        </h2>
        {d.participants.length === 0 ? (
          <p className="empty">{live ? 'Simulated participants start in a moment.' : 'This pilot has no conversations.'}</p>
        ) : (
          <div style={{ overflowX: 'auto' }}>
            <table className="table" aria-label="Pilot conversations">
              <thead>
                <tr>
                  <th>#</th>
                  <th>Arm</th>
                  <th>Document / topic</th>
                  <th>Status</th>
                  <th className="num">Turns</th>
                  <th className="num">Quality</th>
                  <th className="num">Interaction</th>
                </tr>
              </thead>
              <tbody>
                {d.participants.map((p) => (
                  <tr key={p.id}>
                    <td>
                      <Link href={`/studies/${studyId}/pilots/${pilotId}/${p.id}`}>Participant {p.index + 1}</Link>
                    </td>
                    <td className="mono">{p.armKey ?? p.plannedArmKey}</td>
                    <td>
                      {p.documentType ?? '–'} / {p.topicId ?? '–'}
                    </td>
                    <td>{p.outcome ?? (p.failure ? 'failed' : `in progress (${p.stage})`)}</td>
                    <td className="num">{p.turns}</td>
                    <td className="num">{p.documentQuality ?? '–'}</td>
                    <td className="num">{p.overallInteraction ?? '–'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
