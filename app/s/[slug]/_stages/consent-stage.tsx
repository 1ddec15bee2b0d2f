'use client';
import { useMutation } from '@tanstack/react-query';
import { useTRPC } from '~/app/_trpc/client';
import { ErrorAlert } from './common';
import type { StageProps } from './types';
import { useRefreshState } from './use-stage-mutation';

export function ConsentStage({ slug, state }: StageProps) {
  const trpc = useTRPC();
  const refresh = useRefreshState(slug);
  const consent = useMutation(trpc.participant.consent.mutationOptions({ onSuccess: refresh }));
  const answer = (accept: boolean) => consent.mutate({ slug, accept, consentVersion: state.study.consent.version });
  return (
    <section className="card stack" aria-labelledby="consent-title">
      <h1 id="consent-title">Consent</h1>
      <div className="p-prewrap" tabIndex={0} style={{ maxHeight: '50vh', overflowY: 'auto' }}>
        {state.study.consent.text}
      </div>
      <p className="small muted">Consent form version {state.study.consent.version}</p>
      <ErrorAlert error={consent.error} />
      <div className="row">
        <button type="button" className="btn btn-primary" disabled={consent.isPending} onClick={() => answer(true)}>
          I agree to take part
        </button>
        <button type="button" className="btn" disabled={consent.isPending} onClick={() => answer(false)}>
          I do not agree
        </button>
      </div>
    </section>
  );
}
