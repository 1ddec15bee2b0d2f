'use client';
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '~/app/_trpc/client';
import { trpcErrorMessage } from '~/app/_components/trpc-error';
import { DATASET_EXPORT_FORMATS } from '~/server/training/datasets/formats';
import { DatasetStatusBadge } from '../status-badge';
import { MrChart } from './mr-chart';

const FORMAT_LABELS: Record<(typeof DATASET_EXPORT_FORMATS)[number], string> = {
  'trl-sft': 'TRL SFT (messages)',
  'trl-dpo': 'TRL DPO (prompt/chosen/rejected)',
  'openai-sft': 'OpenAI supervised',
  'openai-dpo': 'OpenAI preference (DPO)',
};
const fmt = (v: number | null | undefined, d = 3) => (v === null || v === undefined ? '–' : v.toFixed(d));

export function DatasetView({ datasetId, canManage }: { datasetId: string; canManage: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const dataset = useQuery({
    ...trpc.datasets.get.queryOptions({ datasetId }),
    refetchInterval: (q) => (q.state.data?.status === 'generating' ? 2000 : false),
  });
  const cancel = useMutation(trpc.datasets.cancel.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.datasets.get.queryKey({ datasetId }) }) }));
  if (dataset.isPending) return <p className="muted">Loading…</p>;
  if (dataset.error) return <div className="alert alert-error">{dataset.error.message}</div>;
  const d = dataset.data;
  const c = d.counts;
  const done = (c.completed ?? 0) + (c.failed ?? 0);
  const pct = c.conversations ? Math.round((done / c.conversations) * 100) : 0;
  const exportUrl = (format: string, split?: string) => `/api/training/datasets/${datasetId}/export?format=${format}${split ? `&split=${split}` : ''}`;
  return (
    <div className="stack">
      <div className="row">
        <h1 style={{ margin: 0 }}>
          {d.name} <span className="muted">v{d.version}</span>
        </h1>
        <DatasetStatusBadge status={d.status} />
        {d.isDemo && <span className="badge badge-demo">demo</span>}
        <span className="spacer" />
        {canManage && d.status === 'generating' && (
          <button type="button" className="btn btn-danger" disabled={cancel.isPending} onClick={() => cancel.mutate({ datasetId })}>
            Cancel generation
          </button>
        )}
      </div>
      {cancel.error && <div className="alert alert-error">{trpcErrorMessage(cancel.error)}</div>}
      {d.error && <div className="alert alert-error">{d.error}</div>}
      <div className="card stack">
        <div className="small muted">
          {d.sourceKind === 'synthetic' ? 'Synthetic conversations scored with multiturn-aware rewards' : 'Conversations from a human study'} · seed <code>{d.seed}</code> · split seed{' '}
          <code>{d.splitSeed}</code> ({Math.round(d.evalRatio * 100)}% eval) · {d.appVersion}
        </div>
        {d.status === 'generating' && (
          <div>
            <div className="progress" role="progressbar" aria-label="Generation progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
              <div style={{ width: `${pct}%` }} />
            </div>
            <span className="small muted">
              {done}/{c.conversations ?? 0} conversations finished
            </span>
          </div>
        )}
        <dl className="row" style={{ gap: '1.5rem' }} data-testid="dataset-counts">
          {[
            ['Conversations', c.completed],
            ['Train', c.train],
            ['Eval', c.eval],
            ['Turns', c.turns],
            ['Preference pairs', c.pairs],
            ['Candidates', c.candidates],
            ['Forward samples', c.samples],
            ['Failed', c.failed],
          ].map(([label, value]) => (
            <div key={label as string}>
              <dt className="small muted">{label}</dt>
              <dd style={{ margin: 0, fontSize: '1.3rem' }}>{(value as number | undefined) ?? 0}</dd>
            </div>
          ))}
        </dl>
      </div>
      {d.sourceKind === 'synthetic' && (
        <section className="card stack">
          <h2 style={{ margin: 0 }}>MR distribution</h2>
          <MrChart chosen={d.chosenMr} rejected={d.rejectedMr} />
        </section>
      )}
      <section className="card stack">
        <h2 style={{ margin: 0 }}>Export</h2>
        {d.status !== 'ready' && <p className="small muted">Exports contain the conversations finished so far.</p>}
        <table className="table">
          <thead>
            <tr>
              <th>Format</th>
              <th>Train</th>
              <th>Eval</th>
              <th>All</th>
            </tr>
          </thead>
          <tbody>
            {DATASET_EXPORT_FORMATS.map((f) => (
              <tr key={f}>
                <td>{FORMAT_LABELS[f]}</td>
                {(['train', 'eval', 'all'] as const).map((s) => (
                  <td key={s}>
                    <a href={exportUrl(f, s)} download data-testid={`export-${f}-${s}`}>
                      {f}-{s}.jsonl
                    </a>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        <div className="row">
          <a className="btn" href={exportUrl('manifest')} download data-testid="export-manifest">
            Manifest (JSON)
          </a>
          <a className="btn" href={exportUrl('card')} download data-testid="export-card">
            Dataset card (Markdown)
          </a>
        </div>
      </section>
      <ConversationBrowser datasetId={datasetId} live={d.status === 'generating'} />
    </div>
  );
}

function ConversationBrowser({ datasetId, live }: { datasetId: string; live: boolean }) {
  const trpc = useTRPC();
  const [offset, setOffset] = useState(0);
  const [open, setOpen] = useState<string | null>(null);
  const limit = 25;
  const list = useQuery({ ...trpc.datasets.conversations.queryOptions({ datasetId, offset, limit }), refetchInterval: live ? 3000 : false });
  return (
    <section className="card stack">
      <h2 style={{ margin: 0 }}>Conversations</h2>
      {list.isPending ? (
        <p className="muted">Loading…</p>
      ) : list.error ? (
        <div className="alert alert-error">{list.error.message}</div>
      ) : list.data.total === 0 ? (
        <div className="empty">No conversations.</div>
      ) : (
        <>
          <table className="table">
            <thead>
              <tr>
                <th className="num">#</th>
                <th>Task / participant</th>
                <th>Split</th>
                <th>Status</th>
                <th className="num">Turns</th>
                <th>Ended</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.data.rows.map((r) => (
                <tr key={r.id}>
                  <td className="num">{r.idx}</td>
                  <td className="small">{r.taskKey ?? String((r.sourceRef as { participant?: string }).participant ?? '').slice(0, 12)}</td>
                  <td>{r.split}</td>
                  <td>
                    {r.status}
                    {r.error && <span className="small muted"> — {r.error.slice(0, 120)}</span>}
                  </td>
                  <td className="num">{r.turns}</td>
                  <td className="small">{r.endReason ?? ''}</td>
                  <td>
                    <button type="button" className="btn" aria-expanded={open === r.id} onClick={() => setOpen(open === r.id ? null : r.id)}>
                      {open === r.id ? 'Hide' : 'Open'}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="row small">
            <button type="button" className="btn" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - limit))}>
              ← Previous
            </button>
            <span>
              {offset + 1}–{Math.min(offset + limit, list.data.total)} of {list.data.total}
            </span>
            <button type="button" className="btn" disabled={offset + limit >= list.data.total} onClick={() => setOffset(offset + limit)}>
              Next →
            </button>
          </div>
          {open && <ConversationDetail conversationId={open} />}
        </>
      )}
    </section>
  );
}

function Message({ role, content }: { role: string; content: string }) {
  return (
    <div className="small" style={{ whiteSpace: 'pre-wrap', borderLeft: `3px solid ${role === 'user' ? 'var(--accent)' : 'var(--muted)'}`, paddingLeft: '0.5rem', margin: '0.25rem 0' }}>
      <strong>{role === 'user' ? 'User' : 'Assistant'}:</strong> {content}
    </div>
  );
}

function ConversationDetail({ conversationId }: { conversationId: string }) {
  const trpc = useTRPC();
  const detail = useQuery(trpc.datasets.conversation.queryOptions({ conversationId }));
  if (detail.isPending) return <p className="muted">Loading conversation…</p>;
  if (detail.error) return <div className="alert alert-error">{detail.error.message}</div>;
  const { turns, plainTurns } = detail.data;
  return (
    <div className="stack" data-testid="conversation-detail">
      {plainTurns.map((t) => (
        <div key={t.id} className="card">
          <div className="small muted">Turn {t.turnIndex + 1}{typeof t.ratings.periodic === 'number' ? ` · periodic rating ${t.ratings.periodic}` : ''}</div>
          {t.prompt.slice(-1).map((m, i) => (
            <Message key={i} role={m.role} content={m.content} />
          ))}
          <Message role="assistant" content={t.completion} />
        </div>
      ))}
      {turns.map((t) => (
        <div key={t.turnIndex} className="card stack">
          <div className="small muted">
            Turn {t.turnIndex + 1} · {t.status}
          </div>
          {t.prefix.slice(-1).map((m, i) => (
            <Message key={i} role={m.role} content={m.content} />
          ))}
          {t.candidates.map((c) => {
            const kept = t.kept?.chosenCandidateId === c.id;
            const rejected = t.kept?.rejectedCandidateId === c.id;
            const origin = c.origin as { label?: string; armKey?: string };
            return (
              <div key={c.id} className="card" style={{ borderColor: kept ? 'var(--ok)' : rejected ? 'var(--danger)' : undefined }}>
                <div className="row small">
                  <strong>{origin.label ?? origin.armKey ?? `Candidate ${c.idx + 1}`}</strong>
                  {kept && <span className="badge" style={{ color: 'var(--ok)' }}>chosen</span>}
                  {rejected && <span className="badge" style={{ color: 'var(--danger)' }}>rejected</span>}
                  <span className="spacer" />
                  <span>
                    MR {fmt(c.mean)} ± {fmt(c.std)}
                  </span>
                </div>
                <Message role="assistant" content={c.content} />
                <details>
                  <summary className="small">{c.samples.length} forward samples</summary>
                  {c.samples.map((s) => {
                    const comp = s.components as Record<string, unknown>;
                    return (
                      <div key={s.id} className="card" style={{ marginTop: '0.5rem' }}>
                        <div className="small muted">
                          Sample {s.sampleIndex + 1} · reward {fmt(s.reward)} · BLEU {fmt(comp.bleu_char as number | undefined)} · interactivity {fmt(comp.interactivity as number | undefined, 2)} · tokens{' '}
                          {String(comp.tokens ?? '–')} (penalty {fmt(comp.tokenPenalty as number | undefined)}) · ended by {s.endedBy}
                        </div>
                        {s.continuation.map((m, i) => (
                          <Message key={i} role={m.role} content={m.content || '(ended the chat)'} />
                        ))}
                      </div>
                    );
                  })}
                </details>
              </div>
            );
          })}
        </div>
      ))}
    </div>
  );
}
