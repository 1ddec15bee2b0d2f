'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '~/app/_trpc/client';
import { RunStatusBadge } from '../status-badge';
import { formatDuration, LIVE } from './format';

export function RunProgress({ runId, canManage }: { runId: string; canManage: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const progress = useQuery({
    ...trpc.benchmarks.progress.queryOptions({ runId }),
    refetchInterval: (q) => (q.state.data && !LIVE.has(q.state.data.run.status) && !q.state.data.rescores.some((r) => r.status === 'queued' || r.status === 'active') ? false : 1000),
  });
  const cancel = useMutation(
    trpc.benchmarks.cancel.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.benchmarks.progress.queryKey({ runId }) }),
    }),
  );
  if (progress.isPending) return <p className="muted">Loading progress…</p>;
  if (progress.error) return <div className="alert alert-error">{progress.error.message}</div>;
  const p = progress.data;
  const done = p.counts.completed + p.counts.failed + p.counts.cancelled;
  const pct = p.counts.total ? Math.round((done / p.counts.total) * 100) : 0;
  const live = LIVE.has(p.run.status);

  return (
    <section className="card stack" aria-labelledby="progress-heading">
      <div className="row">
        <h2 id="progress-heading" style={{ margin: 0 }}>
          Progress
        </h2>
        <RunStatusBadge status={p.run.status} />
        <span className="spacer" />
        {canManage && live && (
          <button
            type="button"
            className="btn btn-danger"
            disabled={cancel.isPending}
            onClick={() => {
              if (window.confirm('Cancel this run? Conversations in progress stop; finished ones are kept.')) cancel.mutate({ runId });
            }}
          >
            {cancel.isPending ? 'Cancelling…' : 'Cancel run'}
          </button>
        )}
      </div>
      <div className="progress" role="progressbar" aria-label="Run progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
        <div style={{ width: `${pct}%` }} />
      </div>
      <p className="small" data-testid="run-counts">
        {p.counts.completed} of {p.counts.total} conversations completed ({pct}%) · {p.counts.running} running · {p.counts.pending} waiting
        {p.counts.failed > 0 && ` · ${p.counts.failed} failed`}
        {p.counts.cancelled > 0 && ` · ${p.counts.cancelled} cancelled`}
        {p.retrying > 0 && ` · ${p.retrying} waiting to retry`}
      </p>
      <dl className="row small" style={{ gap: '1.5rem' }}>
        <div>
          <dt className="muted">Time left</dt>
          <dd style={{ margin: 0 }}>{live ? (p.etaSeconds === null ? 'estimating…' : `about ${formatDuration(p.etaSeconds)}`) : '—'}</dd>
        </div>
        <div>
          <dt className="muted">Throughput</dt>
          <dd style={{ margin: 0 }}>{p.throughputPerMinute === null ? '—' : `${p.throughputPerMinute.toFixed(1)} / min`}</dd>
        </div>
        <div>
          <dt className="muted">Tokens</dt>
          <dd style={{ margin: 0 }}>
            {p.tokens.prompt.toLocaleString('en')} in · {p.tokens.completion.toLocaleString('en')} out
          </dd>
        </div>
        <div>
          <dt className="muted">Estimated cost</dt>
          <dd style={{ margin: 0 }}>${p.estimatedCostUsd.toFixed(4)}</dd>
        </div>
      </dl>
      {p.run.error && (
        <div className="alert alert-error" role="alert">
          {p.run.error}
        </div>
      )}
      {cancel.error && <div className="alert alert-error">{cancel.error.message}</div>}
      {p.errors.length > 0 && (
        <details>
          <summary className="small">Recent item errors ({p.errors.length})</summary>
          <ul className="small">
            {p.errors.map((e) => (
              <li key={e.itemId}>
                <span className="mono">{e.taskKey}</span> / {e.armKey} ({e.status === 'pending' ? 'will retry' : e.status}): {e.error}
              </li>
            ))}
          </ul>
        </details>
      )}
      {p.rescores.length > 0 && (
        <div className="small">
          <strong>Re-scoring</strong>
          <ul>
            {p.rescores.map((r) => (
              <li key={r.id}>
                {r.judge}: {r.status === 'active' ? 'running' : r.status}
                {r.error && r.status !== 'completed' ? ` — ${r.error}` : ''}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
