'use client';
/**
 * The study setup form: every field of StudyConfig, validated live with the shared zod schema
 * (server/studies/config.ts), so the browser shows the same rules the server enforces.
 * Field ids are "f-" + the config path joined by "-", which lets the error summary link to them.
 * This file holds the form's state, validation and saving; each section lives in ./study-config/.
 */
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useMemo, useState, type FormEvent } from 'react';
import { useTRPC } from '~/app/_trpc/client';
import { studyConfigSchema, type StudyConfig } from '~/server/studies/config';
import { studyNameSchema } from '~/server/studies/schemas';
import type { StudyStatus } from '~/server/studies/service';
import { PublishVersionForm } from './study-actions';
import { issuesToErrors, type FieldErrors as Errors } from '~/server/studies/form-errors';
import { pathKey, type ConnectionChoice, type Path } from './study-config/editor-shared';
import { useUnsavedChangesGuard } from './study-config/use-unsaved-changes-guard';
import { ConsentSection, GeneralSection, InstructionsSection } from './study-config/intro-sections';
import { DocumentTypesSection, TopicQuestionsSection, TopicsSection } from './study-config/topic-sections';
import { ArmsSection } from './study-config/arms-section';
import { AssignmentSection } from './study-config/assignment-section';
import { FlowLimitsSection } from './study-config/flow-limits-section';
import { AttentionChecksSection, BlindingSection, CompletionSection } from './study-config/end-of-study-sections';
import { SaveBar } from './study-config/save-bar';

export type { ConnectionChoice } from './study-config/editor-shared';

export function StudyConfigEditor(props: {
  studyId: string;
  initialName: string;
  initialConfig: StudyConfig;
  connections: ConnectionChoice[];
  readOnly: boolean;
  readOnlyReason: string;
  launched: boolean;
  status: StudyStatus;
  hasUnpublishedChanges: boolean;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [name, setName] = useState(props.initialName);
  const [config, setConfig] = useState<StudyConfig>(props.initialConfig);
  const [showErrors, setShowErrors] = useState(false);
  const [dirty, setDirty] = useState(false);
  const [savedAt, setSavedAt] = useState<Date | null>(null);

  const parsed = useMemo(() => studyConfigSchema.safeParse(config), [config]);
  const nameResult = studyNameSchema.safeParse(name);
  const allErrors: Errors = {
    ...(parsed.success ? {} : issuesToErrors(parsed.error.issues)),
    ...(nameResult.success ? {} : { studyName: nameResult.error.issues[0]?.message ?? 'invalid' }),
  };
  const errors = showErrors ? allErrors : {};

  const save = useMutation(
    trpc.studies.updateDraft.mutationOptions({
      onSuccess: () => {
        setDirty(false);
        setSavedAt(new Date());
        router.refresh();
      },
    }),
  );

  useUnsavedChangesGuard(dirty);

  function update(mutate: (draft: StudyConfig) => void) {
    setConfig((prev) => {
      const next = structuredClone(prev);
      mutate(next);
      return next;
    });
    setDirty(true);
    setSavedAt(null);
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setShowErrors(true);
    if (!parsed.success || !nameResult.success) {
      document.getElementById('setup-error-summary')?.focus();
      return;
    }
    save.mutate({ studyId: props.studyId, name: nameResult.data, config: parsed.data });
  }

  const err = (path: Path) => errors[pathKey(path)];
  const f = { config, err, update };

  return (
    <div className="stack">
      <form onSubmit={onSubmit} noValidate className="stack" aria-label="Study setup">
        {props.readOnly && <div className="alert">{props.readOnlyReason}</div>}
        {props.launched && !props.readOnly && (
          <div className="alert alert-warn">
            Saving changes the draft only. Participants keep getting the published version until you publish a new version.
          </div>
        )}
        <fieldset disabled={props.readOnly} style={{ border: 0, padding: 0, margin: 0 }} className="stack">
          <GeneralSection
            {...f}
            name={name}
            nameError={errors.studyName}
            onNameChange={(v) => {
              setName(v);
              setDirty(true);
            }}
          />
          <ConsentSection {...f} />
          <InstructionsSection {...f} />
          <DocumentTypesSection {...f} />
          <TopicsSection {...f} />
          <TopicQuestionsSection {...f} />
          <ArmsSection {...f} connections={props.connections} />
          <AssignmentSection {...f} />
          <FlowLimitsSection {...f} />
          <BlindingSection {...f} errors={errors} />
          <AttentionChecksSection {...f} errors={errors} />
          <CompletionSection {...f} />
        </fieldset>

        {!props.readOnly && (
          <SaveBar
            showErrors={showErrors}
            allErrors={allErrors}
            saveError={save.error}
            isPending={save.isPending}
            launched={props.launched}
            savedAt={savedAt}
            dirty={dirty}
          />
        )}
      </form>
      {/* Outside the setup form: forms cannot nest. */}
      {!props.readOnly && props.launched && props.status !== 'closed' && props.hasUnpublishedChanges && !dirty && (
        <div className="card">
          <PublishVersionForm studyId={props.studyId} />
        </div>
      )}
    </div>
  );
}
