'use client';
import Link from 'next/link';
import { Fragment, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '~/app/_trpc/client';
import { duration, shortId } from '../../results/format';
import { ArmName } from '~/app/_components/arm-name';
import { Time } from '~/app/_components/time';
import { JudgeScores } from './judge-scores';

export function TranscriptDetail({ studyId, participantId, canExclude }: { studyId: string; participantId: string; canExclude: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const query = useQuery(trpc.transcripts.get.queryOptions({ studyId, participantId }));
  const [reason, setReason] = useState('');
  const exclusion = useMutation(
    trpc.results.setExclusion.mutationOptions({
      onSuccess: async () => {
        setReason('');
        await queryClient.invalidateQueries();
      },
    }),
  );
  if (query.isPending) return <p className="muted">Loading transcript…</p>;
  if (query.error) return <div className="alert alert-error">{query.error.message}</div>;
  const t = query.data;
  const p = t.participant;

  // Ratings are shown after the assistant reply that completed the turn they follow.
  const ratingsAfterTurn = new Map(t.ratings.map((r) => [r.afterTurn, r]));
  let userTurns = 0;

  return (
    <div className="stack">
      <p className="small">
        <Link href={`/studies/${studyId}/transcripts`}>← All transcripts</Link>
      </p>
      <h1 className="mono">{p.externalId ?? shortId(p.id)}</h1>
      <div className="card" style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(180px, 1fr))', gap: '0.5rem' }}>
        <div>
          <div className="label">Arm</div>
          {p.armKey ? <ArmName armKey={p.armKey} label={p.armLabel} /> : 'not assigned'}
        </div>
        <div>
          <div className="label">Outcome</div>
          {p.outcome ?? `in progress (${p.stage})`}
        </div>
        <div>
          <div className="label">Study version</div>
          {p.studyVersion ?? '–'}
        </div>
        <div>
          <div className="label">Document / topic</div>
          {p.documentTypeLabel ?? p.documentType ?? '–'} / {p.topicLabel ?? p.topicId ?? '–'}
        </div>
        <div>
          <div className="label">Started</div>
          <Time value={p.createdAt} withSeconds />
        </div>
        <div>
          <div className="label">Finished</div>
          {p.finishedAt ? <Time value={p.finishedAt} withSeconds /> : '–'}
        </div>
        <div>
          <div className="label">Attention checks failed</div>
          {p.attentionFailures ?? '–'}
        </div>
        {t.assignment && (
          <div>
            <div className="label">Assignment</div>#{t.assignment.sequence}, draw {t.assignment.draw.toFixed(4)}
          </div>
        )}
      </div>

      <section aria-labelledby="setup-answers-heading" className="card stack">
        <h2 id="setup-answers-heading" style={{ margin: 0 }}>
          Before the chat
        </h2>
        {p.setupAnswers.length === 0 || p.setupAnswers.every((a) => a.answer === null) ? (
          <p className="small muted" style={{ margin: 0 }}>
            No topic answers yet{p.stage === 'consent' || p.stage === 'instructions' || p.stage === 'setup' ? ' (the participant has not reached this step)' : ''}.
          </p>
        ) : (
          <dl className="stack" style={{ margin: 0 }} aria-label="Topic answers">
            {p.setupAnswers.map((a) => (
              <div key={a.id}>
                <dt className="label">{a.prompt}</dt>
                <dd style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{a.answer ?? <span className="muted">not answered</span>}</dd>
              </div>
            ))}
          </dl>
        )}
      </section>

      <section aria-labelledby="exclusion-heading" className="card stack">
        <h2 id="exclusion-heading" style={{ margin: 0 }}>
          Exclusion
        </h2>
        {p.excluded ? (
          <div className="alert alert-warn">Excluded: {p.exclusionReason}</div>
        ) : (
          <p className="small muted" style={{ margin: 0 }}>
            Included in the analysis{(p.attentionFailures ?? 0) >= 2 ? ' (but excluded automatically from completers: failed attention checks)' : ''}.
          </p>
        )}
        {canExclude &&
          (p.excluded ? (
            <button type="button" className="btn" disabled={exclusion.isPending} onClick={() => exclusion.mutate({ studyId, participantId, excluded: false })}>
              Include again
            </button>
          ) : (
            <form
              className="row"
              onSubmit={(e) => {
                e.preventDefault();
                exclusion.mutate({ studyId, participantId, excluded: true, reason });
              }}
            >
              <div className="field" style={{ flex: 1 }}>
                <label htmlFor="reason">Reason for excluding</label>
                <input id="reason" type="text" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} placeholder="e.g. pasted text from another tool" />
              </div>
              <button type="submit" className="btn btn-danger" disabled={exclusion.isPending || reason.trim().length < 3}>
                Exclude
              </button>
            </form>
          ))}
        {exclusion.error && <div className="alert alert-error">{exclusion.error.message}</div>}
      </section>

      <section aria-labelledby="conversation-heading">
        <h2 id="conversation-heading">Conversation</h2>
        {t.messages.length === 0 && <div className="empty">No messages.</div>}
        <ol className="stack" style={{ listStyle: 'none', padding: 0 }}>
          {t.messages.map((m) => {
            if (m.role === 'user') userTurns++;
            const rating = m.role === 'assistant' ? ratingsAfterTurn.get(userTurns) : undefined;
            if (rating) ratingsAfterTurn.delete(userTurns);
            return (
              <Fragment key={m.id}>
                <li className="card" style={{ background: m.role === 'user' ? 'var(--bg)' : undefined }}>
                  <div className="row small muted">
                    <strong style={{ color: 'var(--text)' }}>{m.role === 'user' ? `Participant · turn ${userTurns}` : m.role === 'assistant' ? 'Assistant' : 'System'}</strong>
                    <Time value={m.createdAt} withSeconds />
                    {m.role === 'assistant' && m.ttftMs !== null && <span>first token {m.ttftMs} ms</span>}
                    {m.role === 'assistant' && m.generationMs !== null && <span>generation {duration(m.generationMs)}</span>}
                    {m.isDemoModel && <span className="badge badge-demo">demo model</span>}
                    {m.status !== 'complete' && <span className="badge">{m.status}</span>}
                  </div>
                  <div style={{ whiteSpace: 'pre-wrap' }}>{m.content || <span className="muted">(empty)</span>}</div>
                  {m.error && <div className="error-text">{m.error}</div>}
                </li>
                {rating && (
                  <li className="alert alert-ok small" aria-label={`Rating after turn ${rating.afterTurn}`}>
                    Rating after turn {rating.afterTurn}: <strong>{rating.value}</strong> / 10
                  </li>
                )}
              </Fragment>
            );
          })}
          {[...ratingsAfterTurn.values()].map((r) => (
            <li key={r.afterTurn} className="alert alert-ok small">
              Rating after turn {r.afterTurn}: <strong>{r.value}</strong> / 10
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="drafts-heading">
        <h2 id="drafts-heading">Draft history</h2>
        {t.drafts.length === 0 ? (
          <div className="empty">No saved drafts.</div>
        ) : (
          <ol className="stack">
            {t.drafts.map((d) => (
              <li key={d.id}>
                <details>
                  <summary className="small">
                    <Time value={d.createdAt} withSeconds /> · {d.source === 'use_message' ? 'copied from a reply' : 'edited'} · {d.content.length} characters
                  </summary>
                  <div className="card" style={{ whiteSpace: 'pre-wrap' }}>
                    {d.content}
                  </div>
                </details>
              </li>
            ))}
          </ol>
        )}
      </section>

      <section aria-labelledby="survey-heading">
        <h2 id="survey-heading">Final survey</h2>
        {!t.survey ? (
          <div className="empty">Not submitted.</div>
        ) : (
          <div className="card stack">
            <div>
              Document quality <strong>{t.survey.documentQuality}</strong> / 10 · Overall interaction <strong>{t.survey.overallInteraction}</strong> / 10
            </div>
            <div>
              <div className="label">Strengths</div>
              {t.survey.strengths}
            </div>
            <div>
              <div className="label">Weaknesses</div>
              {t.survey.weaknesses}
            </div>
            <div>
              <div className="label">Guessed assistant</div>
              {t.survey.blindingGuess}
            </div>
            {t.survey.finalDocument && (
              <details>
                <summary className="label">Final document</summary>
                <div style={{ whiteSpace: 'pre-wrap' }}>{t.survey.finalDocument}</div>
              </details>
            )}
          </div>
        )}
      </section>

      <JudgeScores studyId={studyId} participantId={participantId} survey={t.survey} ratings={t.ratings} />

      <section aria-labelledby="timing-heading">
        <h2 id="timing-heading">Stage timings</h2>
        <table className="table" aria-label="Stage timings">
          <thead>
            <tr>
              <th>Stage</th>
              <th>Entered</th>
              <th>Left</th>
              <th className="num">Duration</th>
            </tr>
          </thead>
          <tbody>
            {t.stageVisits.map((v, i) => (
              <tr key={i}>
                <td>{v.stage}</td>
                <td>
                  <Time value={v.enteredAt} withSeconds />
                </td>
                <td>{v.leftAt ? <Time value={v.leftAt} withSeconds /> : '–'}</td>
                <td className="num">{v.leftAt ? duration(new Date(v.leftAt).getTime() - new Date(v.enteredAt).getTime()) : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
