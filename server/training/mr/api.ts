/**
 * The reward service for external trainers (online DPO / PPO running elsewhere call it as their reward
 * function): score candidate replies for a conversation prefix with MR and return the evidence.
 *
 * Small requests (candidates × samples ≤ SYNC_MAX_SAMPLES) are scored inline and answered at once, within
 * a time budget; the samples are stored like any other, so nothing is lost if the budget runs out — the
 * rest are handed to the queue and the caller polls. Larger requests go to the queue straight away.
 * Researcher role or higher; an evaluation is readable by whoever requested it, and by admins.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../../db';
import { benchmarkTasks, rewardCandidates, rewardEvaluations, rewardSamples } from '../../../db/schema';
import { requireRole, hasRole } from '../../auth/roles';
import { nudgeJobs } from '../../jobs/runtime';
import { withoutNul } from '../../lib/text';
import type { ServiceContext } from '../../services/context';
import { badRequest, notFound } from '../../services/errors';
import { loadRewardTask } from '../datasets/synthetic';
import { onEvaluationScored } from '../jobs';
import { candidateSummary, createEvaluation, enqueueSampleJobs, finalizeEvaluationIfComplete, runAndStoreSample, storeScoredEvaluation, type StoredSample } from './store';
import { mrSettingsSchema, mrUsesDemo, rewardTaskSchema, type RewardTask } from './settings';

/** Largest request answered synchronously: 2 candidates × 3 samples (the paper's S). */
export const SYNC_MAX_SAMPLES = 6;
export const SYNC_BUDGET_MS = 60_000;
/** Forward samples running at once for one queued request, across all workers. */
export const API_CONCURRENCY = 8;
export const MAX_REQUEST_BYTES = 1_000_000;

/** Outside text loses U+0000 and lone surrogates (neither survives Postgres text/jsonb). */
const cleanText = (s: string) => (withoutNul(s) as string & { toWellFormed(): string }).toWellFormed();
const text = (max: number) => z.string().max(max).transform((s) => cleanText(s));
const message = z.object({ role: z.enum(['system', 'user', 'assistant']), content: text(50_000) });

export const rewardRequestSchema = z
  .object({
    messages: z.array(message).min(1).max(200),
    task: z.union([
      z.object({ taskId: z.uuid() }).strict(),
      z
        .object({
          targetDocument: text(100_000),
          brief: text(20_000).pipe(z.string().min(1)),
          documentType: z.string().min(1).max(80).default('blog_post'),
          details: z.array(text(2000)).max(50).optional(),
        })
        .strict(),
    ]),
    candidates: z.array(text(50_000).pipe(z.string().min(1))).min(1).max(16),
    settings: mrSettingsSchema.partial().default({}),
    /** Seed of the forward samples; the same request with the same seed repeats the same model calls. */
    seed: z.string().min(1).max(100).default('reward-api'),
    /** 'async' always queues; 'auto' answers small requests at once. */
    mode: z.enum(['auto', 'async']).default('auto'),
  })
  .strict()
  .superRefine((r, ctx) => {
    const convo = r.messages.filter((m) => m.role !== 'system');
    if (convo[convo.length - 1]?.role !== 'user') ctx.addIssue({ code: 'custom', path: ['messages'], message: 'the conversation must end with a user message' });
    const samples = r.candidates.length * (r.settings.samples ?? 3);
    if (samples > 64) ctx.addIssue({ code: 'custom', path: ['candidates'], message: `candidates × samples is ${samples}; at most 64 per request` });
  });
export type RewardRequest = z.input<typeof rewardRequestSchema>;

export interface RewardCandidateResult {
  index: number;
  content: string;
  mr: number | null;
  std: number | null;
  components: Record<string, number> | null;
  samples: { index: number; reward: number; endedBy: string; continuation: unknown; components: Record<string, unknown> }[];
}

export interface RewardEvaluationView {
  id: string;
  status: 'scoring' | 'scored' | 'failed' | 'cancelled';
  error: string | null;
  isDemo: boolean;
  settings: Record<string, unknown>;
  seed: string;
  candidates: RewardCandidateResult[];
  createdAt: Date;
  finishedAt: Date | null;
}

function groupKey(evaluationId: string) {
  return `reward-evaluation:${evaluationId}`;
}

async function resolveTask(db: Database, task: z.infer<typeof rewardRequestSchema>['task']): Promise<RewardTask> {
  if ('taskId' in task) {
    const [exists] = await db.select({ id: benchmarkTasks.id }).from(benchmarkTasks).where(eq(benchmarkTasks.id, task.taskId));
    if (!exists) throw badRequest('task.taskId: no such task.');
    return loadRewardTask(db, task.taskId);
  }
  return rewardTaskSchema.parse({ taskId: null, ...task });
}

export async function requestReward(
  ctx: ServiceContext,
  input: unknown,
  opts: { syncBudgetMs?: number } = {},
): Promise<{ status: 'scored' | 'scoring' | 'failed'; evaluation: RewardEvaluationView }> {
  const actor = requireRole(ctx.actor, 'researcher');
  const parsed = rewardRequestSchema.safeParse(input);
  if (!parsed.success) throw badRequest(parsed.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; '));
  const req = parsed.data;
  const settings = mrSettingsSchema.parse(req.settings);
  const task = await resolveTask(ctx.db, req.task);
  const sync = req.mode === 'auto' && req.candidates.length * settings.samples <= SYNC_MAX_SAMPLES;
  const { evaluationId, candidateIds } = await ctx.db.transaction(async (tx) => {
    const created = await createEvaluation(tx, {
      source: 'api',
      prefix: req.messages,
      task,
      settings,
      seed: req.seed,
      candidates: req.candidates.map((content) => ({ content, origin: { kind: 'external' } })),
      createdById: actor.id,
      jobs: null,
    });
    if (!sync)
      await enqueueSampleJobs(tx, created.evaluationId, created.candidateIds, settings.samples, { groupKey: groupKey(created.evaluationId), concurrency: API_CONCURRENCY });
    return created;
  });
  if (!sync) {
    nudgeJobs();
    return { status: 'scoring', evaluation: await getRewardEvaluation(ctx, evaluationId) };
  }

  const controller = new AbortController();
  const budget = setTimeout(() => controller.abort(new Error('sync budget')), opts.syncBudgetMs ?? SYNC_BUDGET_MS);
  try {
    // Everything the samples need is in memory: no round trip re-reads the evaluation (this path's latency counts).
    const evaluation = { evaluationId, prefix: req.messages, task, settings, seed: req.seed };
    const work = candidateIds.flatMap((candidateId, idx) =>
      Array.from({ length: settings.samples }, (_, sampleIndex) =>
        runAndStoreSample(ctx.db, evaluation, { id: candidateId, content: req.candidates[idx]! }, sampleIndex, { signal: controller.signal }),
      ),
    );
    const results = await Promise.allSettled(work);
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure && !controller.signal.aborted) {
      // Not a time-out: the same error would hit the queue; report it now.
      const message = failure.reason instanceof Error ? failure.reason.message : String(failure.reason);
      await ctx.db.update(rewardEvaluations).set({ status: 'failed', error: message.slice(0, 2000), finishedAt: new Date() }).where(eq(rewardEvaluations.id, evaluationId));
      return { status: 'failed', evaluation: await getRewardEvaluation(ctx, evaluationId) };
    }
    if (failure) {
      // Out of time: whatever was stored stays; the queue scores the rest and the caller polls.
      await enqueueSampleJobs(ctx.db, evaluationId, candidateIds, settings.samples, { groupKey: groupKey(evaluationId), concurrency: API_CONCURRENCY });
      nudgeJobs();
      return { status: 'scoring', evaluation: await getRewardEvaluation(ctx, evaluationId) };
    }
    const samples = results.map((r) => (r as PromiseFulfilledResult<StoredSample | null>).value);
    if (samples.some((x) => x === null)) {
      // Stored by someone else meanwhile (cannot happen without queued jobs): take the general path.
      await finalizeEvaluationIfComplete(ctx.db, evaluationId, onEvaluationScored);
      return { status: 'scored', evaluation: await getRewardEvaluation(ctx, evaluationId) };
    }
    const stored = samples as StoredSample[];
    const candidates = candidateIds.map((candidateId, idx) => {
      const own = stored.filter((x) => x.candidateId === candidateId).sort((a, b) => a.sampleIndex - b.sampleIndex);
      return { candidateId, idx, own, ...candidateSummary(own as { reward: number; components: Record<string, unknown> }[]) };
    });
    await storeScoredEvaluation(ctx.db, evaluationId, candidates);
    return {
      status: 'scored',
      evaluation: {
        id: evaluationId,
        status: 'scored',
        error: null,
        isDemo: mrUsesDemo(settings),
        settings,
        seed: req.seed,
        createdAt: new Date(),
        finishedAt: new Date(),
        candidates: candidates.map((c) => ({
          index: c.idx,
          content: req.candidates[c.idx]!,
          mr: c.mean,
          std: c.std,
          components: c.components,
          samples: c.own.map((x) => ({ index: x.sampleIndex, reward: x.reward, endedBy: x.endedBy, continuation: x.continuation, components: x.components as Record<string, unknown> })),
        })),
      },
    };
  } finally {
    clearTimeout(budget);
  }
}

export async function getRewardEvaluation(ctx: ServiceContext, evaluationId: string): Promise<RewardEvaluationView> {
  const actor = requireRole(ctx.actor, 'researcher');
  const [ev] = await ctx.db.select().from(rewardEvaluations).where(and(eq(rewardEvaluations.id, evaluationId), eq(rewardEvaluations.source, 'api')));
  if (!ev || (ev.createdById !== actor.id && !hasRole(actor, 'admin'))) throw notFound('Reward evaluation');
  const candidates = await ctx.db.select().from(rewardCandidates).where(eq(rewardCandidates.evaluationId, ev.id)).orderBy(asc(rewardCandidates.idx));
  const samples = candidates.length
    ? await ctx.db.select().from(rewardSamples).where(inArray(rewardSamples.candidateId, candidates.map((c) => c.id))).orderBy(asc(rewardSamples.sampleIndex))
    : [];
  return {
    id: ev.id,
    status: ev.status,
    error: ev.error,
    isDemo: ev.isDemo,
    settings: ev.settings,
    seed: ev.seed,
    createdAt: ev.createdAt,
    finishedAt: ev.finishedAt,
    candidates: candidates.map((c) => ({
      index: c.idx,
      content: c.content,
      mr: c.mean,
      std: c.std,
      components: c.components,
      samples: samples
        .filter((s) => s.candidateId === c.id)
        .map((s) => ({ index: s.sampleIndex, reward: s.reward, endedBy: s.endedBy, continuation: s.continuation, components: s.components })),
    })),
  };
}
