'use client';
/**
 * The judges' scores of one participant (every judge label that judged them) next to the participant's own
 * ratings: survey document quality and overall interaction (1–10) and the mean of the in-chat ratings.
 */
import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '~/app/_trpc/client';
import { Time } from '~/app/_components/time';

/** Columns in reading order: the two judged outcomes first, then the conversation metrics. */
const METRIC_ORDER = ['quality', 'interactivity', 'document_words', 'turns', 'clarifying_questions', 'tokens_read', 'tokens_typed'];
/** Short headers (the full labels come with each score, from the benchmark's metric list). */
const HEADERS: Record<string, string> = {
  quality: 'Document quality (1–10)',
  interactivity: 'Interactivity',
  document_words: 'Document words',
  turns: 'Turns',
  clarifying_questions: 'Clarifying questions',
  tokens_read: 'Tokens read',
  tokens_typed: 'Tokens typed',
};

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(2));

export function JudgeScores({
  studyId,
  participantId,
  survey,
  ratings,
}: {
  studyId: string;
  participantId: string;
  survey: { documentQuality: number; overallInteraction: number } | null;
  ratings: { afterTurn: number; value: number }[];
}) {
  const trpc = useTRPC();
  const query = useQuery(trpc.studyJudging.participantScores.queryOptions({ studyId, participantId }));
  const meanRating = ratings.length ? ratings.reduce((a, r) => a + r.value, 0) / ratings.length : null;
  return (
    <section aria-labelledby="judge-scores-heading" className="card stack">
      <h2 id="judge-scores-heading" style={{ margin: 0 }}>
        Judges and the participant
      </h2>
      <table className="table" aria-label="Participant's own ratings">
        <thead>
          <tr>
            <th>Participant&apos;s own ratings</th>
            <th className="num">Document quality (1–10)</th>
            <th className="num">Overall interaction (1–10)</th>
            <th className="num">In-chat ratings (mean of {ratings.length})</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>Survey and chat</td>
            <td className="num">{survey?.documentQuality ?? '–'}</td>
            <td className="num">{survey?.overallInteraction ?? '–'}</td>
            <td className="num">{meanRating === null ? '–' : fmt(meanRating)}</td>
          </tr>
        </tbody>
      </table>
      {query.isPending && <p className="muted small">Loading judge scores…</p>}
      {query.error && <div className="alert alert-error">{query.error.message}</div>}
      {query.data?.length === 0 && (
        <div className="empty">
          Not judged yet. Start a run on the <Link href={`/studies/${studyId}/judging`}>Judging</Link> tab.
        </div>
      )}
      {query.data && query.data.length > 0 && (
        <div style={{ overflowX: 'auto' }}>
          <table className="table" aria-label="Judge scores">
            <thead>
              <tr>
                <th>Judge</th>
                <th>Document</th>
                {METRIC_ORDER.map((m) => (
                  <th key={m} className="num">
                    {HEADERS[m]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {query.data.map((j) => (
                <tr key={j.judge}>
                  <td>
                    <div className="mono small" style={{ wordBreak: 'break-all' }}>
                      {j.judge}
                    </div>
                    <div className="small muted">
                      {j.promptVersion} · <Time value={j.judgedAt} />
                    </div>
                  </td>
                  <td className="small">{j.documentSource === 'pane' ? 'document pane' : 'extracted from chat'}</td>
                  {METRIC_ORDER.map((m) => {
                    const s = j.scores.find((x) => x.metric === m);
                    return (
                      <td key={m} className="num" title={s?.rationale ?? undefined}>
                        {s ? fmt(s.value) : '–'}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {query.data?.map(
        (j) =>
          j.documentSource === 'extraction' &&
          j.finalDocument !== null && (
            <details key={`document-${j.judge}`}>
              <summary className="small">
                Document extracted from the chat by <span className="mono">{j.judge}</span> (the document pane was empty)
              </summary>
              <div className="small" style={{ whiteSpace: 'pre-wrap' }}>
                {j.finalDocument || <span className="muted">(no document in the chat)</span>}
              </div>
            </details>
          ),
      )}
      {query.data?.map(
        (j) =>
          j.scores.some((s) => s.rationale && (s.metric === 'quality' || s.metric === 'interactivity')) && (
            <details key={j.judge}>
              <summary className="small">
                Reasoning of <span className="mono">{j.judge}</span>
              </summary>
              <dl className="small">
                {j.scores
                  .filter((s) => s.rationale && (s.metric === 'quality' || s.metric === 'interactivity'))
                  .map((s) => (
                    <div key={s.metric}>
                      <dt className="label">{s.label}</dt>
                      <dd style={{ margin: 0 }}>{s.rationale}</dd>
                    </div>
                  ))}
              </dl>
            </details>
          ),
      )}
    </section>
  );
}
