/**
 * The benchmark run configuration (stored in benchmark_runs.config). Pure zod so forms can share it.
 * Connection ids of null select the offline demo implementations (scripted simulator, demo-judge).
 */
import { z } from 'zod';
import { checkArmModes } from '../arms/template';
import { armSchema } from '../studies/config';
import { INTERACTIVITY_SCALES } from './judge-prompts';
import type { RoleUsage } from './types';

export const simulatorConfigSchema = z.object({
  connectionId: z.uuid().nullable(),
  /** Model id at the connection; ignored by the offline scripted simulator. */
  model: z.string().min(1).max(200).default('gpt-4o-mini'),
  temperature: z.number().min(0).max(2).default(1),
});
export type SimulatorConfig = z.infer<typeof simulatorConfigSchema>;

export const judgeConfigSchema = z.object({
  connectionId: z.uuid().nullable(),
  model: z.string().min(1).max(200).default('gpt-4o'),
  /**
   * Interactivity on the released code's anchors (1 / 0.5 / 0) or on the paper's Table 1 scale (3 / 2 / 1,
   * rescaled to 2 (S − 2.5)); absent = released-code. Recorded in every interactivity score and in the judge label.
   */
  interactivityScale: z.enum(INTERACTIVITY_SCALES).optional(),
});
export type JudgeConfig = z.infer<typeof judgeConfigSchema>;

const pricePerMillion = z.object({
  input: z.number().min(0).max(10_000),
  output: z.number().min(0).max(10_000),
});

export const runConfigSchema = z
  .object({
    arms: z.array(armSchema).min(1).max(12),
    /** Reference arm for relative improvements in results (defaults to the first arm). */
    referenceArmKey: z.string().min(1).max(40).optional(),
    taskIds: z.array(z.uuid()).min(1).max(1000),
    simulator: simulatorConfigSchema,
    judge: judgeConfigSchema,
    conversationsPerTask: z.number().int().min(1).max(20).default(1),
    /** Assistant turns per conversation at most (the paper's driver allows 14 messages = 7 turns). */
    maxTurns: z.number().int().min(1).max(30).default(7),
    seed: z.string().min(1).max(100).default('collabstudy'),
    concurrency: z.number().int().min(1).max(32).default(2),
    /** USD per 1M tokens, for the cost estimate; keyed by role. */
    pricing: z
      .object({
        assistant: pricePerMillion.optional(),
        simulator: pricePerMillion.optional(),
        judge: pricePerMillion.optional(),
      })
      .optional(),
  })
  .superRefine((c, ctx) => {
    const keys = new Set<string>();
    for (const [i, arm] of c.arms.entries()) {
      if (keys.has(arm.key)) ctx.addIssue({ code: 'custom', path: ['arms', i, 'key'], message: 'duplicate arm key' });
      keys.add(arm.key);
    }
    checkArmModes(c.arms, ctx);
    if (c.referenceArmKey && !keys.has(c.referenceArmKey))
      ctx.addIssue({ code: 'custom', path: ['referenceArmKey'], message: 'must be one of the arm keys' });
    if (new Set(c.taskIds).size !== c.taskIds.length)
      ctx.addIssue({ code: 'custom', path: ['taskIds'], message: 'duplicate task id' });
  });

export type RunConfig = z.infer<typeof runConfigSchema>;
export type RunConfigInput = z.input<typeof runConfigSchema>;

/** A run that works offline: the three demo arms, the scripted simulated user and the demo-judge. */
export function demoRunConfig(taskIds: string[], overrides: Partial<RunConfigInput> = {}): RunConfig {
  return runConfigSchema.parse({
    arms: [
      { key: 'baseline', label: 'No system prompt (demo)', connectionId: null, model: 'baseline', systemPrompt: '' },
      { key: 'proactive', label: 'Proactive prompt (demo)', connectionId: null, model: 'proactive', systemPrompt: '' },
      { key: 'collabllm', label: 'Collaborative (demo)', connectionId: null, model: 'collabllm', systemPrompt: '' },
    ],
    referenceArmKey: 'proactive',
    taskIds,
    simulator: { connectionId: null },
    judge: { connectionId: null },
    ...overrides,
  } satisfies RunConfigInput);
}

export function parseRunConfig(value: unknown): RunConfig {
  return runConfigSchema.parse(value);
}

/** Estimated cost in USD for token counts per role; 0 for roles without a price. */
export function estimateCostUsd(
  pricing: RunConfig['pricing'],
  usage: RoleUsage,
): number {
  let total = 0;
  for (const role of ['assistant', 'simulator', 'judge'] as const) {
    const price = pricing?.[role];
    const u = usage[role];
    if (!price || !u) continue;
    total += (u.promptTokens * price.input + u.completionTokens * price.output) / 1_000_000;
  }
  return total;
}
