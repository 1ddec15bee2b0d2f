/**
 * Portable setups (pure: zod only, shared with the browser): arms, simulated user and judge as one JSON
 * preset that can be exported, published with a paper and imported elsewhere. Connection ids belong to one
 * installation, so a preset may leave any endpoint to fill in (`connectionId` absent); the form asks for it.
 */
import { z } from 'zod';
import { checkArmModes } from '../arms/template';
import { armSchema, type ArmConfig } from '../studies/config';
import { judgeConfigSchema, simulatorConfigSchema, type RunConfigInput } from './run-config';

export const PRESET_VERSION = 1;

/** Absent connectionId = "choose an endpoint on import"; null = the offline demo implementation. */
const endpointId = z.uuid().nullable().optional();

export const presetSchema = z
  .object({
    presetVersion: z.literal(PRESET_VERSION),
    name: z.string().min(1).max(120),
    description: z.string().max(4000).default(''),
    arms: z.array(armSchema.extend({ connectionId: endpointId })).min(1).max(12),
    referenceArmKey: z.string().min(1).max(40).optional(),
    simulator: simulatorConfigSchema.extend({ connectionId: endpointId }),
    judge: judgeConfigSchema.extend({ connectionId: endpointId }),
  })
  .superRefine((p, ctx) => {
    const keys = new Set<string>();
    for (const [i, arm] of p.arms.entries()) {
      if (keys.has(arm.key)) ctx.addIssue({ code: 'custom', path: ['arms', i, 'key'], message: 'duplicate arm key' });
      keys.add(arm.key);
    }
    if (p.referenceArmKey && !keys.has(p.referenceArmKey))
      ctx.addIssue({ code: 'custom', path: ['referenceArmKey'], message: 'must be one of the arm keys' });
    checkArmModes(p.arms, ctx);
  });

export type Preset = z.infer<typeof presetSchema>;
export type PresetInput = z.input<typeof presetSchema>;

export type PresetParse = { ok: true; preset: Preset } | { ok: false; errors: string[] };

const MAX_PRESET_CHARS = 500_000;

/** Reads a preset from JSON text with errors a researcher can act on ("arms.1.template.text: …"). */
export function parsePreset(text: string): PresetParse {
  if (text.length > MAX_PRESET_CHARS) return { ok: false, errors: [`The preset is too large (${text.length} characters; at most ${MAX_PRESET_CHARS}).`] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, errors: [`Not valid JSON: ${(err as Error).message}`] };
  }
  if (value && typeof value === 'object' && 'presetVersion' in value && (value as { presetVersion: unknown }).presetVersion !== PRESET_VERSION)
    return { ok: false, errors: [`presetVersion ${JSON.stringify((value as { presetVersion: unknown }).presetVersion)} is not supported; this version reads presetVersion ${PRESET_VERSION}.`] };
  const parsed = presetSchema.safeParse(value);
  if (!parsed.success)
    return { ok: false, errors: parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(preset)'}: ${i.message}`) };
  return { ok: true, preset: parsed.data };
}

/** The preset of a run configuration (connection ids kept: on another installation they are asked for again). */
export function presetFromConfig(input: { name: string; description?: string; config: Pick<RunConfigInput, 'arms' | 'referenceArmKey' | 'simulator' | 'judge'> }): Preset {
  return presetSchema.parse({
    presetVersion: PRESET_VERSION,
    name: input.name,
    description: input.description ?? '',
    arms: input.config.arms,
    referenceArmKey: input.config.referenceArmKey,
    simulator: input.config.simulator,
    judge: input.config.judge,
  } satisfies PresetInput);
}

/** The endpoints of a preset that must be chosen here: absent, or connection ids this installation lacks. */
export function endpointsToFill(preset: Preset, knownConnectionIds: readonly string[]): string[] {
  const missing = (id: string | null | undefined) => id === undefined || (id !== null && !knownConnectionIds.includes(id));
  return [
    ...preset.arms.filter((a) => missing(a.connectionId)).map((a) => `arm "${a.key}"`),
    ...(missing(preset.simulator.connectionId) ? ['simulated user'] : []),
    ...(missing(preset.judge.connectionId) ? ['judge'] : []),
  ];
}

/**
 * A preset's arms as study arms. An endpoint the preset leaves open, or a connection this installation lacks,
 * gets the first connection (or the demo model when there is none) and is listed in `toCheck`.
 */
export function studyArmsFromPreset(preset: Preset, connections: readonly { id: string }[]): { arms: ArmConfig[]; toCheck: string[] } {
  const known = new Set(connections.map((c) => c.id));
  const toCheck: string[] = [];
  const arms = preset.arms.map((arm): ArmConfig => {
    const id = arm.connectionId;
    if (id === null || (id !== undefined && known.has(id))) return { ...arm, connectionId: id };
    toCheck.push(arm.key);
    const first = connections[0];
    return first ? { ...arm, connectionId: first.id } : { ...arm, connectionId: null, model: 'baseline' };
  });
  return { arms, toCheck };
}
