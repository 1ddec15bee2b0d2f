'use client';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '~/app/_trpc/client';
import { ErrorAlert, FieldError, Scale, StageHeading } from './common';
import type { StageProps } from './types';
import { useRefreshState } from './use-stage-mutation';

interface Answers {
  documentQuality: number | null;
  overallInteraction: number | null;
  strengths: string;
  weaknesses: string;
  blindingGuess: string;
  attention: Record<string, string>;
}

/** Every problem at once, keyed by the id of the element that takes focus, in the form's order. */
function validate(a: Answers, min: number, checkIds: string[]): [fieldId: string, message: string][] {
  const [firstCheck, ...otherChecks] = checkIds;
  const checkError = (id: string | undefined): [string, string][] => (id && !a.attention[id] ? [[`check-${id}-first`, 'Please choose one answer.']] : []);
  return [
    ...(a.documentQuality === null ? [['documentQuality-first', 'Please rate the quality of your final document.'] as [string, string]] : []),
    ...(a.overallInteraction === null ? [['overallInteraction-first', 'Please rate the overall interaction.'] as [string, string]] : []),
    ...checkError(firstCheck),
    ...(a.strengths.trim().length < min ? [['strengths', `Please write at least ${min} characters about what the assistant did well.`] as [string, string]] : []),
    ...(a.weaknesses.trim().length < min ? [['weaknesses', `Please write at least ${min} characters about what it could have done better.`] as [string, string]] : []),
    ...(!a.blindingGuess ? [['blinding-first', 'Please say which kind of assistant you think you talked to.'] as [string, string]] : []),
    ...otherChecks.flatMap(checkError),
  ];
}

export function SurveyStage({ slug, state }: StageProps) {
  const trpc = useTRPC();
  const refresh = useRefreshState(slug);
  const submit = useMutation(trpc.participant.submitSurvey.mutationOptions({ onSuccess: refresh }));
  const [answers, setAnswers] = useState<Answers>({ documentQuality: null, overallInteraction: null, strengths: '', weaknesses: '', blindingGuess: '', attention: {} });
  // Errors appear after the first submit and then follow the answers as they are fixed.
  const [submitted, setSubmitted] = useState(false);
  const min = state.study.minFreeTextChars;
  const checkIds = state.study.attentionChecks.map((c) => c.id);
  const errors = submitted ? new Map(validate(answers, min, checkIds)) : new Map<string, string>();
  const set = <K extends keyof Answers>(key: K) => (value: Answers[K]) => setAnswers((a) => ({ ...a, [key]: value }));
  const setCheck = (id: string) => (v: string) => setAnswers((a) => ({ ...a, attention: { ...a.attention, [id]: v } }));

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    const problems = validate(answers, min, checkIds);
    if (problems.length) {
      document.getElementById(problems[0]![0])?.focus();
      return;
    }
    const { documentQuality, overallInteraction, strengths, weaknesses, blindingGuess, attention } = answers;
    if (documentQuality === null || overallInteraction === null) return;
    submit.mutate({ slug, documentQuality, overallInteraction, strengths, weaknesses, blindingGuess, attentionAnswers: attention });
  }

  // Attention checks sit between the other questions, as Prolific recommends, not bunched at the end.
  const [firstCheck, ...otherChecks] = state.study.attentionChecks;
  const checkQuestion = (check: (typeof state.study.attentionChecks)[number]) => (
    <ChoiceQuestion
      key={check.id}
      name={`check-${check.id}`}
      prompt={check.prompt}
      options={check.options}
      value={answers.attention[check.id] ?? ''}
      onChange={setCheck(check.id)}
      error={errors.get(`check-${check.id}-first`)}
    />
  );
  return (
    <form className="card stack" onSubmit={onSubmit} aria-labelledby="survey-title" noValidate>
      <StageHeading id="survey-title">Final questions</StageHeading>
      {errors.size ? (
        <div className="alert alert-error" role="alert">
          {errors.size === 1 ? 'One answer needs your attention; it is marked below.' : `${errors.size} answers need your attention; they are marked below.`}
        </div>
      ) : null}
      <section className="stack" aria-labelledby="final-document-title">
        <h2 id="final-document-title" className="label">
          Your final document
        </h2>
        {state.surveyDocument?.trim() ? (
          <div className="p-prewrap p-final-document" tabIndex={0} aria-label="Your final document">
            {state.surveyDocument}
          </div>
        ) : (
          <p className="muted small">Your document was empty when you finished the chat.</p>
        )}
      </section>
      <Scale name="documentQuality" label="How good is your final document?" value={answers.documentQuality} onChange={set('documentQuality')} error={errors.get('documentQuality-first')} />
      <Scale
        name="overallInteraction"
        label="How would you rate the interaction with the assistant overall?"
        value={answers.overallInteraction}
        onChange={set('overallInteraction')}
        error={errors.get('overallInteraction-first')}
      />
      {firstCheck ? checkQuestion(firstCheck) : null}
      <FreeText id="strengths" label="What did the assistant do well?" value={answers.strengths} onChange={set('strengths')} min={min} error={errors.get('strengths')} />
      <FreeText id="weaknesses" label="What could the assistant have done better?" value={answers.weaknesses} onChange={set('weaknesses')} min={min} error={errors.get('weaknesses')} />
      <ChoiceQuestion
        name="blinding"
        prompt="Which kind of assistant do you think you talked to?"
        options={state.study.blindingOptions}
        value={answers.blindingGuess}
        onChange={set('blindingGuess')}
        error={errors.get('blinding-first')}
      />
      {otherChecks.map(checkQuestion)}
      <ErrorAlert error={submit.error} />
      <div>
        <button type="submit" className="btn btn-primary" disabled={submit.isPending}>
          Submit
        </button>
      </div>
    </form>
  );
}

function FreeText({ id, label, value, onChange, min, error }: { id: string; label: string; value: string; onChange: (v: string) => void; min: number; error?: string }) {
  const length = value.trim().length;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        maxLength={5000}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error ${id}-hint` : `${id}-hint`}
      />
      <FieldError id={`${id}-error`} error={error} />
      <span id={`${id}-hint`} className="hint">
        {length < min ? `At least ${min} characters (${length} so far)` : `${length} characters`}
      </span>
    </div>
  );
}

function ChoiceQuestion({
  name,
  prompt,
  options,
  value,
  onChange,
  error,
}: {
  name: string;
  prompt: string;
  options: string[];
  value: string;
  onChange: (v: string) => void;
  error?: string;
}) {
  return (
    <fieldset className="field p-fieldset" aria-invalid={error ? true : undefined} aria-describedby={error ? `${name}-error` : undefined}>
      <legend className="label">{prompt}</legend>
      {options.map((option, i) => (
        <label key={option} className="p-choice">
          <input type="radio" id={i === 0 ? `${name}-first` : undefined} name={name} value={option} checked={value === option} onChange={() => onChange(option)} />
          <span>{option}</span>
        </label>
      ))}
      <FieldError id={`${name}-error`} error={error} />
    </fieldset>
  );
}
