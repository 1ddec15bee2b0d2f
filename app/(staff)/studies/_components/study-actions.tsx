'use client';
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '~/app/_trpc/client';
import { trpcErrorMessage } from '~/app/_components/trpc-error';
import type { StudyStatus } from '~/server/studies/service';
import type { StudyConfig } from '~/server/studies/config';
import { launchChecklist } from '~/server/studies/launch-checklist';

/** Launch (after a checklist), publish a new version, pause/resume/close. */
export function StudyActions({
  studyId,
  slug,
  status,
  launched,
  hasUnpublishedChanges,
  draftConfig,
}: {
  studyId: string;
  slug: string;
  status: StudyStatus;
  launched: boolean;
  hasUnpublishedChanges: boolean;
  draftConfig: StudyConfig;
}) {
  const [confirmingLaunch, setConfirmingLaunch] = useState(false);
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
          <button className="btn btn-primary" type="button" disabled={confirmingLaunch} onClick={() => setConfirmingLaunch(true)}>
            Launch study…
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
      </div>
      {status === 'draft' && confirmingLaunch && (
        <LaunchConfirmation
          config={draftConfig}
          pending={launch.isPending}
          onCancel={() => setConfirmingLaunch(false)}
          onLaunch={() => launch.mutate({ studyId })}
        />
      )}
      {status === 'draft' && (
        <p className="small muted" style={{ margin: 0 }}>
          Launching freezes the setup as version 1 and opens <span className="mono">/s/{slug}</span> to participants.
        </p>
      )}
      {launched && status !== 'closed' && hasUnpublishedChanges && <PublishVersionForm studyId={studyId} />}
    </div>
  );
}

/** The pre-launch checklist and the explicit confirmation: a launch cannot be undone. */
function LaunchConfirmation({
  config,
  pending,
  onCancel,
  onLaunch,
}: {
  config: StudyConfig;
  pending: boolean;
  onCancel: () => void;
  onLaunch: () => void;
}) {
  const items = launchChecklist(config);
  return (
    <section className="stack alert" role="dialog" aria-modal="false" aria-labelledby="launch-checklist-heading">
      <h3 id="launch-checklist-heading" style={{ margin: 0 }}>
        Before you launch
      </h3>
      {items.length === 0 ? (
        <p className="alert alert-ok" style={{ margin: 0 }}>
          Nothing to check: real models on every arm, your own completion codes and consent text, and distinct arms.
        </p>
      ) : (
        <ul aria-label="Launch checklist" className="stack" style={{ margin: 0 }}>
          {items.map((item, i) => (
            <li key={i} className="alert-warn" data-check={item.id}>
              {item.message}
            </li>
          ))}
        </ul>
      )}
      <p className="small" style={{ margin: 0 }}>
        Launching freezes this setup as version 1 and opens the study to participants. Later changes need a new version.
      </p>
      <div className="row">
        <button className="btn btn-primary" type="button" disabled={pending} onClick={onLaunch}>
          {pending ? 'Launching…' : items.length ? 'Launch anyway' : 'Launch now'}
        </button>
        <button className="btn" type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </section>
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
