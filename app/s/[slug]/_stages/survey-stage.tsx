'use client';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '~/app/_trpc/client';
import { ErrorAlert, Scale } from './common';
import type { StageProps } from './types';
import { useRefreshState } from './use-stage-mutation';

export function SurveyStage({ slug, state }: StageProps) {
  const trpc = useTRPC();
  const refresh = useRefreshState(slug);
  const submit = useMutation(trpc.participant.submitSurvey.mutationOptions({ onSuccess: refresh }));
  const [documentQuality, setDocumentQuality] = useState<number | null>(null);
  const [overallInteraction, setOverallInteraction] = useState<number | null>(null);
  const [strengths, setStrengths] = useState('');
  const [weaknesses, setWeaknesses] = useState('');
  const [blindingGuess, setBlindingGuess] = useState('');
  const [attention, setAttention] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const min = state.study.minFreeTextChars;

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const missing =
      documentQuality === null
        ? 'Please rate the quality of your final document.'
        : overallInteraction === null
          ? 'Please rate the overall interaction.'
          : strengths.trim().length < min
            ? `Please write at least ${min} characters about the assistant's strengths.`
            : weaknesses.trim().length < min
              ? `Please write at least ${min} characters about the assistant's weaknesses.`
              : !blindingGuess
                ? 'Please say which kind of assistant you think you talked to.'
                : state.study.attentionChecks.some((c) => !attention[c.id])
                  ? 'Please answer every question.'
                  : null;
    setProblem(missing);
    if (missing || documentQuality === null || overallInteraction === null) return;
    submit.mutate({ slug, documentQuality, overallInteraction, strengths, weaknesses, blindingGuess, attentionAnswers: attention });
  }

  // Attention checks sit between the other questions, as Prolific recommends, not bunched at the end.
  const [firstCheck, ...otherChecks] = state.study.attentionChecks;
  return (
    <form className="card stack" onSubmit={onSubmit} aria-labelledby="survey-title" noValidate>
      <h1 id="survey-title">Final questions</h1>
      <Scale label="How good is your final document?" value={documentQuality} onChange={setDocumentQuality} />
      <Scale label="How would you rate the interaction with the assistant overall?" value={overallInteraction} onChange={setOverallInteraction} />
      {firstCheck ? <ChoiceQuestion name={`check-${firstCheck.id}`} prompt={firstCheck.prompt} options={firstCheck.options} value={attention[firstCheck.id] ?? ''} onChange={(v) => setAttention((a) => ({ ...a, [firstCheck.id]: v }))} /> : null}
      <FreeText id="strengths" label="What did the assistant do well?" value={strengths} onChange={setStrengths} min={min} />
      <FreeText id="weaknesses" label="What could the assistant have done better?" value={weaknesses} onChange={setWeaknesses} min={min} />
      <ChoiceQuestion
        name="blinding"
        prompt="Which kind of assistant do you think you talked to?"
        options={state.study.blindingOptions}
        value={blindingGuess}
        onChange={setBlindingGuess}
      />
      {otherChecks.map((check) => (
        <ChoiceQuestion
          key={check.id}
          name={`check-${check.id}`}
          prompt={check.prompt}
          options={check.options}
          value={attention[check.id] ?? ''}
          onChange={(v) => setAttention((a) => ({ ...a, [check.id]: v }))}
        />
      ))}
      {problem ? (
        <div className="alert alert-error" role="alert">
          {problem}
        </div>
      ) : null}
      <ErrorAlert error={submit.error} />
      <div>
        <button type="submit" className="btn btn-primary" disabled={submit.isPending}>
          Submit
        </button>
      </div>
    </form>
  );
}

function FreeText({ id, label, value, onChange, min }: { id: string; label: string; value: string; onChange: (v: string) => void; min: number }) {
  const length = value.trim().length;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} value={value} onChange={(e) => onChange(e.target.value)} maxLength={5000} aria-describedby={`${id}-hint`} />
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
}: {
  name: string;
  prompt: string;
  options: string[];
  value: string;
  onChange: (v: string) => void;
}) {
  return (
    <fieldset className="field" style={{ border: 0, padding: 0, margin: 0 }}>
      <legend className="label">{prompt}</legend>
      {options.map((option) => (
        <label key={option} className="row" style={{ fontWeight: 400 }}>
          <input type="radio" name={name} value={option} checked={value === option} onChange={() => onChange(option)} />
          {option}
        </label>
      ))}
    </fieldset>
  );
}
