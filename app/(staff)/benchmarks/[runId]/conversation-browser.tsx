'use client';
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '~/app/_trpc/client';
import { RunStatusBadge } from '../status-badge';
import { fmt, type Arm } from './format';

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

const END_REASONS: Record<string, string> = {
  terminated: 'by the simulated user',
  max_turns: 'at the turn limit',
  endless_goodbye: 'by the guard against endless goodbyes',
};

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
      <p className="small muted" style={{ margin: 0 }}>
        {d.endReason && `Ended: ${END_REASONS[d.endReason] ?? d.endReason}`}
        {d.item.failure && ` · Failed at ${d.item.failure.stage}: ${d.item.failure.reason}${d.item.failure.judge ? ` (${d.item.failure.judge})` : ''}`}
      </p>
      {d.extractionFailedBy.length > 0 && (
        <div className="alert alert-warn" role="note">
          The final document could not be extracted by {d.extractionFailedBy.join(', ')}; a heuristic took the last draft, and this conversation&apos;s BLEU is
          left out of the results unless you include failed extractions.
        </div>
      )}
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
