'use client';
/** The "Flow and limits" section of the study setup: turns, rating interval, message length and rate, time limits, shortest answer. */
import { fieldId, type SectionProps } from './editor-shared';
import { NumberField } from './form-fields';
import { Grid, Section } from './form-layout';

export function FlowLimitsSection({ config, err, update }: SectionProps) {
  return (
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
  );
}
