/**
 * MR settings (pure zod): window, samples, weights, λ, and who plays each role in the forward samples.
 * Defaults are the paper's document task (collabllm-paper.md §1.1/§1.3): w = 2, S = 3, BLEU weight 1,
 * λ = 1e-4; the interactivity weight is 0 unless set (the paper's Eq. 4 includes the judge, its medium
 * example script does not). BLEU defaults to character level, what the paper's code computed.
 */
import { z } from 'zod';
import { judgeConfigSchema, simulatorConfigSchema } from '../../benchmarks/run-config';
import { armSchema } from '../../studies/config';
import type { RewardFormula } from '../reward';

export const rewardWeightsSchema = z
  .object({
    bleu_char: z.number().min(-10).max(10).optional(),
    bleu_word: z.number().min(-10).max(10).optional(),
    interactivity: z.number().min(-10).max(10).optional(),
    /** Judge document quality rescaled from 1–10 to 0–1. */
    quality_01: z.number().min(-10).max(10).optional(),
  })
  .strict()
  .default({ bleu_char: 1, interactivity: 0 });

/** The offline demo model as the policy that continues the chat in forward samples. */
export const DEMO_POLICY_ARM = {
  key: 'policy',
  label: 'CollabLLM (demo)',
  connectionId: null,
  model: 'collabllm',
  systemPrompt: '',
  temperature: 0.8,
  topP: 1,
  maxTokens: 1024,
  weight: 1,
};

export const mrSettingsSchema = z.object({
  /** Forward window: user + assistant turns after the candidate (the paper's w; 4 messages for w = 2). */
  window: z.number().int().min(0).max(4).default(2),
  /** Forward samples per candidate (the paper's S). */
  samples: z.number().int().min(1).max(8).default(3),
  weights: rewardWeightsSchema,
  lambda: z.number().min(0).max(1).default(1e-4),
  /** The assistant in the forward samples. */
  policy: armSchema.default(() => ({ ...DEMO_POLICY_ARM })),
  simulator: simulatorConfigSchema.default({ connectionId: null, model: 'gpt-4o-mini', temperature: 1 }),
  judge: judgeConfigSchema.default({ connectionId: null, model: 'gpt-4o' }),
});
export type MrSettings = z.infer<typeof mrSettingsSchema>;
export type MrSettingsInput = z.input<typeof mrSettingsSchema>;

export function rewardFormula(settings: Pick<MrSettings, 'weights' | 'lambda'>): RewardFormula {
  return { weights: settings.weights, lambda: settings.lambda };
}

/** Whether any role of these settings is an offline demo implementation (results are labelled demo). */
export function mrUsesDemo(settings: MrSettings): boolean {
  return settings.policy.connectionId === null || settings.simulator.connectionId === null || settings.judge.connectionId === null;
}

/** What the simulated user wants, copied into the evaluation so later edits of a task never change it. */
export const rewardTaskSchema = z.object({
  taskId: z.uuid().nullable().default(null),
  documentType: z.string().min(1).max(80),
  brief: z.string().min(1).max(20_000),
  targetDocument: z.string().max(100_000),
  topic: z.string().max(300).optional(),
  details: z.array(z.string().max(2000)).max(50).optional(),
});
export type RewardTask = z.infer<typeof rewardTaskSchema>;
