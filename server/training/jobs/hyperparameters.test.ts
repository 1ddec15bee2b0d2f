import { describe, expect, it } from 'vitest';
import { defaultHyperparameters, exportFormatFor, openAiHyperparameters, resolveHyperparameters } from './hyperparameters';

describe('training hyperparameters', () => {
  it('defaults to the paper (App. B.2, Tab. 6): SFT 1e-5 × 64 × 3, offline DPO 5e-6 × 64 × 8 with β 0.1, LoRA 32/16/0.1', () => {
    expect(defaultHyperparameters('sft')).toEqual({ learningRate: 1e-5, batchSize: 64, epochs: 3, lora: { rank: 32, alpha: 16, dropout: 0.1 }, learningRateMultiplier: 'auto' });
    expect(defaultHyperparameters('dpo')).toEqual({ learningRate: 5e-6, batchSize: 64, epochs: 8, beta: 0.1, lora: { rank: 32, alpha: 16, dropout: 0.1 }, learningRateMultiplier: 'auto' });
  });

  it('applies edits, drops β for SFT, and rejects unknown or out-of-range fields', () => {
    expect(resolveHyperparameters('dpo', { epochs: 2, beta: 0.3 })).toMatchObject({ epochs: 2, beta: 0.3, learningRate: 5e-6 });
    expect(resolveHyperparameters('sft', { beta: 0.3 } as never).beta).toBeUndefined();
    expect(() => resolveHyperparameters('sft', { epochs: 0 })).toThrow();
    expect(() => resolveHyperparameters('sft', { warmup: 3 } as never)).toThrow();
  });

  it('maps to the OpenAI method hyperparameters and picks the export format per provider', () => {
    expect(openAiHyperparameters('dpo', resolveHyperparameters('dpo', { learningRateMultiplier: 2 }))).toEqual({ batch_size: 64, n_epochs: 8, learning_rate_multiplier: 2, beta: 0.1 });
    expect(openAiHyperparameters('sft', defaultHyperparameters('sft'))).toEqual({ batch_size: 64, n_epochs: 3, learning_rate_multiplier: 'auto' });
    expect(exportFormatFor('openai', 'dpo')).toBe('openai-dpo');
    expect(exportFormatFor('webhook', 'sft')).toBe('trl-sft');
  });
});
