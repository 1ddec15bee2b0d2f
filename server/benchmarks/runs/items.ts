/** A run's items: the filtered, paged list and one item's detail (task, transcript, every judge's scores). */
import { and, asc, count, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../../db';
import { schema } from '../../../db';
import { notFound } from '../../services/errors';

const { benchmarkItems, benchmarkTasks, benchmarkScores, conversations, messages } = schema;

export const listItemsInput = z.object({
  runId: z.uuid(),
  status: z.enum(['pending', 'running', 'completed', 'failed', 'cancelled']).optional(),
  armKey: z.string().max(40).optional(),
  taskId: z.uuid().optional(),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(200).default(50),
});

export async function listRunItems(db: Database, input: z.input<typeof listItemsInput>) {
  const q = listItemsInput.parse(input);
  const where = and(
    eq(benchmarkItems.runId, q.runId),
    q.status ? eq(benchmarkItems.status, q.status) : undefined,
    q.armKey ? eq(benchmarkItems.armKey, q.armKey) : undefined,
    q.taskId ? eq(benchmarkItems.taskId, q.taskId) : undefined,
  );
  const [total] = await db.select({ n: count() }).from(benchmarkItems).where(where);
  const rows = await db
    .select({
      id: benchmarkItems.id,
      status: benchmarkItems.status,
      armKey: benchmarkItems.armKey,
      replicate: benchmarkItems.replicate,
      attempts: benchmarkItems.attempts,
      error: benchmarkItems.error,
      taskId: benchmarkItems.taskId,
      taskKey: benchmarkTasks.key,
      documentType: benchmarkTasks.documentType,
      finishedAt: benchmarkItems.finishedAt,
    })
    .from(benchmarkItems)
    .innerJoin(benchmarkTasks, eq(benchmarkTasks.id, benchmarkItems.taskId))
    .where(where)
    .orderBy(asc(benchmarkTasks.key), asc(benchmarkItems.armKey), asc(benchmarkItems.replicate))
    .offset(q.offset)
    .limit(q.limit);
  return { total: total?.n ?? 0, items: rows };
}

/** One item with its task, conversation and every judge's scores and rationales. */
export async function getItemDetail(db: Database, itemId: string) {
  const [row] = await db
    .select({ item: benchmarkItems, task: benchmarkTasks })
    .from(benchmarkItems)
    .innerJoin(benchmarkTasks, eq(benchmarkTasks.id, benchmarkItems.taskId))
    .where(eq(benchmarkItems.id, itemId));
  if (!row) throw notFound('Benchmark item');
  const { item, task } = row;
  const transcript = item.conversationId
    ? await db
        .select({ seq: messages.seq, role: messages.role, content: messages.content, model: messages.model, isDemoModel: messages.isDemoModel })
        .from(messages)
        .where(eq(messages.conversationId, item.conversationId))
        .orderBy(asc(messages.seq))
    : [];
  const [conversation] = item.conversationId
    ? await db.select({ metadata: conversations.metadata }).from(conversations).where(eq(conversations.id, item.conversationId))
    : [];
  const scores = await db
    .select({
      judge: benchmarkScores.judge,
      metric: benchmarkScores.metric,
      value: benchmarkScores.value,
      rationale: benchmarkScores.rationale,
      extractionFailed: sql<boolean>`coalesce(${benchmarkScores.details}->>'fallback' = 'true', false)`,
    })
    .from(benchmarkScores)
    .where(eq(benchmarkScores.itemId, itemId))
    .orderBy(asc(benchmarkScores.judge), asc(benchmarkScores.metric));
  const metadata = (conversation?.metadata ?? null) as Record<string, unknown> | null;
  return {
    item: {
      id: item.id,
      runId: item.runId,
      status: item.status,
      armKey: item.armKey,
      replicate: item.replicate,
      attempts: item.attempts,
      error: item.error,
      failure: item.failure,
      finalDocument: item.finalDocument,
    },
    task: { id: task.id, key: task.key, documentType: task.documentType, brief: task.brief, targetDocument: task.targetDocument },
    conversationMetadata: metadata,
    endReason: typeof metadata?.endReason === 'string' ? metadata.endReason : null,
    /** Judges that could not extract the final document (their BLEU is left out of the results by default). */
    extractionFailedBy: scores.filter((s) => s.metric === 'document_words' && s.extractionFailed).map((s) => s.judge),
    transcript,
    scores: scores.map((s) => ({ judge: s.judge, metric: s.metric, value: s.value, rationale: s.rationale })),
  };
}
