'use client';
/** The Assignment section of the study setup: whether arms are balanced within document types or topic-question answers. */
import { isFixedChoiceQuestion, type StudyConfig } from '~/server/studies/config';
import { fieldId, type SectionProps } from './editor-shared';
import { SelectField } from './form-fields';
import { Section } from './form-layout';

export function AssignmentSection({ config, err, update }: SectionProps) {
  return (
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
