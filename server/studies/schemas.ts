/** Inputs of the study setup verbs. Pure zod, shared by routers and browser forms. */
import { z } from 'zod';
import { studyConfigSchema } from './config';

export const slugSchema = z
  .string()
  .trim()
  .min(2, 'at least 2 characters')
  .max(60, 'at most 60 characters')
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and -; start with a letter or digit');

export const studyNameSchema = z.string().trim().min(1, 'give the study a name').max(200);

export const createStudyInput = z.object({
  slug: slugSchema,
  name: studyNameSchema,
  /** Omitted: the starter configuration (two demo-model arms). */
  config: studyConfigSchema.optional(),
});

export const studyIdInput = z.object({ studyId: z.uuid() });

export const updateDraftInput = z.object({
  studyId: z.uuid(),
  name: studyNameSchema.optional(),
  config: studyConfigSchema,
});

export const launchInput = z.object({ studyId: z.uuid(), note: z.string().trim().max(2000).optional() });

export const publishVersionInput = z.object({
  studyId: z.uuid(),
  note: z.string().trim().min(1, 'say what changed, for the record').max(2000),
});

export const setStatusInput = z.object({ studyId: z.uuid(), status: z.enum(['running', 'paused', 'closed']) });

/** Where a configuration comes from: the editable draft or a published version number. */
export const configSourceSchema = z.union([z.literal('draft'), z.number().int().min(1)]);

export const duplicateStudyInput = z.object({
  studyId: z.uuid(),
  source: configSourceSchema,
  slug: slugSchema,
  name: studyNameSchema,
});

export const compareConfigsInput = z.object({ studyId: z.uuid(), from: configSourceSchema, to: configSourceSchema });
