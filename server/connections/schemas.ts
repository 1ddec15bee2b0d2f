/** Inputs of the LLM connection verbs. Pure zod, shared by the router and the admin form. */
import { z } from 'zod';

const httpUrl = z
  .url('enter a full URL, e.g. https://api.openai.com/v1')
  .max(500)
  .refine((u) => /^https?:\/\//i.test(u), 'use an http:// or https:// URL');

const apiKey = z.string().trim().min(1, 'enter the key, or leave the field empty').max(1000);

export const connectionFields = z.object({
  name: z.string().trim().min(1, 'give the connection a name').max(80),
  baseUrl: httpUrl,
  defaultModel: z.string().trim().min(1, 'enter the model id to use by default').max(200),
});

export const createConnectionInput = connectionFields.extend({ apiKey: apiKey.optional() });

export const updateConnectionInput = connectionFields.extend({
  connectionId: z.uuid(),
  /** A new key replaces the stored one; omitted keeps it. */
  apiKey: apiKey.optional(),
  clearKey: z.boolean().default(false),
});

export const connectionIdInput = z.object({ connectionId: z.uuid() });

/** Test settings before (or without) saving; without `apiKey`, a saved connection's key is used. */
export const testConnectionInput = z.object({
  connectionId: z.uuid().optional(),
  baseUrl: httpUrl,
  apiKey: apiKey.optional(),
  model: z.string().trim().min(1).max(200),
});
