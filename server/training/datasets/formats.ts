/**
 * The export formats of training datasets (pure): zod schemas of one JSONL line of each, shared by the
 * exporter (which validates every line it writes) and the tests (which parse every line they read).
 * Shapes: TRL conversational SFT `{messages}` and DPO `{prompt, chosen, rejected}` (chat-message lists);
 * OpenAI supervised `{messages}` and preference `{input: {messages}, preferred_output, non_preferred_output}`
 * with exactly one assistant message in each output.
 */
import { z } from 'zod';

export const DATASET_EXPORT_FORMATS = ['trl-sft', 'trl-dpo', 'openai-sft', 'openai-dpo'] as const;
export type DatasetExportFormat = (typeof DATASET_EXPORT_FORMATS)[number];
export const datasetExportFormatSchema = z.enum(DATASET_EXPORT_FORMATS);

export const DATASET_EXPORT_SPLITS = ['train', 'eval', 'all'] as const;
export type DatasetExportSplit = (typeof DATASET_EXPORT_SPLITS)[number];

const content = z.string();
const systemMessage = z.object({ role: z.literal('system'), content }).strict();
const userMessage = z.object({ role: z.literal('user'), content }).strict();
const assistantMessage = z.object({ role: z.literal('assistant'), content }).strict();
const chatMessage = z.discriminatedUnion('role', [systemMessage, userMessage, assistantMessage]);

/** A conversation: optional system message first, then at least one user message and ending with the assistant. */
const conversation = z
  .array(chatMessage)
  .min(2)
  .refine((m) => m.every((msg, i) => msg.role !== 'system' || i === 0), 'a system message may only come first')
  .refine((m) => m.some((msg) => msg.role === 'user'), 'needs a user message')
  .refine((m) => m[m.length - 1]?.role === 'assistant', 'must end with an assistant message');

/** A prompt: optional system message first, ending with a user message. */
const prompt = z
  .array(chatMessage)
  .min(1)
  .refine((m) => m.every((msg, i) => msg.role !== 'system' || i === 0), 'a system message may only come first')
  .refine((m) => m[m.length - 1]?.role === 'user', 'must end with a user message');

export const trlSftLineSchema = z.object({ messages: conversation }).strict();
export const trlDpoLineSchema = z
  .object({ prompt, chosen: z.array(assistantMessage).length(1), rejected: z.array(assistantMessage).length(1) })
  .strict();
export const openaiSftLineSchema = z.object({ messages: conversation }).strict();
export const openaiDpoLineSchema = z
  .object({
    input: z.object({ messages: prompt }).strict(),
    preferred_output: z.array(assistantMessage).length(1),
    non_preferred_output: z.array(assistantMessage).length(1),
  })
  .strict();

export const lineSchemas = {
  'trl-sft': trlSftLineSchema,
  'trl-dpo': trlDpoLineSchema,
  'openai-sft': openaiSftLineSchema,
  'openai-dpo': openaiDpoLineSchema,
} as const satisfies Record<DatasetExportFormat, z.ZodType>;

/** Whether a format holds preference pairs (one line per pair) or whole conversations (one line per conversation). */
export function isPreferenceFormat(format: DatasetExportFormat): boolean {
  return format === 'trl-dpo' || format === 'openai-dpo';
}

export function exportFileName(datasetName: string, version: number, format: DatasetExportFormat, split: DatasetExportSplit): string {
  const slug = datasetName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'dataset';
  return `${slug}-v${version}-${format}${split === 'all' ? '' : `-${split}`}.jsonl`;
}
