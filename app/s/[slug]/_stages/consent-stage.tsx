'use client';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '~/app/_trpc/client';
import { ConfirmPrompt, ErrorAlert, StageHeading } from './common';
import type { StageProps } from './types';
import { useRefreshState } from './use-stage-mutation';

export function ConsentStage({ slug, state }: StageProps) {
  const trpc = useTRPC();
  const refresh = useRefreshState(slug);
  const consent = useMutation(trpc.participant.consent.mutationOptions({ onSuccess: refresh }));
  // Declining ends the study for good, so it is asked once more (a mis-tap on a phone must not end it).
  const [confirmDecline, setConfirmDecline] = useState(false);
  const answer = (accept: boolean) => consent.mutate({ slug, accept, consentVersion: state.study.consent.version });
  return (
    <section className="card stack" aria-labelledby="consent-title">
      <StageHeading id="consent-title">Consent</StageHeading>
      <div className="p-prewrap" tabIndex={0} style={{ maxHeight: '50vh', overflowY: 'auto' }}>
        {state.study.consent.text}
      </div>
      <p className="small muted">Consent form version {state.study.consent.version}</p>
      <ErrorAlert error={consent.error} />
      {confirmDecline ? (
        <ConfirmPrompt
          title="Do you want to end the study here?"
          body="If you do not agree, the study ends now and you cannot come back to it. You will get a code to return to the platform."
          confirmLabel="Yes, I do not agree"
          cancelLabel="Go back to the consent form"
          danger
          busy={consent.isPending}
          onConfirm={() => answer(false)}
          onCancel={() => setConfirmDecline(false)}
        />
      ) : (
        <div className="row">
          <button type="button" className="btn btn-primary" disabled={consent.isPending} onClick={() => answer(true)}>
            I agree to take part
          </button>
          <button type="button" className="btn" disabled={consent.isPending} onClick={() => setConfirmDecline(true)}>
            I do not agree
          </button>
        </div>
      )}
    </section>
  );
}
