'use client';
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '~/app/_trpc/client';
import { trpcErrorMessage } from '~/app/_components/trpc-error';
import type { StudyStatus } from '~/server/studies/service';

/** Launch, publish a new version, pause/resume/close, and preview. */
export function StudyActions({
  studyId,
  slug,
  status,
  launched,
  hasUnpublishedChanges,
}: {
  studyId: string;
  slug: string;
  status: StudyStatus;
  launched: boolean;
  hasUnpublishedChanges: boolean;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const refresh = { onSuccess: () => router.refresh() };
  const launch = useMutation(trpc.studies.launch.mutationOptions(refresh));
  const setStatus = useMutation(trpc.studies.setStatus.mutationOptions(refresh));
  const error = launch.error ?? setStatus.error;

  function confirmClose() {
    if (window.confirm('Close this study? New participants will be turned away, and it cannot be reopened.'))
      setStatus.mutate({ studyId, status: 'closed' });
  }

  return (
    <div className="card stack">
      {error && (
        <div className="alert alert-error" role="alert">
          {trpcErrorMessage(error)}
        </div>
      )}
      <div className="row">
        {status === 'draft' && (
          <button className="btn btn-primary" type="button" disabled={launch.isPending} onClick={() => launch.mutate({ studyId })}>
            {launch.isPending ? 'Launching…' : 'Launch study'}
          </button>
        )}
        {status === 'running' && (
          <button className="btn" type="button" disabled={setStatus.isPending} onClick={() => setStatus.mutate({ studyId, status: 'paused' })}>
            Pause recruitment
          </button>
        )}
        {status === 'paused' && (
          <button className="btn" type="button" disabled={setStatus.isPending} onClick={() => setStatus.mutate({ studyId, status: 'running' })}>
            Resume recruitment
          </button>
        )}
        {(status === 'running' || status === 'paused') && (
          <button className="btn btn-danger" type="button" disabled={setStatus.isPending} onClick={confirmClose}>
            Close study
          </button>
        )}
        <span className="spacer" />
        {launched ? (
          <a className="btn" href={`/s/${slug}?preview=1`} target="_blank" rel="noreferrer">
            Preview as participant
          </a>
        ) : (
          <span className="small muted">Preview becomes available once the study is launched.</span>
        )}
      </div>
      {status === 'draft' && (
        <p className="small muted" style={{ margin: 0 }}>
          Launching freezes the setup as version 1 and opens <span className="mono">/s/{slug}</span> to participants.
        </p>
      )}
      {launched && status !== 'closed' && hasUnpublishedChanges && <PublishVersionForm studyId={studyId} />}
    </div>
  );
}

/** "Publish new version": an explicit action with a note, so changes to a running study are on record. */
export function PublishVersionForm({ studyId }: { studyId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string | null>(null);
  const publish = useMutation(
    trpc.studies.publishVersion.mutationOptions({
      onSuccess: () => {
        setNote('');
        router.refresh();
      },
    }),
  );

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!note.trim()) {
      setNoteError('Say what changed, for the record.');
      return;
    }
    setNoteError(null);
    publish.mutate({ studyId, note: note.trim() });
  }

  return (
    <form className="stack" onSubmit={onSubmit} noValidate aria-label="Publish new version">
      <div className="alert alert-warn">
        The draft differs from the version participants get. New participants receive it only after you publish; people
        already in the study keep their version.
      </div>
      {publish.error && (
        <div className="alert alert-error" role="alert">
          {trpcErrorMessage(publish.error)}
        </div>
      )}
      <div className="field">
        <label htmlFor={`publish-note-${studyId}`}>What changed?</label>
        <input
          id={`publish-note-${studyId}`}
          type="text"
          value={note}
          onChange={(e) => setNote(e.target.value)}
          aria-invalid={!!noteError}
        />
        {noteError && <span className="error">{noteError}</span>}
      </div>
      <div className="row">
        <button className="btn btn-primary" type="submit" disabled={publish.isPending}>
          {publish.isPending ? 'Publishing…' : 'Publish new version'}
        </button>
      </div>
    </form>
  );
}
