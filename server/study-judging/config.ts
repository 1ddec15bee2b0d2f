/**
 * The configuration of a study judging run (stored in study_judge_runs.config). Pure zod, shared by the form.
 * The judge is the benchmark's judge configuration (connection + model, or the offline demo-judge, and the
 * interactivity scale), so labels, prompts and scales are exactly the benchmark's.
 */
import { z } from 'zod';
import { DEMO_JUDGE_VERSION } from '../benchmarks/demo';
import { judgeLabelFor } from '../benchmarks/judges';
import { JUDGE_PROMPT_VERSION } from '../benchmarks/judge-prompts';
import { judgeConfigSchema } from '../benchmarks/run-config';

const pricePerMillion = z.object({
  input: z.number().min(0).max(10_000),
  output: z.number().min(0).max(10_000),
});

export const studyJudgeConfigSchema = z.object({
  judge: judgeConfigSchema,
  /** Participants judged at once, across every worker process. */
  concurrency: z.number().int().min(1).max(16).default(2),
  /** USD per 1M judge tokens, for the cost estimate; absent = no estimate (0). */
  pricing: pricePerMillion.optional(),
});
export type StudyJudgeConfig = z.infer<typeof studyJudgeConfigSchema>;
export type StudyJudgeConfigInput = z.input<typeof studyJudgeConfigSchema>;

/** What every stored score and the run record carry: the judge's label and its prompt version. */
export function judgeIdentity(judge: StudyJudgeConfig['judge']): { label: string; promptVersion: string } {
  return {
    label: judgeLabelFor(judge),
    promptVersion: judge.connectionId === null ? DEMO_JUDGE_VERSION : JUDGE_PROMPT_VERSION,
  };
}

/** Estimated USD for the judge's tokens (0 without a price). */
export function judgeCostUsd(pricing: StudyJudgeConfig['pricing'], usage: { promptTokens: number; completionTokens: number }): number {
  if (!pricing) return 0;
  return (usage.promptTokens * pricing.input + usage.completionTokens * pricing.output) / 1_000_000;
}
