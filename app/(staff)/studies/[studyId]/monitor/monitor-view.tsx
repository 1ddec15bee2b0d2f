'use client';
/**
 * Live monitor. Polls every 2 s with TanStack Query's refetchInterval rather than a tRPC subscription:
 * the server would poll the database on the same 2 s clock either way, but plain queries need no
 * long-lived connection per open tab, re-check the viewer's role on every request, pause while the tab
 * is hidden, and recover from network blips without reconnection logic.
 */
import Link from 'next/link';
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '~/app/_trpc/client';
import { ArmName } from '~/app/_components/arm-name';
import { Time } from '~/app/_components/time';
import { ago, shortId } from '../results/format';

const stages = ['consent', 'instructions', 'setup', 'chat', 'survey'] as const;
const outcomes = ['completed', 'no_consent', 'failed_checks', 'timed_out'] as const;
const flagLabels = { idle: 'Idle', stuck_reply: 'Reply stuck', unfocused: 'Tab hidden' } as const;

export function MonitorView({ studyId }: { studyId: string }) {
  const trpc = useTRPC();
  const [idleMinutes, setIdleMinutes] = useState(5);
  const [stuckReplySeconds, setStuckReplySeconds] = useState(90);
  const [attentionOnly, setAttentionOnly] = useState(false);
  const query = useQuery(
    trpc.monitor.snapshot.queryOptions(
      { studyId, idleMinutes, stuckReplySeconds },
      { refetchInterval: 2000, refetchIntervalInBackground: false, staleTime: 0, placeholderData: (prev) => prev },
    ),
  );
  const snap = query.data;

  return (
    <div className="stack">
      <div className="row">
        <h1 style={{ margin: 0 }}>Live monitor</h1>
        <span className="spacer" />
        <span className="small muted" aria-live="polite">
          {query.isError ? 'Connection problem, retrying…' : snap ? <>Updated <Time value={snap.generatedAt} withSeconds /></> : 'Loading…'}
        </span>
      </div>
      {query.error && <div className="alert alert-error">{query.error.message}</div>}
      <form className="row card" onSubmit={(e) => e.preventDefault()} aria-label="Monitor thresholds">
        <div className="field" style={{ width: '12rem' }}>
          <label htmlFor="idle">Idle after (minutes)</label>
          <input id="idle" type="number" min={0.5} max={240} step={0.5} value={idleMinutes} onChange={(e) => setIdleMinutes(Math.max(0.5, Number(e.target.value) || 5))} />
        </div>
        <div className="field" style={{ width: '14rem' }}>
          <label htmlFor="stuck">Reply stuck after (seconds)</label>
          <input id="stuck" type="number" min={10} max={3600} value={stuckReplySeconds} onChange={(e) => setStuckReplySeconds(Math.max(10, Math.round(Number(e.target.value)) || 90))} />
        </div>
        <label className="row small">
          <input type="checkbox" checked={attentionOnly} onChange={(e) => setAttentionOnly(e.target.checked)} /> Only participants needing attention
        </label>
      </form>

      {snap && (
        <>
          <div className="row">
            <div className="card" data-testid="monitor-active">
              <div className="muted small">In progress</div>
              <div style={{ fontSize: '1.6rem', fontWeight: 700 }}>{snap.totals.active}</div>
            </div>
            <div className="card">
              <div className="muted small">Finished</div>
              <div style={{ fontSize: '1.6rem', fontWeight: 700 }}>{snap.totals.finished}</div>
            </div>
            <div className="card">
              <div className="muted small">Needing attention</div>
              <div style={{ fontSize: '1.6rem', fontWeight: 700, color: snap.totals.needingAttention ? 'var(--warn)' : undefined }}>{snap.totals.needingAttention}</div>
            </div>
          </div>

          <h2>Per arm</h2>
          <table className="table" aria-label="Participants per arm">
            <thead>
              <tr>
                <th>Arm</th>
                {stages.map((s) => (
                  <th key={s} className="num">
                    {s}
                  </th>
                ))}
                {outcomes.map((o) => (
                  <th key={o} className="num">
                    {o.replace('_', ' ')}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {snap.counts.map((c) => (
                <tr key={c.armKey}>
                  <td>
                    <ArmName armKey={c.armKey} label={snap.arms.find((a) => a.key === c.armKey)?.label} />
                  </td>
                  {stages.map((s) => (
                    <td key={s} className="num">
                      {c.active[s] ?? 0}
                    </td>
                  ))}
                  {outcomes.map((o) => (
                    <td key={o} className="num">
                      {c.finished[o] ?? 0}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <p className="small muted">Stage columns count participants in progress; outcome columns count finished sessions. Previews are never counted.</p>

          <h2>In progress</h2>
          {(() => {
            const rows = snap.participants.filter((p) => !attentionOnly || p.flags.some((f) => f !== 'unfocused'));
            if (!rows.length)
              return <div className="empty">{attentionOnly ? 'Nobody needs attention right now.' : 'Nobody is taking the study right now. This page updates by itself.'}</div>;
            return (
              <table className="table" aria-label="Participants in progress">
                <thead>
                  <tr>
                    <th>Participant</th>
                    <th>Arm</th>
                    <th>Stage</th>
                    <th className="num">Turns</th>
                    <th>Last heartbeat</th>
                    <th>Started</th>
                    <th>Status</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((p) => (
                    <tr key={p.participantId}>
                      <td>
                        <Link href={`/studies/${studyId}/transcripts/${p.participantId}`} className="mono">
                          {p.externalId ?? shortId(p.participantId)}
                        </Link>{' '}
                        {p.isPreview && <span className="badge">preview</span>}
                      </td>
                      <td>{p.armKey ? <ArmName armKey={p.armKey} label={snap.arms.find((a) => a.key === p.armKey)?.label} /> : <span className="muted">not yet</span>}</td>
                      <td>{p.stage}</td>
                      <td className="num">{p.turns}</td>
                      <td>{ago(p.lastHeartbeatAt, new Date(snap.generatedAt).getTime())}</td>
                      <td>{ago(p.startedAt, new Date(snap.generatedAt).getTime())}</td>
                      <td>
                        {p.flags.length === 0 ? (
                          <span className="badge">ok</span>
                        ) : (
                          p.flags.map((f) => (
                            <span key={f} className="badge badge-demo" style={{ marginRight: 4 }}>
                              {flagLabels[f]}
                              {f === 'stuck_reply' && p.generatingSince ? ` (${ago(p.generatingSince, new Date(snap.generatedAt).getTime()).replace(' ago', '')})` : ''}
                            </span>
                          ))
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            );
          })()}
          {snap.listTruncated && <p className="small muted">Showing the most recently active participants only.</p>}
        </>
      )}
    </div>
  );
}
