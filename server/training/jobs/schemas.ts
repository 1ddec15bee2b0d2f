/** Inputs of the training-jobs router (zod at the boundary). */
import { z } from 'zod';
import { armSchema } from '../../studies/config';
import { TRAINING_METHODS } from './hyperparameters';

export const trainingJobIdInput = z.object({ jobId: z.uuid() });

export const startTrainingJobInput = z.object({
  name: z.string().trim().max(200).optional(),
  datasetId: z.uuid(),
  method: z.enum(TRAINING_METHODS),
  provider: z.enum(['openai', 'webhook']),
  /** OpenAI provider: required (its fine-tuning API). Webhook: optional, where the base model is served. */
  connectionId: z.uuid().nullable().optional(),
  baseModel: z.string().trim().min(1).max(200),
  /** Edits of the paper's defaults; validated against the full schema once merged. */
  hyperparameters: z.record(z.string(), z.unknown()).optional(),
  seed: z.number().int().min(0).max(2_147_483_647).optional(),
});
export type StartTrainingJobInput = z.infer<typeof startTrainingJobInput>;

export const registerTrainedModelInput = z.object({
  jobId: z.uuid(),
  label: z.string().trim().min(1).max(80).optional(),
});

export const evaluateTrainedModelInput = z.object({
  trainedModelId: z.uuid(),
  taskSetId: z.uuid(),
  /** First N tasks of the set (by key). */
  taskLimit: z.number().int().min(1).max(1000).default(10),
  includeBase: z.boolean().default(true),
  /** Any other arms to compare with (e.g. the demo arms or a prompted baseline). */
  extraArms: z.array(armSchema).max(8).default([]),
  conversationsPerTask: z.number().int().min(1).max(20).default(1),
  maxTurns: z.number().int().min(1).max(30).default(7),
  /** null connection = the offline scripted simulator / demo-judge. */
  simulator: z.object({ connectionId: z.uuid().nullable(), model: z.string().min(1).max(200).default('gpt-4o-mini') }).default({ connectionId: null, model: 'gpt-4o-mini' }),
  judge: z.object({ connectionId: z.uuid().nullable(), model: z.string().min(1).max(200).default('gpt-4o') }).default({ connectionId: null, model: 'gpt-4o' }),
});
export type EvaluateTrainedModelInput = z.input<typeof evaluateTrainedModelInput>;
