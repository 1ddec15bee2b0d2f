'use client';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '~/app/_trpc/client';
import { ErrorAlert, FieldError, StageHeading } from './common';
import type { StageProps } from './types';
import { useRefreshState } from './use-stage-mutation';

export function SetupStage({ slug, state }: StageProps) {
  const trpc = useTRPC();
  const refresh = useRefreshState(slug);
  const submit = useMutation(trpc.participant.submitSetup.mutationOptions({ onSuccess: refresh }));
  const [topicId, setTopicId] = useState('');
  const [answers, setAnswers] = useState<Record<string, string>>({});
  // Like the survey: every missing answer at once, next to its field, focus on the first (after a submit).
  const [submitted, setSubmitted] = useState(false);
  const docType = state.documentType;
  const problems = (): [string, string][] => [
    ...(!topicId ? [['topic', 'Please choose a topic.'] as [string, string]] : []),
    ...state.study.topicQuestions.filter((q) => !answers[q.id]?.trim()).map((q) => [`q-${q.id}`, 'Please answer this question.'] as [string, string]),
  ];
  const errors = new Map(submitted ? problems() : []);

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    const found = problems();
    if (found.length) {
      document.getElementById(found[0]![0])?.focus();
      return;
    }
    submit.mutate({ slug, topicId, answers });
  }

  return (
    <form className="card stack" onSubmit={onSubmit} aria-labelledby="setup-title" noValidate>
      <StageHeading id="setup-title">Your writing task</StageHeading>
      {docType ? (
        <p>
          You will write a <strong>{docType.label.toLowerCase()}</strong>.{' '}
          {docType.description ? <span className="muted">{docType.description}</span> : null}
        </p>
      ) : null}
      <div className="field">
        <label htmlFor="topic">Choose a topic</label>
        <select
          id="topic"
          value={topicId}
          onChange={(e) => setTopicId(e.target.value)}
          required
          aria-invalid={errors.has('topic') || undefined}
          aria-describedby={errors.has('topic') ? 'topic-error' : undefined}
        >
          <option value="">Select a topic…</option>
          {state.study.topics.map((t) => (
            <option key={t.id} value={t.id}>
              {t.label}
            </option>
          ))}
        </select>
        <FieldError id="topic-error" error={errors.get('topic')} />
      </div>
      <p className="small muted">A few quick questions about what you have in mind. The assistant will not see these answers.</p>
      {state.study.topicQuestions.map((q) =>
        q.options.length > 0 ? (
          <fieldset
            className="field"
            key={q.id}
            style={{ border: 0, padding: 0, margin: 0 }}
            aria-invalid={errors.has(`q-${q.id}`) || undefined}
            aria-describedby={errors.has(`q-${q.id}`) ? `q-${q.id}-error` : undefined}
          >
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
            <FieldError id={`q-${q.id}-error`} error={errors.get(`q-${q.id}`)} />
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
              aria-invalid={errors.has(`q-${q.id}`) || undefined}
              aria-describedby={errors.has(`q-${q.id}`) ? `q-${q.id}-error` : undefined}
            />
            <FieldError id={`q-${q.id}-error`} error={errors.get(`q-${q.id}`)} />
          </div>
        ),
      )}
      {errors.size ? (
        <div className="alert alert-error" role="alert">
          {errors.size === 1 ? 'One answer is missing; it is marked above.' : `${errors.size} answers are missing; they are marked above.`}
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
