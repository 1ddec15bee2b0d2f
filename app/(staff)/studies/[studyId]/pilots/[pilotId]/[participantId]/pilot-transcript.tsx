'use client';
/** One simulated pilot participant's session, as the researcher transcript shows a person's (read-only). */
import Link from 'next/link';
import { Fragment } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '~/app/_trpc/client';
import { ArmName } from '~/app/_components/arm-name';

export function PilotTranscript({ studyId, pilotId, participantId }: { studyId: string; pilotId: string; participantId: string }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.pilots.transcript.queryOptions({ studyId, pilotId, participantId }));
  if (query.isPending) return <p className="muted">Loading the conversation…</p>;
  if (query.error) return <div className="alert alert-error">{query.error.message}</div>;
  const t = query.data;
  const p = t.participant;
  const ratingsAfterTurn = new Map(t.ratings.map((r) => [r.afterTurn, r.value]));
  const finalDocument = t.survey?.finalDocument ?? t.drafts.at(-1)?.content ?? null;
  let turns = 0;
  return (
    <div className="stack">
      <p className="small">
        <Link href={`/studies/${studyId}/pilots/${pilotId}`}>← Back to the pilot</Link>
      </p>
      <h1 style={{ fontSize: '1.4rem' }}>
        Simulated participant <span className="badge">pilot</span>
      </h1>
      <div className="card" style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(170px, 1fr))', gap: '0.5rem' }}>
        <div>
          <div className="label">Arm</div>
          {p.armKey ? <ArmName armKey={p.armKey} label={p.armLabel} /> : 'not assigned yet'}
        </div>
        <div>
          <div className="label">Outcome</div>
          {p.outcome ?? `in progress (${p.stage})`}
        </div>
        <div>
          <div className="label">Document / topic</div>
          {p.documentTypeLabel ?? p.documentType ?? '–'} / {p.topicLabel ?? p.topicId ?? '–'}
        </div>
        <div>
          <div className="label">Survey</div>
          {t.survey ? `quality ${t.survey.documentQuality}, interaction ${t.survey.overallInteraction}` : '–'}
        </div>
      </div>
      {p.setupAnswers.some((a) => a.answer !== null) && (
        <section className="card stack" aria-labelledby="pilot-setup-heading">
          <h2 id="pilot-setup-heading" style={{ margin: 0 }}>
            Before the chat
          </h2>
          <dl className="small" style={{ margin: 0 }}>
            {p.setupAnswers.map((a) => (
              <Fragment key={a.id}>
                <dt className="label">{a.prompt}</dt>
                <dd style={{ margin: '0 0 0.5rem' }}>{a.answer ?? '–'}</dd>
              </Fragment>
            ))}
          </dl>
        </section>
      )}
      <section className="stack" aria-labelledby="pilot-chat-heading">
        <h2 id="pilot-chat-heading">Conversation</h2>
        {t.messages.length === 0 && <p className="empty">No messages yet.</p>}
        {t.messages
          .filter((m) => m.role !== 'system')
          .map((m) => {
            if (m.role === 'user') turns += 1;
            const rating = m.role === 'assistant' && m.status === 'complete' ? ratingsAfterTurn.get(turns) : undefined;
            return (
              <Fragment key={m.id}>
                <article className="card" style={{ borderLeft: `4px solid ${m.role === 'user' ? 'var(--accent)' : 'var(--border)'}` }} aria-label={m.role === 'user' ? 'Simulated participant' : 'Assistant'}>
                  <div className="small muted">
                    {m.role === 'user' ? 'Simulated participant' : 'Assistant'}
                    {m.status !== 'complete' && ` · ${m.status}`}
                  </div>
                  <div style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{m.content}</div>
                </article>
                {rating !== undefined && <p className="small muted">Rated the experience so far: {rating} / 10</p>}
              </Fragment>
            );
          })}
      </section>
      <section className="card stack" aria-labelledby="pilot-doc-heading">
        <h2 id="pilot-doc-heading" style={{ margin: 0 }}>
          Document pane at the end
        </h2>
        {finalDocument ? <div style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{finalDocument}</div> : <p className="muted small">Nothing was put in the document.</p>}
      </section>
      {t.survey && (
        <section className="card stack" aria-labelledby="pilot-survey-heading">
          <h2 id="pilot-survey-heading" style={{ margin: 0 }}>
            Survey answers
          </h2>
          <dl className="small" style={{ margin: 0 }}>
            <dt className="label">Strengths</dt>
            <dd>{t.survey.strengths}</dd>
            <dt className="label">Weaknesses</dt>
            <dd>{t.survey.weaknesses}</dd>
            <dt className="label">Which assistant it thinks it talked to</dt>
            <dd>{t.survey.blindingGuess}</dd>
          </dl>
        </section>
      )}
    </div>
  );
}
