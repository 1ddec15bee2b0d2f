/**
 * A simulated pilot's settings (what the researcher chooses) and the stored configuration
 * (`study_pilots.config`: the settings plus which study version ran and its arms). Pure zod, shared with the form.
 */
import { z } from 'zod';
import { judgeConfigSchema, simulatorConfigSchema } from '../benchmarks/run-config';

export const MAX_PILOT_PARTICIPANTS_PER_ARM = 50;
export const MAX_PILOT_CONCURRENCY = 8;

const pricePerMillion = z.object({ input: z.number().min(0).max(10_000), output: z.number().min(0).max(10_000) });

export const pilotSettingsSchema = z.object({
  participantsPerArm: z.number().int().min(1).max(MAX_PILOT_PARTICIPANTS_PER_ARM),
  /** The simulated participants' model; `connectionId: null` = the offline scripted participant. */
  simulator: simulatorConfigSchema,
  /** Personas, topics, answers and the simulator's request seeds all derive from it. */
  seed: z.string().trim().min(1).max(100),
  /** Simulated participants at once, across every worker. */
  concurrency: z.number().int().min(1).max(MAX_PILOT_CONCURRENCY).default(2),
  /** USD per 1M tokens, for the cost shown on the pilot page. */
  pricing: z.object({ assistant: pricePerMillion.optional(), simulator: pricePerMillion.optional() }).optional(),
  /**
   * Who judges the pilot's conversations when it completes (a study judging run over the pilot, issue 11 §1), so
   * the planner and the pilot page have the judges' scores too; null = do not judge automatically. Defaults to the
   * offline demo-judge (no cost), which labels its scores as demo.
   */
  judge: judgeConfigSchema.nullable().default({ connectionId: null, model: 'gpt-4o' }),
});
export type PilotSettings = z.infer<typeof pilotSettingsSchema>;
export type PilotSettingsInput = z.input<typeof pilotSettingsSchema>;

export const pilotConfigSchema = pilotSettingsSchema.extend({
  /** `draft`: a snapshot of the draft (draft-preview version row); `version`: the published version running at the start. */
  source: z.enum(['draft', 'version']),
  studyVersionId: z.uuid(),
  /** The version number (≤ 0 for a draft snapshot). */
  versionNumber: z.number().int(),
  /** Arms in configured order; participant i gets arms[i mod arms.length], so every arm gets participantsPerArm. */
  arms: z.array(z.object({ key: z.string(), label: z.string() })).min(1),
  participants: z.number().int().min(1),
});
export type PilotConfig = z.infer<typeof pilotConfigSchema>;

export function parsePilotConfig(value: unknown): PilotConfig {
  return pilotConfigSchema.parse(value);
}

/** Balanced allocation: participant `index` (0-based) of the pilot gets this arm. */
export function pilotArmFor(config: Pick<PilotConfig, 'arms'>, index: number): string {
  return config.arms[index % config.arms.length]!.key;
}

/** The pilot participant's stable external id: the unique (study, source, external id) index makes creation idempotent. */
export function pilotExternalId(pilotId: string, index: number): string {
  return `pilot:${pilotId}:${index}`;
}

/** The seed of one simulated participant (persona, topic, answers, request seeds). */
export function pilotParticipantSeed(config: Pick<PilotConfig, 'seed'>, index: number): string {
  return `${config.seed}:pilot-participant:${index}`;
}
