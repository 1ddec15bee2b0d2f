'use client';
import { useMutation } from '@tanstack/react-query';
import { useTRPC } from '~/app/_trpc/client';
import { ErrorAlert, StageHeading } from './common';
import type { StageProps } from './types';
import { useRefreshState } from './use-stage-mutation';

export function InstructionsStage({ slug, state }: StageProps) {
  const trpc = useTRPC();
  const refresh = useRefreshState(slug);
  const next = useMutation(trpc.participant.finishInstructions.mutationOptions({ onSuccess: refresh }));
  return (
    <section className="card stack" aria-labelledby="instructions-title">
      <StageHeading id="instructions-title">Instructions</StageHeading>
      <div className="p-prewrap">{state.study.instructions}</div>
      <ul className="small muted">
        <li>You will chat for at least {state.study.minTurns} turns, then answer a short survey.</li>
        <li>Every {state.study.ratingInterval} turns you will be asked to rate your experience so far.</li>
        <li>Please do not share personal information such as your name, address or contact details.</li>
        <li>You have {state.study.timeLimitMinutes} minutes in total.</li>
      </ul>
      <ErrorAlert error={next.error} />
      <div>
        <button type="button" className="btn btn-primary" disabled={next.isPending} onClick={() => next.mutate({ slug })}>
          Continue
        </button>
      </div>
    </section>
  );
}
