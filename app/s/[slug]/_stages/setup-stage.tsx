'use client';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '~/app/_trpc/client';
import { ErrorAlert } from './common';
import type { StageProps } from './types';
import { useRefreshState } from './use-stage-mutation';

export function SetupStage({ slug, state }: StageProps) {
  const trpc = useTRPC();
  const refresh = useRefreshState(slug);
  const submit = useMutation(trpc.participant.submitSetup.mutationOptions({ onSuccess: refresh }));
  const [topicId, setTopicId] = useState('');
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [missing, setMissing] = useState<string | null>(null);
  const docType = state.documentType;

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!topicId) return setMissing('Please choose a topic.');
    const unanswered = state.study.topicQuestions.find((q) => !answers[q.id]?.trim());
    if (unanswered) return setMissing(`Please answer: ${unanswered.prompt}`);
    setMissing(null);
    submit.mutate({ slug, topicId, answers });
  }

  return (
    <form className="card stack" onSubmit={onSubmit} aria-labelledby="setup-title" noValidate>
      <h1 id="setup-title">Your writing task</h1>
      {docType ? (
        <p>
          You will write a <strong>{docType.label.toLowerCase()}</strong>.{' '}
          {docType.description ? <span className="muted">{docType.description}</span> : null}
        </p>
      ) : null}
      <div className="field">
        <label htmlFor="topic">Choose a topic</label>
        <select id="topic" value={topicId} onChange={(e) => setTopicId(e.target.value)} required>
          <option value="">Select a topic…</option>
          {state.study.topics.map((t) => (
            <option key={t.id} value={t.id}>
              {t.label}
            </option>
          ))}
        </select>
      </div>
      <p className="small muted">A few quick questions about what you have in mind. The assistant will not see these answers.</p>
      {state.study.topicQuestions.map((q) =>
        q.options.length > 0 ? (
          <fieldset className="field" key={q.id} style={{ border: 0, padding: 0, margin: 0 }}>
            <legend className="label">{q.prompt}</legend>
            {q.options.map((option, i) => (
              <label key={option} className="row" style={{ fontWeight: 400 }}>
                <input
                  type="radio"
                  name={`q-${q.id}`}
                  id={i === 0 ? `q-${q.id}` : undefined}
                  value={option}
                  checked={answers[q.id] === option}
                  onChange={() => setAnswers((a) => ({ ...a, [q.id]: option }))}
                  required
                />
                {option}
              </label>
            ))}
          </fieldset>
        ) : (
          <div className="field" key={q.id}>
            <label htmlFor={`q-${q.id}`}>{q.prompt}</label>
            <textarea
              id={`q-${q.id}`}
              placeholder={q.placeholder}
              maxLength={2000}
              value={answers[q.id] ?? ''}
              onChange={(e) => setAnswers((a) => ({ ...a, [q.id]: e.target.value }))}
              required
            />
          </div>
        ),
      )}
      {missing ? (
        <div className="alert alert-error" role="alert">
          {missing}
        </div>
      ) : null}
      <ErrorAlert error={submit.error} />
      <div>
        <button type="submit" className="btn btn-primary" disabled={submit.isPending}>
          Start writing
        </button>
      </div>
    </form>
  );
}
