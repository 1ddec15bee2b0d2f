'use client';
/** One arm of the study setup: key, label, weight, model source and model, request mode, system prompt and sampling settings. */
import { demoStyles, type ArmConfig } from '~/server/studies/config';
import { ArmModeFields } from '~/app/_components/arm-mode-fields';
import { fieldId, type ConnectionChoice, type ErrorAt, type UpdateConfig } from './editor-shared';
import { NumberField, SelectField, TextField } from './form-fields';
import { Grid, Item } from './form-layout';

export function ArmEditor({
  index: i,
  arm,
  connections,
  err,
  update,
}: {
  index: number;
  arm: ArmConfig;
  connections: ConnectionChoice[];
  err: ErrorAt;
  update: UpdateConfig;
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
