'use client';
/** The ending: the completion code, then (only now that everything is stored) the way back to the platform. */
import { useEffect, useRef, useState } from 'react';
import { StageHeading } from './common';
import type { ParticipantState } from './types';
import { isSafeExternalUrl } from '~/server/lib/safe-url';

const PROLIFIC_REDIRECT_SECONDS = 5;

const HEADINGS: Record<NonNullable<ParticipantState['outcome']>, string> = {
  completed: 'Thank you! You have completed the study.',
  no_consent: 'You chose not to take part.',
  failed_checks: 'Thank you for your time.',
  timed_out: 'The time for this study is up.',
};

const EXPLANATIONS: Record<NonNullable<ParticipantState['outcome']>, string> = {
  completed: 'Your answers have been saved.',
  no_consent: 'Nothing else will be recorded. Please use the code below so the platform knows you did not take part.',
  failed_checks: 'Your answers have been saved. Please use the code below when you return to the platform.',
  timed_out: 'What you did so far has been saved. Please use the code below when you return to the platform.',
};

export function DoneStage({ state }: { state: ParticipantState }) {
  const completion = state.completion;
  const outcome = state.outcome ?? 'completed';
  // The server only hands out https URLs; checked again so no other scheme can ever reach window.location.
  const given = completion?.redirect ?? null;
  const redirect =
    given?.kind === 'prolific' && !isSafeExternalUrl(given.url)
      ? null
      : given?.kind === 'mturk' && !isSafeExternalUrl(given.action)
        ? null
        : given;
  const [seconds, setSeconds] = useState(PROLIFIC_REDIRECT_SECONDS);
  const form = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (redirect?.kind !== 'prolific') return;
    if (seconds <= 0) {
      window.location.assign(redirect.url);
      return;
    }
    const t = window.setTimeout(() => setSeconds((s) => s - 1), 1000);
    return () => window.clearTimeout(t);
  }, [redirect, seconds]);

  return (
    <section className="card stack" aria-labelledby="done-title">
      <StageHeading id="done-title">{HEADINGS[outcome]}</StageHeading>
      <p>{EXPLANATIONS[outcome]}</p>
      {completion ? (
        <div className="stack">
          <div className="label">Your completion code</div>
          <p className="mono" style={{ fontSize: '1.4rem' }} aria-label="Completion code">
            {completion.code}
          </p>
        </div>
      ) : null}
      {redirect?.kind === 'prolific' ? (
        <p>
          <a className="btn btn-primary" href={redirect.url}>
            Return to Prolific
          </a>{' '}
          <span className="muted small" role="status">
            {seconds > 0 ? `Taking you back to Prolific in ${seconds} s…` : 'Taking you back to Prolific…'}
          </span>
        </p>
      ) : null}
      {redirect?.kind === 'mturk' ? (
        <form ref={form} method="POST" action={redirect.action}>
          <input type="hidden" name="assignmentId" value={redirect.assignmentId} />
          <input type="hidden" name="completionCode" value={completion?.code ?? ''} />
          <button type="submit" className="btn btn-primary">
            Submit the HIT on MTurk
          </button>
        </form>
      ) : null}
      {!redirect && completion && outcome !== 'no_consent' ? <p className="muted small">You can close this page now.</p> : null}
    </section>
  );
}
