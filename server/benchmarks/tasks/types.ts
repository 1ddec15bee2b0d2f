import { z } from 'zod';

/** What a built-in task is written as; `brief` is composed from goal + details (see builtin.ts). */
export interface BuiltinTaskSource {
  key: string;
  documentType: 'blog_post' | 'creative_writing' | 'personal_statement';
  topic: string;
  /** One sentence the simulated user starts from (vague on purpose). */
  goal: string;
  /** Facts and preferences the simulated user reveals bit by bit. */
  details: string[];
  target: string;
}

const slug = z
  .string()
  .trim()
  .min(1)
  .max(80)
  .regex(/^[a-z0-9][a-z0-9_.-]*$/, 'use lowercase letters, digits, ".", "-" and "_"');

/** One imported task row (JSONL object or CSV row); also the shape stored in benchmark_tasks. */
export const taskInputSchema = z.object({
  key: slug,
  documentType: slug.max(40),
  brief: z.string().trim().min(20, 'brief must be at least 20 characters').max(5000),
  targetDocument: z.string().trim().min(50, 'targetDocument must be at least 50 characters').max(20_000),
  metadata: z.record(z.string(), z.unknown()).default({}),
});
export type TaskInput = z.infer<typeof taskInputSchema>;
