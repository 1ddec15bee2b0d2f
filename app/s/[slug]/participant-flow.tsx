'use client';
/**
 * The participant's session: creates or resumes it (enter), then shows the current stage from the
 * server's state. The server decides every transition; this component only renders and reports presence.
 * Several tabs of one session converge on the server's state (use-tab-sync.ts).
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTRPC } from '~/app/_trpc/client';
import { DemoBadge, ErrorAlert } from './_stages/common';
import { ConsentStage } from './_stages/consent-stage';
import { InstructionsStage } from './_stages/instructions-stage';
import { SetupStage } from './_stages/setup-stage';
import { ChatStage } from './_stages/chat-stage';
import { SurveyStage } from './_stages/survey-stage';
import { DoneStage } from './_stages/done-stage';
import { useHeartbeat } from './_stages/use-heartbeat';
import { useTabSync } from './_stages/use-tab-sync';
import './participant.css';

export function ParticipantFlow({ slug, query, isPreview }: { slug: string; query: Record<string, string>; isPreview: boolean }) {
  const trpc = useTRPC();
  const enter = useMutation(trpc.participant.enter.mutationOptions());
  const entered = useRef(false);
  useEffect(() => {
    // One enter per page load (React may run effects twice in development).
    if (entered.current) return;
    entered.current = true;
    enter.mutate(
      { slug, query },
      {
        // A reload after "Restart preview" resumes the new session instead of restarting again.
        onSuccess: () => {
          if (!query.restart) return;
          const url = new URL(window.location.href);
          url.searchParams.delete('restart');
          window.history.replaceState(null, '', url);
        },
      },
    );
  }, [enter, slug, query]);

  // The periodic refetch brings a participant who ran out of time to the timed-out ending without an action.
  const state = useQuery({
    ...trpc.participant.state.queryOptions({ slug }),
    enabled: enter.isSuccess,
    staleTime: 0,
    retry: 1,
    refetchInterval: 60_000,
  });
  const stage = state.data?.stage;
  useHeartbeat(slug, enter.isSuccess && stage !== undefined && stage !== 'done');
  useTabSync(slug, enter.isSuccess);

  if (enter.isError) {
    return (
      <main className="narrow stack">
        <ErrorAlert error={enter.error} />
        <button type="button" className="btn" onClick={() => enter.mutate({ slug, query })}>
          Try again
        </button>
      </main>
    );
  }
  if (state.isError) {
    return (
      <main className="narrow stack">
        <ErrorAlert error={state.error} />
        <button type="button" className="btn" onClick={() => void state.refetch()}>
          Try again
        </button>
      </main>
    );
  }
  if (!state.data) {
    return (
      <main className="narrow">
        <p className="muted" role="status">
          Loading the study…
        </p>
      </main>
    );
  }
  const s = state.data;
  const banner = (
    <>
      {isPreview || s.isPreview ? (
        <div className="alert alert-warn small row" role="note">
          <span>
            Researcher preview{query.preview === 'draft' ? ' of the unpublished draft' : ''}
            {query.arm ? `, arm "${query.arm}"` : ''}: this session is not counted.
          </span>
          <span className="spacer" />
          <a className="btn" href={restartPreviewHref(query)}>
            Restart preview
          </a>
        </div>
      ) : null}
    </>
  );
  if (s.stage === 'chat' && s.chat) {
    return (
      <>
        {banner}
        <ChatStage slug={slug} state={s} />
      </>
    );
  }
  return (
    <main className="narrow stack p-main">
      {banner}
      <div className="row p-study-line">
        <span className="muted small">{s.study.title}</span>
        <span className="spacer" />
        {s.study.usesDemoModel ? <DemoBadge /> : null}
      </div>
      <StageProgress stage={s.stage} />
      {s.stage === 'consent' ? <ConsentStage slug={slug} state={s} /> : null}
      {s.stage === 'instructions' ? <InstructionsStage slug={slug} state={s} /> : null}
      {s.stage === 'setup' ? <SetupStage slug={slug} state={s} /> : null}
      {s.stage === 'survey' ? <SurveyStage slug={slug} state={s} /> : null}
      {s.stage === 'done' ? <DoneStage state={s} /> : null}
    </main>
  );
}

/** The same preview (draft or published, same arm) as a fresh session. */
function restartPreviewHref(query: Record<string, string>): string {
  const params = new URLSearchParams(query);
  params.set('restart', String(Date.now()));
  return `?${params.toString()}`;
}

const STEPS = ['consent', 'instructions', 'setup', 'chat', 'survey', 'done'] as const;

function StageProgress({ stage }: { stage: (typeof STEPS)[number] }) {
  const index = STEPS.indexOf(stage);
  const percent = Math.round((index / (STEPS.length - 1)) * 100);
  return (
    <div className="progress" role="progressbar" aria-label="Study progress" aria-valuenow={percent} aria-valuemin={0} aria-valuemax={100}>
      <div style={{ width: `${percent}%` }} />
    </div>
  );
}
