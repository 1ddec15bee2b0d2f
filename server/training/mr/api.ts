/**
 * The reward service for external trainers (online DPO / PPO running elsewhere call it as their reward
 * function): score candidate replies for a conversation prefix with MR and return the evidence.
 *
 * Small requests (candidates × samples ≤ SYNC_MAX_SAMPLES) are scored inline and answered at once, within
 * a time budget, and stored (evaluation, candidates, samples) in one transaction before the answer; if the
 * budget runs out, the finished samples are stored and the rest handed to the queue, and the caller polls.
 * Larger requests go to the queue straight away.
 * Researcher role or higher; an evaluation is readable by whoever requested it, and by admins.
 */
import { randomUUID } from 'node:crypto';
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
import { candidateSummary, computeSample, createEvaluation, enqueueSampleJobs, storeInlineEvaluation, type StoredSample } from './store';
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
  const record = {
    source: 'api' as const,
    prefix: req.messages,
    task,
    settings,
    seed: req.seed,
    createdById: actor.id,
  };
  if (!sync) {
    const { evaluationId } = await ctx.db.transaction(async (tx) => {
      const created = await createEvaluation(tx, { ...record, candidates: req.candidates.map((content) => ({ content, origin: { kind: 'external' } })), jobs: null });
      await enqueueSampleJobs(tx, created.evaluationId, created.candidateIds, settings.samples, { groupKey: groupKey(created.evaluationId), concurrency: API_CONCURRENCY });
      return created;
    });
    nudgeJobs();
    return { status: 'scoring', evaluation: await getRewardEvaluation(ctx, evaluationId) };
  }
  return scoreInline(ctx, req, record, opts.syncBudgetMs ?? SYNC_BUDGET_MS);
}

/**
 * The synchronous path: the samples run in memory and everything is written once, in one pipelined
 * transaction, just before the answer (this path's added latency is what trainers wait for; bench/README.md).
 * If the time budget runs out, what finished is stored with the evaluation and the rest goes to the queue.
 */
async function scoreInline(
  ctx: ServiceContext,
  req: z.infer<typeof rewardRequestSchema>,
  record: { source: 'api'; prefix: z.infer<typeof rewardRequestSchema>['messages']; task: RewardTask; settings: z.infer<typeof mrSettingsSchema>; seed: string; createdById: string },
  budgetMs: number,
): Promise<{ status: 'scored' | 'scoring' | 'failed'; evaluation: RewardEvaluationView }> {
  const { settings } = record;
  const evaluationId = randomUUID();
  const candidates = req.candidates.map((content) => ({ id: randomUUID(), content, origin: { kind: 'external' } as Record<string, unknown> }));
  const controller = new AbortController();
  const budget = setTimeout(() => controller.abort(new Error('sync budget')), budgetMs);
  let results: PromiseSettledResult<StoredSample>[];
  try {
    const context = { evaluationId, prefix: record.prefix, task: record.task, settings, seed: record.seed };
    results = await Promise.allSettled(
      candidates.flatMap((candidate) =>
        Array.from({ length: settings.samples }, (_, sampleIndex) => computeSample(ctx.db, context, candidate, sampleIndex, { signal: controller.signal })),
      ),
    );
  } finally {
    clearTimeout(budget);
  }
  const samples = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure && !controller.signal.aborted) {
    // Not a time-out: the same error would hit the queue; report it now.
    const message = failure.reason instanceof Error ? failure.reason.message : String(failure.reason);
    await storeInlineEvaluation(ctx.db, { ...record, evaluationId, status: 'failed', error: message.slice(0, 2000), candidates: candidates.map((c) => ({ ...c, summary: null })), samples });
    return { status: 'failed', evaluation: await getRewardEvaluation(ctx, evaluationId) };
  }
  if (failure) {
    // Out of time: whatever finished is stored; the queue scores the rest and the caller polls.
    await storeInlineEvaluation(ctx.db, {
      ...record,
      evaluationId,
      status: 'scoring',
      candidates: candidates.map((c) => ({ ...c, summary: null })),
      samples,
      queue: { groupKey: groupKey(evaluationId), concurrency: API_CONCURRENCY },
    });
    nudgeJobs();
    return { status: 'scoring', evaluation: await getRewardEvaluation(ctx, evaluationId) };
  }
  const scored = candidates.map((candidate, idx) => {
    const own = samples.filter((x) => x.candidateId === candidate.id).sort((a, b) => a.sampleIndex - b.sampleIndex);
    return { ...candidate, idx, own, summary: candidateSummary(own as { reward: number; components: Record<string, unknown> }[]) };
  });
  await storeInlineEvaluation(ctx.db, { ...record, evaluationId, status: 'scored', candidates: scored, samples });
  const now = new Date();
  return {
    status: 'scored',
    evaluation: {
      id: evaluationId,
      status: 'scored',
      error: null,
      isDemo: mrUsesDemo(settings),
      settings,
      seed: record.seed,
      createdAt: now,
      finishedAt: now,
      candidates: scored.map((c) => ({
        index: c.idx,
        content: c.content,
        mr: c.summary.mean,
        std: c.summary.std,
        components: c.summary.components,
        samples: c.own.map((x) => ({ index: x.sampleIndex, reward: x.reward, endedBy: x.endedBy, continuation: x.continuation, components: x.components as Record<string, unknown> })),
      })),
    },
  };
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
