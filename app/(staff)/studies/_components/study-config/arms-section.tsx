'use client';
/** The Arms section of the study setup: one editor per arm, plus adding arms from presets or from a trained model. */
import { starterArm } from '~/server/studies/template';
import { PresetArmsPicker } from '~/app/_components/preset-arms-picker';
import { TrainedModelArmPicker } from '~/app/_components/trained-model-arm-picker';
import { ArmEditor } from './arm-editor';
import { fieldId, type ConnectionChoice, type SectionProps } from './editor-shared';
import { ListSection } from './form-layout';

export function ArmsSection({ config, err, update, connections }: SectionProps & { connections: ConnectionChoice[] }) {
  return (
    <ListSection
      title="Arms"
      hint="Each participant is randomly assigned one arm, in proportion to its weight. Arm keys and models are never shown to participants."
      error={err(['arms'])}
      id={fieldId(['arms'])}
      addLabel="Add arm"
      onAdd={() => update((c) => void c.arms.push(starterArm(`arm-${c.arms.length + 1}`, { label: `Arm ${c.arms.length + 1}` })))}
    >
      {config.arms.map((arm, i) => (
        <ArmEditor key={i} index={i} arm={arm} connections={connections} err={err} update={update} />
      ))}
      <PresetArmsPicker
        connections={connections}
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
  );
}
