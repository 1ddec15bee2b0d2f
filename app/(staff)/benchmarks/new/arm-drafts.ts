/** The new-run form's arm being edited (ArmDraft), the demo arms it starts with, and unique arm keys. */
import { demoRunConfig } from '~/server/benchmarks/run-config';
import type { ArmConfig } from '~/server/studies/config';

export type ArmDraft = Pick<ArmConfig, 'key' | 'label' | 'connectionId' | 'model' | 'systemPrompt' | 'mode' | 'template'> &
  Partial<Pick<ArmConfig, 'topP' | 'maxTokens' | 'weight'>> & {
    temperature: number;
    /** Set when a preset left this arm's endpoint open (or named one that does not exist here). */
    needsEndpoint?: boolean;
  };

/** An arm of an existing study, offered as a starting point ("From a study"). */
export interface StudyArmChoice {
  id: string;
  study: string;
  arm: ArmConfig;
}

export const demoArms = (): ArmDraft[] =>
  demoRunConfig(['00000000-0000-4000-8000-000000000000']).arms.map((a) => ({
    key: a.key,
    label: a.label,
    connectionId: a.connectionId,
    model: a.model,
    systemPrompt: a.systemPrompt,
    temperature: a.temperature,
  }));

export function uniqueKey(base: string, taken: string[]): string {
  const clean = base.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[-_]+/, '').slice(0, 32) || 'arm';
  let key = clean;
  for (let i = 2; taken.includes(key); i++) key = `${clean}-${i}`;
  return key;
}
