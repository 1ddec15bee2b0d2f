/**
 * A tiny stand-in for benchcore's item executor, for testing the run lifecycle and queue on their own:
 * same contract (idempotent, one conversation per item, rerun from scratch after a partial attempt,
 * item status pending on retryable errors and failed on terminal ones), no LLM calls. Tests only.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../../../../db';
import { schema } from '../../../../db';
import type { BenchmarkJobDeps } from '../jobs';
import { holdsLease, type JobLease } from '../../../jobs/queue';

export class LocalTerminalError extends Error {}

export interface LocalExecutorOptions {
  delayMs?: number;
  /** Decide per item and attempt whether to throw (e.g. a 429 on the first attempt). */
  failure?: (item: { itemId: string; armKey: string; attempt: number }) => Error | null;
  /** Called when an attempt starts running, with its abort signal (aborted when the worker stops it). */
  onStart?: (itemId: string, signal: AbortSignal | undefined) => void;
  onEnd?: (itemId: string, signal: AbortSignal | undefined) => void;
}

export function localExecutorDeps(opts: LocalExecutorOptions = {}): BenchmarkJobDeps & { executed: Map<string, number> } {
  const executed = new Map<string, number>();
  const { benchmarkItems, benchmarkScores, conversations, messages } = schema;
  return {
    executed,
    isTerminalError: (err) => err instanceof LocalTerminalError,
    async rescoreRun(db, runId, judge) {
      const items = await db
        .select({ id: benchmarkItems.id })
        .from(benchmarkItems)
        .where(and(eq(benchmarkItems.runId, runId), eq(benchmarkItems.status, 'completed')));
      for (const item of items)
        await db
          .insert(benchmarkScores)
          .values({ itemId: item.id, judge: `rescore:${judge.model}`, metric: 'quality', value: 7, rationale: 'rescored' })
          .onConflictDoNothing();
    },
    async executeItem(db: Database, itemId: string, { signal, lease }: { signal?: AbortSignal; lease?: JobLease }) {
      const [item] = await db.select().from(benchmarkItems).where(eq(benchmarkItems.id, itemId));
      if (!item || item.status === 'completed' || item.status === 'cancelled') return;
      const convId = await db.transaction(async (tx) => {
        // Fenced like the real executor: only while this job attempt still holds its lease.
        if (lease && !(await holdsLease(tx, lease))) return null;
        const [locked] = await tx.select().from(benchmarkItems).where(eq(benchmarkItems.id, itemId)).for('update');
        if (!locked || locked.status === 'completed' || locked.status === 'cancelled') return null;
        if (locked.conversationId) await tx.delete(conversations).where(eq(conversations.id, locked.conversationId));
        await tx.delete(benchmarkScores).where(eq(benchmarkScores.itemId, itemId));
        const [conv] = await tx
          .insert(conversations)
          .values({ kind: 'simulation', armKey: locked.armKey, metadata: { itemId } })
          .returning({ id: conversations.id });
        await tx
          .update(benchmarkItems)
          .set({ status: 'running', attempts: sql`${benchmarkItems.attempts} + 1`, conversationId: conv!.id, error: null })
          .where(eq(benchmarkItems.id, itemId));
        return conv!.id;
      });
      if (!convId) return;
      const attempt = (executed.get(itemId) ?? 0) + 1;
      executed.set(itemId, attempt);
      opts.onStart?.(itemId, signal);
      try {
        const failure = opts.failure?.({ itemId, armKey: item.armKey, attempt });
        if (failure) throw failure;
        if (opts.delayMs)
          await new Promise<void>((resolve, reject) => {
            const t = setTimeout(resolve, opts.delayMs);
            signal?.addEventListener('abort', () => (clearTimeout(t), reject(new Error('aborted'))), { once: true });
          });
        await db.insert(messages).values([
          { conversationId: convId, seq: 1, role: 'user', content: 'hello' },
          { conversationId: convId, seq: 2, role: 'assistant', content: 'hi there' },
        ]);
        await db.transaction(async (tx) => {
          if (lease && !(await holdsLease(tx, lease))) return;
          const [locked] = await tx.select().from(benchmarkItems).where(eq(benchmarkItems.id, itemId)).for('update');
          if (!locked || locked.status !== 'running' || locked.conversationId !== convId) return;
          await tx.insert(benchmarkScores).values({ itemId, judge: 'demo-judge', metric: 'quality', value: 5, rationale: 'fine' });
          await tx.update(benchmarkItems).set({ status: 'completed', finishedAt: new Date() }).where(eq(benchmarkItems.id, itemId));
        });
      } catch (err) {
        await db
          .update(benchmarkItems)
          .set({ status: err instanceof LocalTerminalError ? 'failed' : 'pending', error: (err as Error).message, finishedAt: new Date() })
          .where(and(eq(benchmarkItems.id, itemId), eq(benchmarkItems.conversationId, convId), inArray(benchmarkItems.status, ['pending', 'running'])));
        throw err;
      } finally {
        opts.onEnd?.(itemId, signal);
      }
    },
  };
}
