/** Settings of each dataset source (pure zod; shared by the forms, the router and the services). */
import { z } from 'zod';
import { armSchema } from '../../studies/config';
import { mrSettingsSchema } from '../mr/settings';

const demoArm = (key: string, label: string, model: string) => ({
  key,
  label,
  connectionId: null,
  model,
  systemPrompt: '',
  temperature: 0.8,
  topP: 1,
  maxTokens: 1024,
  weight: 1,
});

/** One collaborative and one plain candidate per turn, as the paper's generation (proact_prompt_ratio 0.5, K = 2). */
export const DEMO_CANDIDATE_ARMS = [demoArm('collabllm', 'CollabLLM (demo)', 'collabllm'), demoArm('baseline', 'Base (demo)', 'baseline')];

export const syntheticSettingsSchema = z
  .object({
    taskIds: z.array(z.uuid()).min(1).max(500),
    /** Candidate sources: one candidate per arm at every turn (K = number of arms). */
    candidates: z.array(armSchema).min(1).max(6).default(() => DEMO_CANDIDATE_ARMS.map((a) => ({ ...a }))),
    mr: mrSettingsSchema.default(() => mrSettingsSchema.parse({})),
    /** Assistant turns per conversation at most (the paper's code: 14 messages = 7 turns). */
    maxTurns: z.number().int().min(1).max(15).default(7),
    /** Preference pairs need chosen MR − rejected MR ≥ this (the paper: 0.02). */
    minGap: z.number().min(0).max(10).default(0.02),
    /** Forward samples and turns running at once for this dataset, across all workers. */
    concurrency: z.number().int().min(1).max(32).default(4),
    /** Prepended to exported conversations (the paper trains with its collaborator system prompt); '' for none. */
    systemPrompt: z.string().max(20_000).default(''),
  })
  .superRefine((s, ctx) => {
    if (new Set(s.taskIds).size !== s.taskIds.length) ctx.addIssue({ code: 'custom', path: ['taskIds'], message: 'duplicate task id' });
    const keys = new Set<string>();
    for (const [i, a] of s.candidates.entries()) {
      if (keys.has(a.key)) ctx.addIssue({ code: 'custom', path: ['candidates', i, 'key'], message: 'duplicate candidate key' });
      keys.add(a.key);
    }
  });
export type SyntheticSettings = z.infer<typeof syntheticSettingsSchema>;
export type SyntheticSettingsInput = z.input<typeof syntheticSettingsSchema>;

export const humanStudySettingsSchema = z.object({
  studyId: z.uuid(),
  /** Empty: every arm / version. */
  armKeys: z.array(z.string().min(1).max(40)).max(12).default([]),
  versionIds: z.array(z.uuid()).max(100).default([]),
  /** Final ratings (1–10) at least these; null: no filter. */
  minDocumentQuality: z.number().int().min(1).max(10).nullable().default(null),
  minOverallInteraction: z.number().int().min(1).max(10).nullable().default(null),
  /** Mean periodic (every-N-turns) rating at least this; null: no filter. */
  minMeanPeriodicRating: z.number().min(1).max(10).nullable().default(null),
  systemPrompt: z.string().max(20_000).default(''),
});
export type HumanStudySettings = z.infer<typeof humanStudySettingsSchema>;

export const datasetBaseSchema = z.object({
  name: z.string().trim().min(1).max(120),
  seed: z.string().min(1).max(100).default('collabstudy'),
  splitSeed: z.string().min(1).max(100).default('split-42'),
  evalRatio: z.number().min(0).max(0.5).default(0.1),
});
