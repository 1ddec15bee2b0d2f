'use client';
import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { BleuFloorNote } from './bleu-floor';
import { useTRPC } from '~/app/_trpc/client';
import { RunStatusBadge } from '../status-badge';
import { DEMO_ENDPOINT, EndpointPicker, type EndpointChoice } from '../endpoint-picker';

export type MetricLabels = Record<string, { label: string; higherIsBetter: boolean }>;
interface Arm {
  key: string;
  label: string;
}

const LIVE = new Set(['queued', 'running']);

function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min ${seconds % 60}s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

function fmt(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(digits);
}

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

export function RunResults({ runId, metricLabels, arms }: { runId: string; metricLabels: MetricLabels; arms: Arm[] }) {
  const trpc = useTRPC();
  const [judge, setJudge] = useState<string | undefined>(undefined);
  const progress = useQuery(trpc.benchmarks.progress.queryOptions({ runId }));
  const live = progress.data ? LIVE.has(progress.data.run.status) : false;
  const results = useQuery({
    ...trpc.benchmarks.results.queryOptions({ runId, judge }),
    refetchInterval: live ? 3000 : false,
    placeholderData: (prev) => prev,
  });
  // Scores land with each completed conversation and with each finished re-score: refresh then.
  const completed = progress.data?.counts.completed;
  const rescoresDone = progress.data?.rescores.filter((r) => r.status === 'completed').length;
  const status = progress.data?.run.status;
  const { refetch } = results;
  useEffect(() => {
    void refetch();
  }, [completed, rescoresDone, status, refetch]);
  const [taskMetric, setTaskMetric] = useState<string>('quality');
  if (results.isPending) return <p className="muted">Loading results…</p>;
  if (results.error) return <div className="alert alert-error">{results.error.message}</div>;
  const r = results.data;
  const label = (key: string) => arms.find((a) => a.key === key)?.label ?? key;
  const metricLabel = (m: string) => metricLabels[m]?.label ?? m;
  const shownTaskMetric = r.metrics.includes(taskMetric as never) ? taskMetric : r.metrics[0];

  return (
    <section className="card stack" aria-labelledby="results-heading">
      <div className="row">
        <h2 id="results-heading" style={{ margin: 0 }}>
          Results
        </h2>
        <span className="spacer" />
        {r.judges.length > 0 && (
          <div className="row">
            <label htmlFor="judge-select" className="small">
              Judge
            </label>
            <select id="judge-select" value={r.judge ?? ''} onChange={(e) => setJudge(e.target.value)}>
              {r.judges.map((j) => (
                <option key={j} value={j}>
                  {j}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
      {r.metrics.length === 0 ? (
        <div className="empty">No scores yet. Results appear as conversations complete.</div>
      ) : (
        <>
          <BleuFloorNote runId={runId} />
          <div style={{ overflowX: 'auto' }}>
            <table className="table" aria-label="Results by arm">
              <caption className="small muted" style={{ textAlign: 'left', captionSide: 'bottom', paddingTop: '0.4rem' }}>
                Mean per arm with the 95% confidence interval; n = scored conversations. The last rows give the relative improvement over{' '}
                {label(r.referenceArmKey)} (positive = better, a reduction counts as better where lower is better).
              </caption>
              <thead>
                <tr>
                  <th>Arm</th>
                  {r.metrics.map((m) => (
                    <th key={m} className="num">
                      {metricLabel(m)} {metricLabels[m]?.higherIsBetter === false ? '↓' : '↑'}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {r.arms.map((a) => (
                  <tr key={a.armKey}>
                    <th scope="row">
                      {a.label}
                      {a.armKey === r.referenceArmKey && <span className="small muted"> (reference)</span>}
                    </th>
                    {r.metrics.map((m) => {
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
                {r.arms
                  .filter((a) => a.armKey !== r.referenceArmKey)
                  .map((a) => (
                    <tr key={`rel-${a.armKey}`}>
                      <th scope="row" className="small">
                        Rel. improv. {a.label}
                      </th>
                      {r.metrics.map((m) => {
                        const v = r.relativeImprovements.find((x) => x.armKey === a.armKey && x.metric === m)?.value ?? null;
                        return (
                          <td key={m} className="num small" style={{ color: v === null ? undefined : v >= 0 ? 'var(--ok)' : 'var(--danger)' }}>
                            {v === null ? '—' : `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)}%`}
                          </td>
                        );
                      })}
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>

          <details>
            <summary>Per-task breakdown</summary>
            <div className="row" style={{ margin: '0.5rem 0' }}>
              <label htmlFor="task-metric" className="small">
                Metric
              </label>
              <select id="task-metric" value={shownTaskMetric} onChange={(e) => setTaskMetric(e.target.value)}>
                {r.metrics.map((m) => (
                  <option key={m} value={m}>
                    {metricLabel(m)}
                  </option>
                ))}
              </select>
            </div>
            <table className="table" aria-label="Per-task breakdown">
              <thead>
                <tr>
                  <th>Task</th>
                  {r.arms.map((a) => (
                    <th key={a.armKey} className="num">
                      {a.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {r.perTask.map((t) => (
                  <tr key={t.taskId}>
                    <td className="mono small">{t.taskKey}</td>
                    {t.arms.map((a) => {
                      const s = a.metrics[shownTaskMetric as keyof typeof a.metrics];
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
        </>
      )}
    </section>
  );
}

export function RescoreForm({ runId, connections }: { runId: string; connections: { id: string; name: string; defaultModel: string }[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [judge, setJudge] = useState<EndpointChoice>({ connectionId: DEMO_ENDPOINT, model: 'gpt-4o' });
  const [scale, setScale] = useState<'released-code' | 'paper-table1'>('released-code');
  const rescore = useMutation(
    trpc.benchmarks.rescore.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.benchmarks.progress.queryKey({ runId }) }),
    }),
  );
  return (
    <form
      className="card stack"
      aria-labelledby="rescore-heading"
      onSubmit={(e) => {
        e.preventDefault();
        rescore.mutate({ runId, judge: { connectionId: judge.connectionId === DEMO_ENDPOINT ? null : judge.connectionId, model: judge.model, interactivityScale: scale } });
      }}
    >
      <h2 id="rescore-heading" style={{ margin: 0 }}>
        Re-score with another judge
      </h2>
      <p className="small muted">Scores the stored conversations again (nothing is regenerated); results keep each judge separately.</p>
      <div className="row" style={{ alignItems: 'flex-end' }}>
        <EndpointPicker
          id="rescore-judge"
          label="Judge endpoint"
          modelLabel="Judge model"
          demoLabel="Demo judge (offline heuristic)"
          value={judge}
          connections={connections}
          onChange={setJudge}
        />
        <div className="field">
          <label htmlFor="rescore-scale">Interactivity scale</label>
          <select id="rescore-scale" value={scale} onChange={(e) => setScale(e.target.value as typeof scale)}>
            <option value="released-code">Released code: 1 / 0.5 / 0</option>
            <option value="paper-table1">Paper, Table 1 (rescaled)</option>
          </select>
        </div>
        <button type="submit" className="btn" disabled={rescore.isPending}>
          {rescore.isPending ? 'Queuing…' : 'Re-score'}
        </button>
      </div>
      {rescore.isSuccess && <div className="alert alert-ok">Re-score queued. Its status shows under Progress.</div>}
      {rescore.error && (
        <div className="alert alert-error" role="alert">
          {rescore.error.message}
        </div>
      )}
    </form>
  );
}

export function ConversationBrowser({ runId, arms }: { runId: string; arms: Arm[] }) {
  const trpc = useTRPC();
  const [armKey, setArmKey] = useState('');
  const [status, setStatus] = useState<'' | 'pending' | 'running' | 'completed' | 'failed' | 'cancelled'>('');
  const [offset, setOffset] = useState(0);
  const [selected, setSelected] = useState<string | null>(null);
  const pageSize = 25;
  const items = useQuery({
    ...trpc.benchmarks.items.queryOptions({ runId, armKey: armKey || undefined, status: status || undefined, offset, limit: pageSize }),
    placeholderData: (prev) => prev,
  });
  const label = (key: string) => arms.find((a) => a.key === key)?.label ?? key;
  return (
    <section className="card stack" aria-labelledby="conversations-heading">
      <h2 id="conversations-heading" style={{ margin: 0 }}>
        Conversations
      </h2>
      <div className="row">
        <div className="field">
          <label htmlFor="conv-arm">Arm</label>
          <select id="conv-arm" value={armKey} onChange={(e) => (setArmKey(e.target.value), setOffset(0))}>
            <option value="">All arms</option>
            {arms.map((a) => (
              <option key={a.key} value={a.key}>
                {a.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="conv-status">Status</label>
          <select id="conv-status" value={status} onChange={(e) => (setStatus(e.target.value as typeof status), setOffset(0))}>
            <option value="">Any status</option>
            {['completed', 'running', 'pending', 'failed', 'cancelled'].map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
      </div>
      {items.data && items.data.items.length === 0 ? (
        <div className="empty">No conversations match.</div>
      ) : (
        <table className="table" aria-label="Conversations">
          <thead>
            <tr>
              <th>Task</th>
              <th>Arm</th>
              <th className="num">#</th>
              <th>Status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.data?.items.map((it) => (
              <tr key={it.id} aria-selected={selected === it.id}>
                <td className="mono small">{it.taskKey}</td>
                <td>{label(it.armKey)}</td>
                <td className="num">{it.replicate + 1}</td>
                <td>
                  <RunStatusBadge status={it.status} />
                  {it.error && <div className="small error-text">{it.error}</div>}
                </td>
                <td>
                  <button type="button" className="btn" onClick={() => setSelected(it.id)} disabled={!['completed', 'running', 'failed', 'cancelled'].includes(it.status)}>
                    View
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {items.data && items.data.total > pageSize && (
        <div className="row small">
          <button type="button" className="btn" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - pageSize))}>
            Previous
          </button>
          <span>
            {offset + 1}–{Math.min(offset + pageSize, items.data.total)} of {items.data.total}
          </span>
          <button type="button" className="btn" disabled={offset + pageSize >= items.data.total} onClick={() => setOffset(offset + pageSize)}>
            Next
          </button>
        </div>
      )}
      {selected && <ConversationDetail itemId={selected} armLabel={label} onClose={() => setSelected(null)} />}
    </section>
  );
}

function ConversationDetail({ itemId, armLabel, onClose }: { itemId: string; armLabel: (k: string) => string; onClose: () => void }) {
  const trpc = useTRPC();
  const detail = useQuery(trpc.benchmarks.item.queryOptions({ itemId }));
  if (detail.isPending) return <p className="muted">Loading conversation…</p>;
  if (detail.error) return <div className="alert alert-error">{detail.error.message}</div>;
  const d = detail.data;
  const judges = [...new Set(d.scores.map((s) => s.judge))];
  return (
    <article className="card stack" aria-label="Conversation detail">
      <div className="row">
        <h3 style={{ margin: 0 }}>
          <span className="mono">{d.task.key}</span> · {armLabel(d.item.armKey)} · #{d.item.replicate + 1}
        </h3>
        <span className="spacer" />
        <button type="button" className="btn" onClick={onClose}>
          Close
        </button>
      </div>
      <details>
        <summary className="small">Task brief (hidden from the assistant)</summary>
        <p className="small" style={{ whiteSpace: 'pre-wrap' }}>
          {d.task.brief}
        </p>
      </details>
      <div className="stack">
        {d.transcript.map((m) => (
          <div key={m.seq} className="card" style={{ background: m.role === 'user' ? 'var(--bg)' : undefined }}>
            <div className="small muted">
              {m.role === 'user' ? 'Simulated user' : 'Assistant'}
              {m.isDemoModel && <span className="badge badge-demo"> demo</span>}
            </div>
            <div style={{ whiteSpace: 'pre-wrap' }}>{m.content}</div>
          </div>
        ))}
        {d.transcript.length === 0 && <div className="empty">No messages stored.</div>}
      </div>
      {judges.map((judge) => (
        <div key={judge}>
          <h4 style={{ margin: '0.5rem 0' }}>Scores by {judge}</h4>
          <table className="table">
            <thead>
              <tr>
                <th>Metric</th>
                <th className="num">Value</th>
                <th>Rationale</th>
              </tr>
            </thead>
            <tbody>
              {d.scores
                .filter((s) => s.judge === judge)
                .map((s) => (
                  <tr key={s.metric}>
                    <td>{s.metric}</td>
                    <td className="num">{fmt(s.value, 3)}</td>
                    <td className="small">{s.rationale ?? '—'}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      ))}
      {d.item.finalDocument && (
        <details>
          <summary className="small">Final document as extracted by the judge</summary>
          <p className="small" style={{ whiteSpace: 'pre-wrap' }}>
            {d.item.finalDocument}
          </p>
        </details>
      )}
    </article>
  );
}
