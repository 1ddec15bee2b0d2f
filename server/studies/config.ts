/**
 * The study configuration contract: what a researcher edits, what a launch freezes into a version,
 * and what the participant flow reads. Pure (zod only) so the browser forms can share it.
 */
import { z } from 'zod';
import { armModeFields, checkArmModes } from '../arms/template';
import { isSafeCompletionUrlTemplate, SAFE_URL_MESSAGE } from '../lib/safe-url';

const key = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'use lowercase letters, digits, - and _');

export const armSchema = z.object({
  /** Stable key used in data and exports ("baseline", "collabllm"); never shown to participants. */
  key,
  label: z.string().min(1).max(80),
  /** LLM connection id; null means the built-in offline demo model. */
  connectionId: z.uuid().nullable(),
  /** Model id at the connection; for the demo model, the demo style. */
  model: z.string().min(1).max(200),
  /** Empty string = no system prompt (the paper's Base arm). */
  systemPrompt: z.string().max(20_000),
  temperature: z.number().min(0).max(2).default(0.8),
  topP: z.number().min(0).max(1).default(1),
  maxTokens: z.number().int().min(16).max(16_384).default(1024),
  weight: z.number().int().min(1).max(100).default(1),
  /** Plain (system prompt + chat) or template mode (server/arms/template.ts); older configs are plain. */
  ...armModeFields,
});
export type ArmConfig = z.infer<typeof armSchema>;

export const demoStyles = ['baseline', 'proactive', 'collabllm'] as const;
export type DemoStyle = (typeof demoStyles)[number];

export const attentionCheckSchema = z.object({
  id: key,
  /** Instructed-response item: the prompt tells the participant which option to pick. */
  prompt: z.string().min(1).max(1000),
  options: z.array(z.string().min(1).max(200)).min(2).max(10),
  correctOption: z.string().min(1).max(200),
});

/**
 * What assignment balances within. `documentType`: the drawn document type (drawn at consent, before the arm).
 * `topicQuestion`: the answer to one fixed-choice topic question (the arm is then assigned when the setup
 * answers are stored, not at consent).
 */
export const stratificationSchema = z.discriminatedUnion('by', [
  z.object({ by: z.literal('none') }),
  z.object({ by: z.literal('documentType') }),
  z.object({ by: z.literal('topicQuestion'), questionId: key }),
]);
export type Stratification = z.infer<typeof stratificationSchema>;

/** A topic question qualifies as a stratum when the participant must pick one of fixed options. */
export function isFixedChoiceQuestion(q: { options?: readonly string[] }): boolean {
  return (q.options?.length ?? 0) >= 2;
}

export function stratificationOf(config: { stratification?: Stratification }): Stratification {
  return config.stratification ?? { by: 'none' };
}

function studyConfigShape() {
  return {
    title: z.string().min(1).max(200),
    consent: z.object({
      version: z.string().min(1).max(40),
      text: z.string().min(1).max(50_000),
    }),
    /**
     * The consent text promises that shared data is anonymised: exports then replace Prolific/MTurk ids
     * with pseudonyms by default, and only admins can export the raw ids. An explicit setting rather
     * than parsing the consent text; on by default, because the starter consent says so.
     */
    consentPromisesAnonymisedData: z.boolean().default(true),
    instructions: z.string().min(1).max(20_000),
    documentTypes: z
      .array(z.object({ key, label: z.string().min(1).max(80), description: z.string().max(1000).default('') }))
      .min(1)
      .max(20),
    topics: z
      .array(z.object({ id: key, label: z.string().min(1).max(200) }))
      .min(1)
      .max(100),
    topicQuestions: z
      .array(
        z.object({
          id: key,
          prompt: z.string().min(1).max(500),
          placeholder: z.string().max(200).default(''),
          /**
           * Empty = free-text answer. Two or more = the participant picks one of these (a fixed-choice question),
           * which is what makes the question usable as an assignment stratum.
           */
          options: z.array(z.string().trim().min(1).max(200)).max(10).optional(),
        }),
      )
      .min(1)
      .max(5),
    arms: z.array(armSchema).min(1).max(12),
    /**
     * Balance arms within strata; absent = off (`stratificationOf`). Optional rather than defaulted so configs
     * saved before the setting existed compare equal to themselves when re-read.
     */
    stratification: stratificationSchema.optional(),
    minTurns: z.number().int().min(1).max(100).default(8),
    maxTurns: z.number().int().min(1).max(200).default(30),
    ratingInterval: z.number().int().min(1).max(50).default(3),
    maxMessageChars: z.number().int().min(50).max(20_000).default(4000),
    /** At most this many participant messages per minute. */
    messagesPerMinute: z.number().int().min(1).max(120).default(12),
    /** Whole-session limit; past it the participant is sent to the timed-out ending. */
    timeLimitMinutes: z.number().int().min(1).max(24 * 60).default(90),
    /** Participants silent for this long stop counting toward arm balance (dropout-aware assignment). */
    inactiveAfterMinutes: z.number().int().min(1).max(24 * 60).default(30),
    minFreeTextChars: z.number().int().min(0).max(2000).default(20),
    blindingOptions: z.array(z.string().min(1).max(200)).min(2).max(10),
    attentionChecks: z.array(attentionCheckSchema).max(10),
    completionCodes: z.object({
      completed: z.string().min(1).max(100),
      noConsent: z.string().min(1).max(100),
      failedChecks: z.string().min(1).max(100),
      timedOut: z.string().min(1).max(100),
    }),
    /**
     * Prolific completion URL template; `{code}` is replaced with the completion code. The participant's browser
     * is sent there, so only https (http for localhost) is accepted: a `javascript:` URL would run in our origin.
     */
    prolificCompletionUrl: z
      .string()
      .max(2000)
      .refine(isSafeCompletionUrlTemplate, SAFE_URL_MESSAGE)
      .default('https://app.prolific.com/submissions/complete?cc={code}'),
  };
}

function checkStudyConfig(c: z.infer<ReturnType<typeof studyConfigObject>>, ctx: z.RefinementCtx): void {
  const armKeys = new Set<string>();
  for (const [i, arm] of c.arms.entries()) {
    if (armKeys.has(arm.key)) ctx.addIssue({ code: 'custom', path: ['arms', i, 'key'], message: 'duplicate arm key' });
    armKeys.add(arm.key);
  }
  checkArmModes(c.arms, ctx);
  for (const [i, check] of c.attentionChecks.entries()) {
    if (!check.options.includes(check.correctOption))
      ctx.addIssue({ code: 'custom', path: ['attentionChecks', i, 'correctOption'], message: 'must be one of the options' });
  }
  for (const [i, { options = [] }] of c.topicQuestions.entries()) {
    if (options.length === 1)
      ctx.addIssue({ code: 'custom', path: ['topicQuestions', i, 'options'], message: 'give at least two options, or none for a free-text answer' });
    if (new Set(options).size !== options.length)
      ctx.addIssue({ code: 'custom', path: ['topicQuestions', i, 'options'], message: 'options must be different from each other' });
  }
  if (c.stratification?.by === 'topicQuestion') {
    const questionId = c.stratification.questionId;
    const question = c.topicQuestions.find((q) => q.id === questionId);
    if (!question)
      ctx.addIssue({ code: 'custom', path: ['stratification', 'questionId'], message: 'must be the id of one of the topic questions' });
    else if (!isFixedChoiceQuestion(question))
      ctx.addIssue({
        code: 'custom',
        path: ['stratification', 'questionId'],
        message: 'only a topic question with fixed options (two or more) can be a stratum',
      });
  }
  if (c.maxTurns < c.minTurns)
    ctx.addIssue({ code: 'custom', path: ['maxTurns'], message: 'must be at least the minimum turns' });
}

function studyConfigObject() {
  return z.object(studyConfigShape());
}

/** What a researcher may save, launch or publish. */
export const studyConfigSchema = studyConfigObject().superRefine(checkStudyConfig);

/**
 * Reading a frozen version back: versions saved before a rule existed must still load (a participant mid-study
 * must not get an error), so the completion URL is not re-checked here; every use of it checks it again.
 */
export const storedStudyConfigSchema = z
  .object({ ...studyConfigShape(), prolificCompletionUrl: z.string().max(2000).default('') })
  .superRefine(checkStudyConfig);

export type StudyConfig = z.infer<typeof studyConfigSchema>;
