/**
 * The token and cost ledger of benchmark runs (`benchmark_usage`): item attempts and re-scores append rows,
 * readers sum them. See the table's comment in db/schema/benchmarks.ts for why it is not a counter.
 */
import { inArray, sql } from 'drizzle-orm';
import type { DbExecutor } from '../../db';
import { benchmarkUsage } from '../../db/schema';
import { estimateCostUsd, type RunConfig } from './run-config';
import { addUsage, zeroUsage, type RoleUsage } from './types';
import type { Usage } from '../llm/types';

export interface UsageTotals {
  promptTokens: number;
  completionTokens: number;
  estimatedCostUsd: number;
}

/** Appends what one item attempt (or one re-scored item) spent; nothing when it spent nothing. */
export async function recordRunUsage(
  db: DbExecutor,
  entry: { runId: string; itemId: string | null; pricing: RunConfig['pricing']; usage: RoleUsage },
): Promise<void> {
  const total = Object.values(entry.usage).reduce<Usage>((acc, u) => addUsage(acc, u), zeroUsage());
  if (total.promptTokens === 0 && total.completionTokens === 0) return;
  await db.insert(benchmarkUsage).values({
    runId: entry.runId,
    itemId: entry.itemId,
    promptTokens: total.promptTokens,
    completionTokens: total.completionTokens,
    estimatedCostUsd: estimateCostUsd(entry.pricing, entry.usage),
  });
}

/** Totals per run (zero for runs without usage yet). */
export async function runUsageTotals(db: DbExecutor, runIds: string[]): Promise<Map<string, UsageTotals>> {
  const out = new Map<string, UsageTotals>(runIds.map((id) => [id, { promptTokens: 0, completionTokens: 0, estimatedCostUsd: 0 }]));
  if (runIds.length === 0) return out;
  const rows = await db
    .select({
      runId: benchmarkUsage.runId,
      promptTokens: sql<number>`sum(${benchmarkUsage.promptTokens})`.mapWith(Number),
      completionTokens: sql<number>`sum(${benchmarkUsage.completionTokens})`.mapWith(Number),
      estimatedCostUsd: sql<number>`sum(${benchmarkUsage.estimatedCostUsd})`.mapWith(Number),
    })
    .from(benchmarkUsage)
    .where(inArray(benchmarkUsage.runId, runIds))
    .groupBy(benchmarkUsage.runId);
  for (const r of rows) out.set(r.runId, { promptTokens: r.promptTokens, completionTokens: r.completionTokens, estimatedCostUsd: r.estimatedCostUsd });
  return out;
}
