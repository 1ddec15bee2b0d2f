/**
 * The built-in task set: 30 document-creation tasks (blog posts, creative writing, personal statements)
 * written for this project. Each task's brief is what the simulated user wants and is never shown to the
 * assistant; the target is the document the user has in mind (BLEU reference).
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { DbExecutor } from '../../../db';
import { benchmarkTasks, benchmarkTaskSets } from '../../../db/schema';
import { blogPostTasks } from './blog-posts';
import { creativeWritingTasks } from './creative-writing';
import { personalStatementTasks } from './personal-statements';
import type { BuiltinTaskSource, TaskInput } from './types';

/** Bump the version (a new set) rather than editing tasks in place: old runs keep their references. */
export const BUILTIN_TASK_SET_NAME = 'Built-in document tasks v1';

export const DOCUMENT_TYPE_LABELS: Record<string, string> = {
  blog_post: 'blog post',
  creative_writing: 'piece of creative writing',
  personal_statement: 'personal statement',
};

export function countWords(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/** Rounded to the nearest 50 so the brief states a natural length ("about 300 words"). */
function approximateLength(target: string): number {
  return Math.max(50, Math.round(countWords(target) / 50) * 50);
}

export function composeBrief(source: Pick<BuiltinTaskSource, 'goal' | 'details' | 'target'>): string {
  const lines = [
    source.goal,
    `The finished piece should be about ${approximateLength(source.target)} words.`,
    'What you have in mind:',
    ...source.details.map((d) => `- ${d}`),
  ];
  return lines.join('\n');
}

export const builtinTaskSources: readonly BuiltinTaskSource[] = [
  ...blogPostTasks,
  ...creativeWritingTasks,
  ...personalStatementTasks,
];

export function builtinTasks(): TaskInput[] {
  return builtinTaskSources.map((s) => ({
    key: s.key,
    documentType: s.documentType,
    brief: composeBrief(s),
    targetDocument: s.target,
    metadata: {
      topic: s.topic,
      goal: s.goal,
      details: s.details,
      targetWords: countWords(s.target),
      source: 'builtin',
    },
  }));
}

/** Creates the built-in task set and any of its tasks that are missing. Safe to run concurrently. */
export async function ensureBuiltinTaskSet(db: DbExecutor): Promise<{ taskSetId: string; created: number }> {
  await db
    .insert(benchmarkTaskSets)
    .values({
      name: BUILTIN_TASK_SET_NAME,
      description: 'Thirty document-creation tasks written for CollabStudy: blog posts, creative writing and personal statements (200–500 word targets).',
      builtIn: true,
    })
    .onConflictDoNothing({ target: benchmarkTaskSets.name });
  const [set] = await db
    .select({ id: benchmarkTaskSets.id })
    .from(benchmarkTaskSets)
    .where(eq(benchmarkTaskSets.name, BUILTIN_TASK_SET_NAME));
  if (!set) throw new Error('built-in task set was not created');
  const tasks = builtinTasks();
  const inserted = await db
    .insert(benchmarkTasks)
    .values(tasks.map((t) => ({ ...t, taskSetId: set.id })))
    .onConflictDoNothing({ target: [benchmarkTasks.taskSetId, benchmarkTasks.key] })
    .returning({ id: benchmarkTasks.id });
  return { taskSetId: set.id, created: inserted.length };
}

/** Task ids of the built-in set by key (handy for demo runs and tests). */
export async function builtinTaskIds(db: DbExecutor, keys?: string[]): Promise<string[]> {
  const [set] = await db
    .select({ id: benchmarkTaskSets.id })
    .from(benchmarkTaskSets)
    .where(eq(benchmarkTaskSets.name, BUILTIN_TASK_SET_NAME));
  if (!set) return [];
  const rows = await db
    .select({ id: benchmarkTasks.id, key: benchmarkTasks.key })
    .from(benchmarkTasks)
    .where(keys ? and(eq(benchmarkTasks.taskSetId, set.id), inArray(benchmarkTasks.key, keys)) : eq(benchmarkTasks.taskSetId, set.id))
    .orderBy(benchmarkTasks.key);
  return rows.map((r) => r.id);
}
