'use client';
/** The opening sections of the study setup: General (study name, title), Consent and Instructions. */
import { fieldId, type SectionProps } from './editor-shared';
import { TextField } from './form-fields';
import { Section } from './form-layout';

export function GeneralSection({
  name,
  nameError,
  onNameChange,
  config,
  err,
  update,
}: SectionProps & { name: string; nameError: string | undefined; onNameChange: (name: string) => void }) {
  return (
    <Section title="General">
      <TextField id="f-studyName" label="Study name (researchers only)" value={name} error={nameError} onChange={onNameChange} />
      <TextField id={fieldId(['title'])} label="Title shown to participants" value={config.title} error={err(['title'])} onChange={(v) => update((c) => void (c.title = v))} />
    </Section>
  );
}

export function ConsentSection({ config, err, update }: SectionProps) {
  return (
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
  );
}

export function InstructionsSection({ config, err, update }: SectionProps) {
  return (
    <Section title="Instructions">
      <TextField id={fieldId(['instructions'])} label="Instructions" multiline rows={6} value={config.instructions} error={err(['instructions'])} onChange={(v) => update((c) => void (c.instructions = v))} />
    </Section>
  );
}
