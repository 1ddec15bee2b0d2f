'use client';
/** The study setup's end-of-study sections: the blinding question, attention checks in the final survey, and completion codes. */
import type { FieldErrors } from '~/server/studies/form-errors';
import { fieldId, firstChildError, type SectionProps } from './editor-shared';
import { LinesField, SelectField, TextField } from './form-fields';
import { Grid, Item, ListSection, Section } from './form-layout';

/** `errors` are the shown field errors, for messages on a list's entries (e.g. one blank option). */
type WithErrors = SectionProps & { errors: FieldErrors };

export function BlindingSection({ config, err, update, errors }: WithErrors) {
  return (
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
  );
}

export function AttentionChecksSection({ config, err, update, errors }: WithErrors) {
  return (
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
  );
}

export function CompletionSection({ config, err, update }: SectionProps) {
  return (
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
  );
}
