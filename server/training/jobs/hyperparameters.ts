/**
 * Training hyperparameters (pure): the paper's defaults (CollabLLM App. B.2, Tab. 6) per method, editable per
 * job, and what each provider receives.
 *
 * Paper: LoRA r = 32, α = 16, dropout 0.1 on Llama-3.1-8B-Instruct; SFT lr 1e-5, batch 64, 3 epochs; offline DPO
 * lr 5e-6, batch 64, 8 epochs, β = 0.1 (the code's DPOConfig). An external trainer (TRL, veRL) gets all of them.
 * An OpenAI-compatible fine-tuning API takes batch size, epochs, β and a learning-rate *multiplier* (of a rate it
 * picks itself, and it trains no LoRA we configure); an absolute learning rate has no faithful translation, so the
 * multiplier is its own field, 'auto' unless set.
 */
import { z } from 'zod';

export const TRAINING_METHODS = ['sft', 'dpo'] as const;
export type TrainingMethod = (typeof TRAINING_METHODS)[number];

const auto = z.literal('auto');

export const hyperparametersSchema = z
  .object({
    learningRate: z.number().positive().max(1),
    batchSize: z.number().int().min(1).max(4096),
    epochs: z.number().int().min(1).max(100),
    /** DPO only. */
    beta: z.number().positive().max(10).optional(),
    lora: z
      .object({
        rank: z.number().int().min(1).max(1024),
        alpha: z.number().positive().max(4096),
        dropout: z.number().min(0).max(1),
      })
      .nullable(),
    /** OpenAI-compatible APIs only. */
    learningRateMultiplier: z.union([auto, z.number().positive().max(100)]).default('auto'),
  })
  .strict();
export type Hyperparameters = z.infer<typeof hyperparametersSchema>;

const paperLora = { rank: 32, alpha: 16, dropout: 0.1 };

export function defaultHyperparameters(method: TrainingMethod): Hyperparameters {
  return method === 'sft'
    ? { learningRate: 1e-5, batchSize: 64, epochs: 3, lora: paperLora, learningRateMultiplier: 'auto' }
    : { learningRate: 5e-6, batchSize: 64, epochs: 8, beta: 0.1, lora: paperLora, learningRateMultiplier: 'auto' };
}

/** The defaults with the caller's edits applied, validated (β only for DPO). */
export function resolveHyperparameters(method: TrainingMethod, edits: Partial<Hyperparameters> = {}): Hyperparameters {
  const merged = { ...defaultHyperparameters(method), ...edits };
  if (method === 'sft') delete merged.beta;
  else merged.beta ??= 0.1;
  return hyperparametersSchema.parse(merged);
}

/** The `method` hyperparameters of an OpenAI fine-tuning job. */
export function openAiHyperparameters(method: TrainingMethod, h: Hyperparameters): Record<string, number | 'auto'> {
  return {
    batch_size: h.batchSize,
    n_epochs: h.epochs,
    learning_rate_multiplier: h.learningRateMultiplier,
    ...(method === 'dpo' && h.beta !== undefined ? { beta: h.beta } : {}),
  };
}

/** The export format a provider gets for a method. */
export function exportFormatFor(provider: 'openai' | 'webhook', method: TrainingMethod): 'openai-sft' | 'openai-dpo' | 'trl-sft' | 'trl-dpo' {
  if (provider === 'openai') return method === 'sft' ? 'openai-sft' : 'openai-dpo';
  return method === 'sft' ? 'trl-sft' : 'trl-dpo';
}
