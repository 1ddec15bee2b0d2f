'use client';
/**
 * The study setup form: every field of StudyConfig, validated live with the shared zod schema
 * (server/studies/config.ts), so the browser shows the same rules the server enforces.
 * Field ids are "f-" + the config path joined by "-", which lets the error summary link to them.
 */
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { useTRPC } from '~/app/_trpc/client';
import { trpcErrorMessage } from '~/app/_components/trpc-error';
import { demoStyles, isFixedChoiceQuestion, studyConfigSchema, type ArmConfig, type StudyConfig } from '~/server/studies/config';
import { studyNameSchema } from '~/server/studies/schemas';
import { starterArm } from '~/server/studies/template';
import { ArmModeFields } from '~/app/_components/arm-mode-fields';
import { PresetArmsPicker } from '~/app/_components/preset-arms-picker';
import { TrainedModelArmPicker } from '~/app/_components/trained-model-arm-picker';
import type { StudyStatus } from '~/server/studies/service';
import { PublishVersionForm } from './study-actions';
import { describeFieldPath, issuesToErrors, type FieldErrors as Errors } from '~/server/studies/form-errors';

type Path = (string | number)[];

const fieldId = (path: Path) => `f-${path.join('-')}`;
const pathKey = (path: Path) => path.join('.');

export interface ConnectionChoice {
  id: string;
  name: string;
  defaultModel: string;
}

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
  const errorCount = Object.keys(allErrors).length;

  const save = useMutation(
    trpc.studies.updateDraft.mutationOptions({
      onSuccess: () => {
        setDirty(false);
        setSavedAt(new Date());
        router.refresh();
      },
    }),
  );

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    // In-app links (the study's tabs, the top navigation) change pages without unloading, so beforeunload never
    // fires for them: ask on the click itself, in the capture phase, before Next's <Link> handler sees it.
    const guardLinks = (e: MouseEvent) => {
      if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      const link = (e.target as Element | null)?.closest?.('a[href]');
      if (!(link instanceof HTMLAnchorElement) || link.target === '_blank' || link.origin !== window.location.origin) return;
      if (link.pathname === window.location.pathname && link.search === window.location.search) return;
      if (window.confirm('You have unsaved changes to the setup. Leave this page without saving them?')) return;
      e.preventDefault();
      e.stopPropagation();
    };
    window.addEventListener('beforeunload', warn);
    document.addEventListener('click', guardLinks, true);
    return () => {
      window.removeEventListener('beforeunload', warn);
      document.removeEventListener('click', guardLinks, true);
    };
  }, [dirty]);

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
  const f = { err, update };

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
          <Section title="General">
            <TextField id="f-studyName" label="Study name (researchers only)" value={name} error={errors.studyName} onChange={(v) => { setName(v); setDirty(true); }} />
            <TextField id={fieldId(['title'])} label="Title shown to participants" value={config.title} error={err(['title'])} onChange={(v) => update((c) => void (c.title = v))} />
          </Section>

          <Section title="Consent">
            <TextField id={fieldId(['consent', 'version'])} label="Consent version" hint="Recorded with each participant's consent; change it when the text changes." value={config.consent.version} error={err(['consent', 'version'])} onChange={(v) => update((c) => void (c.consent.version = v))} />
            <TextField id={fieldId(['consent', 'text'])} label="Consent text" multiline rows={8} value={config.consent.text} error={err(['consent', 'text'])} onChange={(v) => update((c) => void (c.consent.text = v))} />
            <label className="row small" htmlFor={fieldId(['consentPromisesAnonymisedData'])}>
              <input
                id={fieldId(['consentPromisesAnonymisedData'])}
                type="checkbox"
                checked={config.consentPromisesAnonymisedData !== false}
                onChange={(e) => update((c) => void (c.consentPromisesAnonymisedData = e.target.checked))}
              />
              The consent promises anonymised data (exports replace Prolific/MTurk ids with pseudonyms; only admins can export raw ids)
            </label>
          </Section>

          <Section title="Instructions">
            <TextField id={fieldId(['instructions'])} label="Instructions" multiline rows={6} value={config.instructions} error={err(['instructions'])} onChange={(v) => update((c) => void (c.instructions = v))} />
          </Section>

          <ListSection
            title="Document types"
            hint="Each participant is randomly given one of these."
            error={err(['documentTypes'])}
            id={fieldId(['documentTypes'])}
            addLabel="Add document type"
            onAdd={() => update((c) => void c.documentTypes.push({ key: `type-${c.documentTypes.length + 1}`, label: '', description: '' }))}
          >
            {config.documentTypes.map((d, i) => (
              <Item key={i} legend={`Document type ${i + 1}`} onRemove={() => update((c) => void c.documentTypes.splice(i, 1))}>
                <div className="row" style={{ alignItems: 'flex-start' }}>
                  <TextField id={fieldId(['documentTypes', i, 'key'])} label="Key" value={d.key} error={err(['documentTypes', i, 'key'])} onChange={(v) => update((c) => void (c.documentTypes[i]!.key = v))} />
                  <TextField id={fieldId(['documentTypes', i, 'label'])} label="Label" value={d.label} error={err(['documentTypes', i, 'label'])} onChange={(v) => update((c) => void (c.documentTypes[i]!.label = v))} />
                </div>
                <TextField id={fieldId(['documentTypes', i, 'description'])} label="Description" value={d.description} error={err(['documentTypes', i, 'description'])} onChange={(v) => update((c) => void (c.documentTypes[i]!.description = v))} />
              </Item>
            ))}
          </ListSection>

          <ListSection
            title="Topics"
            hint="Participants choose one."
            error={err(['topics'])}
            id={fieldId(['topics'])}
            addLabel="Add topic"
            onAdd={() => update((c) => void c.topics.push({ id: `topic-${c.topics.length + 1}`, label: '' }))}
          >
            {config.topics.map((t, i) => (
              <Item key={i} legend={`Topic ${i + 1}`} onRemove={() => update((c) => void c.topics.splice(i, 1))}>
                <div className="row" style={{ alignItems: 'flex-start' }}>
                  <TextField id={fieldId(['topics', i, 'id'])} label="Id" value={t.id} error={err(['topics', i, 'id'])} onChange={(v) => update((c) => void (c.topics[i]!.id = v))} />
                  <TextField id={fieldId(['topics', i, 'label'])} label="Label" value={t.label} error={err(['topics', i, 'label'])} onChange={(v) => update((c) => void (c.topics[i]!.label = v))} />
                </div>
              </Item>
            ))}
          </ListSection>

          <ListSection
            title="Topic questions"
            hint="Asked before the chat; the answers are never shown to the assistant."
            error={err(['topicQuestions'])}
            id={fieldId(['topicQuestions'])}
            addLabel="Add topic question"
            onAdd={() => update((c) => void c.topicQuestions.push({ id: `q-${c.topicQuestions.length + 1}`, prompt: '', placeholder: '' }))}
          >
            {config.topicQuestions.map((q, i) => (
              <Item key={i} legend={`Topic question ${i + 1}`} onRemove={() => update((c) => void c.topicQuestions.splice(i, 1))}>
                <div className="row" style={{ alignItems: 'flex-start' }}>
                  <TextField id={fieldId(['topicQuestions', i, 'id'])} label="Id" value={q.id} error={err(['topicQuestions', i, 'id'])} onChange={(v) => update((c) => void (c.topicQuestions[i]!.id = v))} />
                  <TextField id={fieldId(['topicQuestions', i, 'placeholder'])} label="Placeholder" value={q.placeholder} error={err(['topicQuestions', i, 'placeholder'])} onChange={(v) => update((c) => void (c.topicQuestions[i]!.placeholder = v))} />
                </div>
                <TextField id={fieldId(['topicQuestions', i, 'prompt'])} label="Question" value={q.prompt} error={err(['topicQuestions', i, 'prompt'])} onChange={(v) => update((c) => void (c.topicQuestions[i]!.prompt = v))} />
                <LinesField
                  id={fieldId(['topicQuestions', i, 'options'])}
                  label="Answer options (one per line; empty = free text)"
                  hint="With two or more options the participant picks one, and the question can be used to stratify assignment."
                  value={q.options ?? []}
                  error={err(['topicQuestions', i, 'options'])}
                  onChange={(v) => update((c) => void (c.topicQuestions[i]!.options = v.length ? v : undefined))}
                />
              </Item>
            ))}
          </ListSection>

          <ListSection
            title="Arms"
            hint="Each participant is randomly assigned one arm, in proportion to its weight. Arm keys and models are never shown to participants."
            error={err(['arms'])}
            id={fieldId(['arms'])}
            addLabel="Add arm"
            onAdd={() => update((c) => void c.arms.push(starterArm(`arm-${c.arms.length + 1}`, { label: `Arm ${c.arms.length + 1}` })))}
          >
            {config.arms.map((arm, i) => (
              <ArmEditor key={i} index={i} arm={arm} connections={props.connections} {...f} />
            ))}
            <PresetArmsPicker
              connections={props.connections}
              onAdd={(arms) =>
                update((c) => {
                  for (const arm of arms) {
                    let key = arm.key;
                    for (let n = 2; c.arms.some((a) => a.key === key); n++) key = `${arm.key}-${n}`;
                    c.arms.push({ ...arm, key });
                  }
                })
              }
            />
            <TrainedModelArmPicker
              id="study-trained-model"
              onAdd={(trained) =>
                update((c) => {
                  let key = 'trained';
                  for (let n = 2; c.arms.some((a) => a.key === key); n++) key = `trained-${n}`;
                  c.arms.push(starterArm(key, { label: trained.label, connectionId: trained.connectionId, model: trained.model, systemPrompt: '' }));
                })
              }
            />
          </ListSection>

          <Section title="Assignment">
            <SelectField
              id={fieldId(['stratification', 'questionId'])}
              label="Balance arms within"
              hint="Off by default. Stratified: permuted blocks per stratum (document type, or the answer to a topic question with fixed options; then the arm is assigned after that answer)."
              value={stratificationValue(config)}
              options={stratificationChoices(config)}
              error={err(['stratification', 'questionId']) ?? err(['stratification'])}
              onChange={(v) => update((c) => void (c.stratification = parseStratificationValue(v)))}
            />
          </Section>

          <Section title="Flow and limits">
            <Grid>
              <NumberField id={fieldId(['minTurns'])} label="Minimum turns" value={config.minTurns} error={err(['minTurns'])} onChange={(v) => update((c) => void (c.minTurns = v))} />
              <NumberField id={fieldId(['maxTurns'])} label="Maximum turns" value={config.maxTurns} error={err(['maxTurns'])} onChange={(v) => update((c) => void (c.maxTurns = v))} />
              <NumberField id={fieldId(['ratingInterval'])} label="Rating every N turns" value={config.ratingInterval} error={err(['ratingInterval'])} onChange={(v) => update((c) => void (c.ratingInterval = v))} />
              <NumberField id={fieldId(['maxMessageChars'])} label="Longest message (characters)" value={config.maxMessageChars} error={err(['maxMessageChars'])} onChange={(v) => update((c) => void (c.maxMessageChars = v))} />
              <NumberField id={fieldId(['messagesPerMinute'])} label="Messages per minute" value={config.messagesPerMinute} error={err(['messagesPerMinute'])} onChange={(v) => update((c) => void (c.messagesPerMinute = v))} />
              <NumberField id={fieldId(['timeLimitMinutes'])} label="Time limit (minutes)" value={config.timeLimitMinutes} error={err(['timeLimitMinutes'])} onChange={(v) => update((c) => void (c.timeLimitMinutes = v))} />
              <NumberField id={fieldId(['inactiveAfterMinutes'])} label="Inactive after (minutes)" hint="Silent participants stop counting toward arm balance." value={config.inactiveAfterMinutes} error={err(['inactiveAfterMinutes'])} onChange={(v) => update((c) => void (c.inactiveAfterMinutes = v))} />
              <NumberField id={fieldId(['minFreeTextChars'])} label="Shortest free-text answer" value={config.minFreeTextChars} error={err(['minFreeTextChars'])} onChange={(v) => update((c) => void (c.minFreeTextChars = v))} />
            </Grid>
          </Section>

          <Section title="Blinding question">
            <LinesField
              id={fieldId(['blindingOptions'])}
              label="Answer options (one per line)"
              hint="Asked at the end: which assistant do you think you had?"
              value={config.blindingOptions}
              error={err(['blindingOptions']) ?? firstChildError(errors, 'blindingOptions')}
              onChange={(v) => update((c) => void (c.blindingOptions = v))}
            />
          </Section>

          <ListSection
            title="Attention checks"
            hint="Instructed-response items in the final survey."
            error={err(['attentionChecks'])}
            id={fieldId(['attentionChecks'])}
            addLabel="Add attention check"
            onAdd={() =>
              update((c) =>
                void c.attentionChecks.push({ id: `check-${c.attentionChecks.length + 1}`, prompt: '', options: ['Yes', 'No'], correctOption: 'Yes' }),
              )
            }
          >
            {config.attentionChecks.length === 0 && <p className="small muted">No attention checks.</p>}
            {config.attentionChecks.map((check, i) => (
              <Item key={i} legend={`Attention check ${i + 1}`} onRemove={() => update((c) => void c.attentionChecks.splice(i, 1))}>
                <TextField id={fieldId(['attentionChecks', i, 'id'])} label="Id" value={check.id} error={err(['attentionChecks', i, 'id'])} onChange={(v) => update((c) => void (c.attentionChecks[i]!.id = v))} />
                <TextField id={fieldId(['attentionChecks', i, 'prompt'])} label="Prompt" value={check.prompt} error={err(['attentionChecks', i, 'prompt'])} onChange={(v) => update((c) => void (c.attentionChecks[i]!.prompt = v))} />
                <LinesField
                  id={fieldId(['attentionChecks', i, 'options'])}
                  label="Options (one per line)"
                  value={check.options}
                  error={err(['attentionChecks', i, 'options']) ?? firstChildError(errors, `attentionChecks.${i}.options`)}
                  onChange={(v) => update((c) => void (c.attentionChecks[i]!.options = v))}
                />
                <SelectField
                  id={fieldId(['attentionChecks', i, 'correctOption'])}
                  label="Correct option"
                  value={check.correctOption}
                  options={check.options.filter(Boolean).map((o) => ({ value: o, label: o }))}
                  error={err(['attentionChecks', i, 'correctOption'])}
                  onChange={(v) => update((c) => void (c.attentionChecks[i]!.correctOption = v))}
                />
              </Item>
            ))}
          </ListSection>

          <Section title="Completion">
            <p className="small muted" style={{ margin: 0 }}>
              The code each participant receives at the end, by outcome. On Prolific the participant is sent to the completion URL
              with <span className="mono">{'{code}'}</span> replaced by the code.
            </p>
            <Grid>
              <TextField id={fieldId(['completionCodes', 'completed'])} label="Code: completed" value={config.completionCodes.completed} error={err(['completionCodes', 'completed'])} onChange={(v) => update((c) => void (c.completionCodes.completed = v))} />
              <TextField id={fieldId(['completionCodes', 'noConsent'])} label="Code: did not consent" value={config.completionCodes.noConsent} error={err(['completionCodes', 'noConsent'])} onChange={(v) => update((c) => void (c.completionCodes.noConsent = v))} />
              <TextField id={fieldId(['completionCodes', 'failedChecks'])} label="Code: failed attention checks" value={config.completionCodes.failedChecks} error={err(['completionCodes', 'failedChecks'])} onChange={(v) => update((c) => void (c.completionCodes.failedChecks = v))} />
              <TextField id={fieldId(['completionCodes', 'timedOut'])} label="Code: timed out" value={config.completionCodes.timedOut} error={err(['completionCodes', 'timedOut'])} onChange={(v) => update((c) => void (c.completionCodes.timedOut = v))} />
            </Grid>
            <TextField id={fieldId(['prolificCompletionUrl'])} label="Prolific completion URL" value={config.prolificCompletionUrl} error={err(['prolificCompletionUrl'])} onChange={(v) => update((c) => void (c.prolificCompletionUrl = v))} />
          </Section>
        </fieldset>

        {!props.readOnly && (
          <div className="card stack" style={{ position: 'sticky', bottom: 0, zIndex: 1 }}>
            {showErrors && errorCount > 0 && (
              <div id="setup-error-summary" className="alert alert-error" role="alert" tabIndex={-1}>
                <strong>
                  {errorCount === 1 ? 'One field needs attention' : `${errorCount} fields need attention`} before saving:
                </strong>
                <ul style={{ margin: '0.3rem 0 0', paddingLeft: '1.2rem' }}>
                  {Object.entries(allErrors)
                    .slice(0, 8)
                    .map(([key, message]) => (
                      <li key={key}>
                        <a href={`#${key === 'studyName' ? 'f-studyName' : `f-${key.replaceAll('.', '-')}`}`}>{describeFieldPath(key)}</a>: {message}
                      </li>
                    ))}
                </ul>
              </div>
            )}
            {save.error && (
              <div className="alert alert-error" role="alert">
                {trpcErrorMessage(save.error)}
              </div>
            )}
            <div className="row">
              <button className="btn btn-primary" type="submit" disabled={save.isPending}>
                {save.isPending ? 'Saving…' : props.launched ? 'Save draft' : 'Save setup'}
              </button>
              {savedAt && !dirty && (
                <span className="small" role="status" style={{ color: 'var(--ok)' }}>
                  Saved.
                </span>
              )}
              {dirty && <span className="small muted">Unsaved changes</span>}
            </div>
          </div>
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

function firstChildError(errors: Errors, prefix: string): string | undefined {
  const key = Object.keys(errors).find((k) => k.startsWith(`${prefix}.`));
  return key ? errors[key] : undefined;
}

function ArmEditor({
  index: i,
  arm,
  connections,
  err,
  update,
}: {
  index: number;
  arm: ArmConfig;
  connections: ConnectionChoice[];
  err: (path: Path) => string | undefined;
  update: (mutate: (draft: StudyConfig) => void) => void;
}) {
  const setArm = (mutate: (a: ArmConfig) => void) => update((c) => mutate(c.arms[i]!));
  const isDemo = arm.connectionId === null;
  const knownConnection = isDemo || connections.some((c) => c.id === arm.connectionId);
  return (
    <Item legend={`Arm ${i + 1}`} onRemove={() => update((c) => void c.arms.splice(i, 1))}>
      <Grid>
        <TextField id={fieldId(['arms', i, 'key'])} label="Key" hint="Used in data and exports." value={arm.key} error={err(['arms', i, 'key'])} onChange={(v) => setArm((a) => void (a.key = v))} />
        <TextField id={fieldId(['arms', i, 'label'])} label="Label" hint="For researchers." value={arm.label} error={err(['arms', i, 'label'])} onChange={(v) => setArm((a) => void (a.label = v))} />
        <NumberField id={fieldId(['arms', i, 'weight'])} label="Weight" value={arm.weight} error={err(['arms', i, 'weight'])} onChange={(v) => setArm((a) => void (a.weight = v))} />
      </Grid>
      <Grid>
        <SelectField
          id={fieldId(['arms', i, 'connectionId'])}
          label="Model source"
          value={arm.connectionId ?? ''}
          options={[
            { value: '', label: 'Offline demo model (no API needed)' },
            ...connections.map((c) => ({ value: c.id, label: `Connection: ${c.name}` })),
            ...(knownConnection ? [] : [{ value: arm.connectionId!, label: 'Deleted connection — choose another' }]),
          ]}
          error={err(['arms', i, 'connectionId'])}
          onChange={(v) =>
            setArm((a) => {
              const connection = connections.find((c) => c.id === v);
              a.connectionId = connection ? connection.id : null;
              if (connection) a.model = connection.defaultModel;
              else if (!(demoStyles as readonly string[]).includes(a.model)) a.model = 'baseline';
            })
          }
        />
        {isDemo ? (
          <SelectField
            id={fieldId(['arms', i, 'model'])}
            label="Model"
            value={arm.model}
            options={demoStyles.map((s) => ({ value: s, label: `Demo: ${s}` }))}
            error={err(['arms', i, 'model'])}
            onChange={(v) => setArm((a) => void (a.model = v))}
          />
        ) : (
          <TextField id={fieldId(['arms', i, 'model'])} label="Model" value={arm.model} error={err(['arms', i, 'model'])} onChange={(v) => setArm((a) => void (a.model = v))} />
        )}
      </Grid>
      <ArmModeFields
        idPrefix={fieldId(['arms', i, 'mode'])}
        value={arm}
        error={err(['arms', i, 'template', 'text']) ?? err(['arms', i, 'template'])}
        onChange={(next) =>
          setArm((a) => {
            a.mode = next.mode;
            a.template = next.template;
          })
        }
      />
      <TextField
        id={fieldId(['arms', i, 'systemPrompt'])}
        label="System prompt"
        hint={arm.mode === 'template' ? 'Optional: sent as a system message before the template.' : 'Leave empty for no system prompt (the plain base model).'}
        multiline
        rows={5}
        mono
        value={arm.systemPrompt}
        error={err(['arms', i, 'systemPrompt'])}
        onChange={(v) => setArm((a) => void (a.systemPrompt = v))}
      />
      <Grid>
        <NumberField id={fieldId(['arms', i, 'temperature'])} label="Temperature" step={0.05} value={arm.temperature} error={err(['arms', i, 'temperature'])} onChange={(v) => setArm((a) => void (a.temperature = v))} />
        <NumberField id={fieldId(['arms', i, 'topP'])} label="Top-p" step={0.05} value={arm.topP} error={err(['arms', i, 'topP'])} onChange={(v) => setArm((a) => void (a.topP = v))} />
        <NumberField id={fieldId(['arms', i, 'maxTokens'])} label="Max tokens" value={arm.maxTokens} error={err(['arms', i, 'maxTokens'])} onChange={(v) => setArm((a) => void (a.maxTokens = v))} />
      </Grid>
    </Item>
  );
}

function Grid({ children }: { children: ReactNode }) {
  return <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(180px, 1fr))', gap: '0.75rem', alignItems: 'start' }}>{children}</div>;
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="card stack" aria-labelledby={`section-${title}`}>
      <h2 id={`section-${title}`} style={{ margin: 0 }}>
        {title}
      </h2>
      {children}
    </section>
  );
}

function ListSection({
  title,
  hint,
  error,
  id,
  addLabel,
  onAdd,
  children,
}: {
  title: string;
  hint?: string;
  error?: string;
  id: string;
  addLabel: string;
  onAdd: () => void;
  children: ReactNode;
}) {
  return (
    <section className="card stack" aria-labelledby={`section-${title}`} id={id} tabIndex={-1}>
      <h2 id={`section-${title}`} style={{ margin: 0 }}>
        {title}
      </h2>
      {hint && <p className="small muted" style={{ margin: 0 }}>{hint}</p>}
      {error && <p className="error-text" style={{ margin: 0 }}>{error}</p>}
      {children}
      <div>
        <button type="button" className="btn" onClick={onAdd}>
          {addLabel}
        </button>
      </div>
    </section>
  );
}

function Item({ legend, onRemove, children }: { legend: string; onRemove: () => void; children: ReactNode }) {
  return (
    <fieldset className="stack" style={{ border: '1px solid var(--border)', borderRadius: 'var(--radius)', padding: '0.75rem 1rem' }}>
      <legend className="label" style={{ padding: '0 0.3rem' }}>
        {legend}
      </legend>
      {children}
      <div>
        <button type="button" className="btn btn-danger small" onClick={onRemove} aria-label={`Remove ${legend.toLowerCase()}`}>
          Remove
        </button>
      </div>
    </fieldset>
  );
}

function FieldShell({ id, label, hint, error, children }: { id: string; label: string; hint?: string; error?: string; children: ReactNode }) {
  return (
    <div className="field" style={{ flex: 1, minWidth: 0 }}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      )}
      {error && (
        <span id={`${id}-error`} className="error">
          {error}
        </span>
      )}
    </div>
  );
}

function describedBy(id: string, hint?: string, error?: string) {
  return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
}

function TextField(props: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  hint?: string;
  multiline?: boolean;
  rows?: number;
  mono?: boolean;
}) {
  const common = {
    id: props.id,
    value: props.value,
    'aria-invalid': props.error ? true : undefined,
    'aria-describedby': describedBy(props.id, props.hint, props.error),
    className: props.mono ? 'mono' : undefined,
  };
  return (
    <FieldShell {...props}>
      {props.multiline ? (
        <textarea {...common} rows={props.rows ?? 4} onChange={(e) => props.onChange(e.target.value)} />
      ) : (
        <input {...common} type="text" onChange={(e) => props.onChange(e.target.value)} />
      )}
    </FieldShell>
  );
}

function NumberField(props: { id: string; label: string; value: number; onChange: (value: number) => void; error?: string; hint?: string; step?: number }) {
  // Keep the typed text, so an empty or half-typed field is not overwritten while editing.
  const [text, setText] = useState(Number.isFinite(props.value) ? String(props.value) : '');
  useEffect(() => {
    if (Number(text) !== props.value && !(text === '' && Number.isNaN(props.value)))
      setText(Number.isFinite(props.value) ? String(props.value) : '');
    // Only outside changes of the value (e.g. a reset) overwrite what is typed.
  }, [props.value]);
  return (
    <FieldShell {...props}>
      <input
        id={props.id}
        type="number"
        inputMode="decimal"
        step={props.step ?? 1}
        value={text}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy(props.id, props.hint, props.error)}
        onChange={(e) => {
          setText(e.target.value);
          props.onChange(e.target.value.trim() === '' ? Number.NaN : Number(e.target.value));
        }}
      />
    </FieldShell>
  );
}

function SelectField(props: {
  id: string;
  label: string;
  value: string;
  options: { value: string; label: string }[];
  onChange: (value: string) => void;
  error?: string;
  hint?: string;
}) {
  const hasValue = props.options.some((o) => o.value === props.value);
  return (
    <FieldShell {...props}>
      <select
        id={props.id}
        value={props.value}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy(props.id, props.hint, props.error)}
        onChange={(e) => props.onChange(e.target.value)}
      >
        {!hasValue && <option value={props.value}>{props.value || '—'}</option>}
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

function stratificationValue(config: StudyConfig): string {
  const s = config.stratification;
  return !s || s.by === 'none' ? 'none' : s.by === 'documentType' ? 'documentType' : `question:${s.questionId}`;
}

/** Only fixed-choice topic questions are offered (the schema refuses others with a field error). */
function stratificationChoices(config: StudyConfig): { value: string; label: string }[] {
  return [
    { value: 'none', label: 'Whole study (not stratified)' },
    { value: 'documentType', label: 'Each document type' },
    ...config.topicQuestions
      .filter((q) => isFixedChoiceQuestion(q))
      .map((q) => ({ value: `question:${q.id}`, label: `Each answer to “${q.prompt || q.id}”` })),
  ];
}

function parseStratificationValue(value: string): StudyConfig['stratification'] {
  if (value === 'documentType') return { by: 'documentType' };
  if (value.startsWith('question:')) return { by: 'topicQuestion', questionId: value.slice('question:'.length) };
  return undefined;
}

/** A list of short strings edited as lines; blank lines are dropped when the field loses focus. */
function LinesField(props: { id: string; label: string; value: string[]; onChange: (value: string[]) => void; error?: string; hint?: string }) {
  return (
    <FieldShell {...props}>
      <textarea
        id={props.id}
        rows={Math.max(3, props.value.length + 1)}
        value={props.value.join('\n')}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy(props.id, props.hint, props.error)}
        onChange={(e) => props.onChange(e.target.value.split('\n'))}
        onBlur={() => {
          const cleaned = props.value.map((l) => l.trim()).filter(Boolean);
          if (cleaned.length !== props.value.length || cleaned.some((l, i) => l !== props.value[i])) props.onChange(cleaned);
        }}
      />
    </FieldShell>
  );
}
