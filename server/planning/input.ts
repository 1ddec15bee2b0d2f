/**
 * The planner's input (zod), with its caps. No server imports, so the page validates the same way before it asks.
 */
import { z } from 'zod';
import { cleanText } from '../lib/text';

const finite = z.number().finite();
const label = z
  .string()
  .max(80)
  .transform((s) => cleanText(s).trim())
  .pipe(z.string().min(1, 'Give the outcome a name.'));

export const typedEffectSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('mean'),
    meanDifference: finite.min(-1e9).max(1e9),
    sd: finite.positive('The SD must be greater than 0.').max(1e9),
    sdOther: finite.positive('The SD must be greater than 0.').max(1e9).optional(),
  }),
  z.object({ kind: z.literal('d'), d: finite.min(-20).max(20) }),
]);

export const planInput = z.object({
  studyId: z.uuid(),
  source: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('typed'), outcomes: z.array(z.object({ label, effect: typedEffectSchema })).min(1, 'Type at least one effect.').max(20) }),
    z.object({ kind: z.literal('pilot'), pilotId: z.uuid() }),
    z.object({ kind: z.literal('study') }),
  ]),
  referenceArm: z.string().max(40).optional(),
  alpha: finite.gt(0, 'α must be above 0.').max(0.5, 'α can be at most 0.5.'),
  power: finite.min(0.5, 'Power must be at least 0.5.').max(0.999, 'Power can be at most 0.999.'),
  test: z.enum(['welch', 'mann-whitney']),
  adjustment: z.enum(['none', 'bonferroni', 'holm']).default('none'),
  dropout: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('study') }),
    z.object({ kind: z.literal('typed'), rate: finite.min(0, 'Dropout cannot be negative.').max(0.9, 'Dropout can be at most 90%.') }),
  ]),
  simulations: z.number().int().min(100).max(5000).default(1000),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
  nMax: z.number().int().min(10).max(100_000).default(5000),
});
export type PlanInput = z.input<typeof planInput>;
