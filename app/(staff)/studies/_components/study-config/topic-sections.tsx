'use client';
/** The study setup's lists of what a participant writes about: document types, topics and the topic questions asked before the chat. */
import { fieldId, type SectionProps } from './editor-shared';
import { LinesField, TextField } from './form-fields';
import { Item, ListSection } from './form-layout';

export function DocumentTypesSection({ config, err, update }: SectionProps) {
  return (
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
  );
}

export function TopicsSection({ config, err, update }: SectionProps) {
  return (
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
  );
}

export function TopicQuestionsSection({ config, err, update }: SectionProps) {
  return (
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
  );
}
