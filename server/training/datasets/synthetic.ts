/**
 * Synthetic multiturn data, the paper's generation loop (collabllm-paper.md §3.2), one queue job per
 * conversation turn (`dataset.step`):
 *   turn 0: the simulated user opens; every turn: one candidate per candidate arm → an MR evaluation whose
 *   forward samples run as their own jobs (reward.sample) → when it is scored, the next step keeps the best
 *   candidate (ties: lower spread), records the preference pair (gap ≥ minGap), and takes the next user
 *   message from the chosen candidate's longest forward sample — or stops at the simulator's end signal or
 *   the turn limit.
 * Every model call is seeded from the dataset seed, the conversation, the turn and the candidate or sample,
 * so a rerun (or a retried step after a crash) sends the same requests.
 */
import { and, asc, count, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { Database, DbExecutor } from '../../../db';
import {
  benchmarkTasks,
  rewardCandidates,
  rewardEvaluations,
  rewardSamples,
  trainingConversations,
  trainingDatasets,
  trainingTurns,
  type TrainingMessage,
} from '../../../db/schema';
import { completeChat } from '../../llm';
import { resolveArmTarget, resolveConnectionTarget, withSystemPrompt } from '../../llm/resolve';
import { requestSeed } from '../../benchmarks/persona';
import type { TranscriptMessage } from '../../benchmarks/simulator-prompt';
import { enqueueJobs } from '../../jobs/queue';
import { notFound } from '../../services/errors';
import { pickPreference } from '../reward';
import { simulatedUserFor, type ForwardMessage } from '../mr/forward';
import { createEvaluation, enqueueSampleJobs, finalizeEvaluationIfComplete } from '../mr/store';
import { rewardTaskSchema, type RewardTask } from '../mr/settings';
import { syntheticSettingsSchema, type SyntheticSettings } from './settings';

export const DATASET_STEP_JOB = 'dataset.step';
export const DATASET_STEP_MAX_ATTEMPTS = 4;
const SIMULATOR_MAX_TOKENS = 1024;

export function datasetGroupKey(datasetId: string): string {
  return `training-dataset:${datasetId}`;
}

export function stepJob(datasetId: string, conversationId: string, turnIndex: number) {
  return {
    kind: DATASET_STEP_JOB,
    payload: { datasetId, conversationId, turnIndex },
    key: `dataset-step:${conversationId}:${turnIndex}`,
    groupKey: datasetGroupKey(datasetId),
    maxAttempts: DATASET_STEP_MAX_ATTEMPTS,
  };
}

/** Seed of one conversation: dataset seed × position (its persona and every call of it derive from this). */
export function conversationSeedOf(datasetSeed: string, idx: number): string {
  return `${datasetSeed}:conversation:${idx}`;
}

export async function loadRewardTask(db: DbExecutor, taskId: string): Promise<RewardTask> {
  const [task] = await db.select().from(benchmarkTasks).where(eq(benchmarkTasks.id, taskId));
  if (!task) throw notFound('Benchmark task');
  const meta = task.metadata ?? {};
  return rewardTaskSchema.parse({
    taskId: task.id,
    documentType: task.documentType,
    brief: task.brief,
    targetDocument: task.targetDocument,
    topic: typeof meta.topic === 'string' ? meta.topic : task.key,
    details: Array.isArray(meta.details) ? meta.details.filter((d): d is string => typeof d === 'string') : undefined,
  });
}

/** The longest forward sample of the chosen candidate (ties: lowest sample index), as the paper's code. */
export function nextUserFromSamples(samples: readonly { sampleIndex: number; continuation: ForwardMessage[] }[]):
  | { kind: 'message'; content: string }
  | { kind: 'terminated' }
  | { kind: 'none' } {
  const longest = [...samples].sort((a, b) => b.continuation.length - a.continuation.length || a.sampleIndex - b.sampleIndex)[0];
  const first = longest?.continuation[0];
  if (!first || first.role !== 'user') return { kind: 'none' };
  if (first.terminate) return { kind: 'terminated' };
  return { kind: 'message', content: first.content };
}

export type StepOutcome = 'skipped' | 'waiting' | 'scoring' | 'completed';

/**
 * Runs one step of a conversation. Idempotent: a step whose evaluation already exists only makes sure its
 * sample jobs are queued; a finished conversation is left alone.
 */
export async function advanceConversation(
  db: Database,
  input: { conversationId: string; turnIndex: number },
  opts: { signal?: AbortSignal } = {},
): Promise<StepOutcome> {
  const [row] = await db
    .select({ conversation: trainingConversations, dataset: trainingDatasets })
    .from(trainingConversations)
    .innerJoin(trainingDatasets, eq(trainingDatasets.id, trainingConversations.datasetId))
    .where(eq(trainingConversations.id, input.conversationId));
  if (!row) throw notFound('Dataset conversation');
  const { conversation, dataset } = row;
  if (dataset.status !== 'generating' || (conversation.status !== 'pending' && conversation.status !== 'running')) return 'skipped';
  const settings = syntheticSettingsSchema.parse(dataset.settings);
  const t = input.turnIndex;

  const [existing] = await db
    .select({ id: rewardEvaluations.id, status: rewardEvaluations.status })
    .from(rewardEvaluations)
    .where(and(eq(rewardEvaluations.conversationId, conversation.id), eq(rewardEvaluations.turnIndex, t)));
  if (existing) {
    if (existing.status !== 'scoring') return 'skipped';
    const candidateIds = (await db.select({ id: rewardCandidates.id }).from(rewardCandidates).where(eq(rewardCandidates.evaluationId, existing.id)).orderBy(asc(rewardCandidates.idx))).map((c) => c.id);
    await enqueueSampleJobs(db, existing.id, candidateIds, settings.mr.samples, { groupKey: datasetGroupKey(dataset.id), concurrency: settings.concurrency });
    await finalizeEvaluationIfComplete(db, existing.id, (tx, ev) => enqueueJobs(tx, [stepJob(dataset.id, conversation.id, (ev.turnIndex ?? 0) + 1)]).then(() => undefined));
    return 'scoring';
  }

  const task = await loadRewardTask(db, conversation.taskId!);
  const convSeed = conversationSeedOf(dataset.seed, conversation.idx);
  let history: TranscriptMessage[] = [];
  let previousTurn: typeof trainingTurns.$inferInsert | null = null;
  let nextUser: string | null = null;
  let endReason: string | null = null;

  if (t > 0) {
    const [prev] = await db
      .select()
      .from(rewardEvaluations)
      .where(and(eq(rewardEvaluations.conversationId, conversation.id), eq(rewardEvaluations.turnIndex, t - 1)));
    if (!prev) throw notFound('Previous turn');
    if (prev.status === 'scoring') return 'waiting';
    if (prev.status !== 'scored') {
      await failConversation(db, conversation.id, prev.error ?? 'The previous turn could not be scored.');
      return 'skipped';
    }
    const candidates = await db.select().from(rewardCandidates).where(eq(rewardCandidates.evaluationId, prev.id)).orderBy(asc(rewardCandidates.idx));
    const pick = pickPreference(candidates.map((c) => ({ idx: c.idx, mean: c.mean ?? 0, std: c.std ?? 0 })), settings.minGap);
    const chosen = candidates.find((c) => c.idx === pick.chosen.idx)!;
    const rejected = pick.rejected ? candidates.find((c) => c.idx === pick.rejected!.idx)! : null;
    const prompt = prev.prefix.filter((m) => m.role !== 'system') as TranscriptMessage[];
    previousTurn = {
      datasetId: dataset.id,
      conversationId: conversation.id,
      turnIndex: t - 1,
      prompt,
      evaluationId: prev.id,
      chosenCandidateId: chosen.id,
      completion: chosen.content,
      rejectedCandidateId: rejected?.id ?? null,
      rejectedCompletion: rejected?.content ?? null,
      chosenMr: chosen.mean,
      rejectedMr: rejected?.mean ?? null,
    };
    history = [...prompt, { role: 'assistant', content: chosen.content }];
    if (t >= settings.maxTurns) endReason = 'max_turns';
    else {
      const samples = await db
        .select({ sampleIndex: rewardSamples.sampleIndex, continuation: rewardSamples.continuation })
        .from(rewardSamples)
        .where(eq(rewardSamples.candidateId, chosen.id));
      const next = nextUserFromSamples(samples as { sampleIndex: number; continuation: ForwardMessage[] }[]);
      if (next.kind === 'terminated') endReason = 'terminated';
      else if (next.kind === 'message') nextUser = next.content;
    }
  }

  if (endReason === null && nextUser === null) {
    // The opening message, or a window of 0 (no forward samples to take the next user turn from).
    const simulatorTarget =
      settings.mr.simulator.connectionId === null
        ? null
        : await resolveConnectionTarget(db, settings.mr.simulator.connectionId, settings.mr.simulator.model, {
            temperature: settings.mr.simulator.temperature,
            maxTokens: SIMULATOR_MAX_TOKENS,
          });
    const sim = await simulatedUserFor(task, `${convSeed}:turn:${t}`, simulatorTarget).next(history, { signal: opts.signal });
    if (sim.terminate || sim.message === '') endReason = 'terminated';
    else nextUser = sim.message;
  }

  if (endReason !== null) {
    await completeConversation(db, conversation.id, previousTurn, history, endReason);
    await finalizeDatasetIfDone(db, dataset.id);
    return 'completed';
  }

  const prefix: TranscriptMessage[] = [...history, { role: 'user', content: nextUser! }];
  const candidates = await Promise.all(
    settings.candidates.map(async (arm, i) => {
      const base = await resolveArmTarget(db, arm);
      const target = base.connection ? { ...base, seed: requestSeed(`${convSeed}:turn:${t}:candidate:${i}`, 'assistant') } : base;
      const reply = await completeChat(target, withSystemPrompt(arm.systemPrompt, prefix), { signal: opts.signal });
      return {
        content: reply.text,
        origin: { kind: 'arm', armKey: arm.key, label: arm.label, model: reply.model, isDemo: reply.isDemo, seed: target.seed ?? null, usage: reply.usage },
      };
    }),
  );
  await db.transaction(async (tx) => {
    const [locked] = await tx.select({ status: trainingConversations.status }).from(trainingConversations).where(eq(trainingConversations.id, conversation.id)).for('update');
    if (!locked || (locked.status !== 'pending' && locked.status !== 'running')) return;
    const [again] = await tx.select({ id: rewardEvaluations.id }).from(rewardEvaluations).where(and(eq(rewardEvaluations.conversationId, conversation.id), eq(rewardEvaluations.turnIndex, t)));
    if (again) return;
    if (previousTurn) await tx.insert(trainingTurns).values(previousTurn).onConflictDoNothing();
    await tx.update(trainingConversations).set({ status: 'running', messages: prefix }).where(eq(trainingConversations.id, conversation.id));
    await createEvaluation(tx, {
      source: 'dataset',
      datasetId: dataset.id,
      conversationId: conversation.id,
      turnIndex: t,
      prefix,
      task,
      settings: settings.mr,
      seed: `${convSeed}:turn:${t}`,
      candidates,
      createdById: dataset.createdById,
      jobs: { groupKey: datasetGroupKey(dataset.id), concurrency: settings.concurrency },
    });
  });
  return 'scoring';
}

async function completeConversation(
  db: Database,
  conversationId: string,
  previousTurn: typeof trainingTurns.$inferInsert | null,
  history: TrainingMessage[],
  endReason: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    if (previousTurn) await tx.insert(trainingTurns).values(previousTurn).onConflictDoNothing();
    await tx
      .update(trainingConversations)
      .set({ status: previousTurn ? 'completed' : 'failed', messages: history, endReason, finishedAt: sql`now()`, error: previousTurn ? null : 'The simulated user ended the chat before the first reply.' })
      .where(and(eq(trainingConversations.id, conversationId), inArray(trainingConversations.status, ['pending', 'running'])));
  });
}

export async function failConversation(db: DbExecutor, conversationId: string, error: string): Promise<void> {
  await db
    .update(trainingConversations)
    .set({ status: 'failed', error: error.slice(0, 2000), finishedAt: sql`now()` })
    .where(and(eq(trainingConversations.id, conversationId), inArray(trainingConversations.status, ['pending', 'running'])));
}

/** Live counts of a dataset (what the page shows and what is stored when it is ready). */
export async function datasetCounts(db: DbExecutor, datasetId: string): Promise<Record<string, number>> {
  const [convs, turns, pairs, candidates, samples] = await Promise.all([
    db.select({ status: trainingConversations.status, split: trainingConversations.split, n: count() }).from(trainingConversations).where(eq(trainingConversations.datasetId, datasetId)).groupBy(trainingConversations.status, trainingConversations.split),
    db.select({ n: count() }).from(trainingTurns).where(eq(trainingTurns.datasetId, datasetId)),
    db.select({ n: count() }).from(trainingTurns).where(and(eq(trainingTurns.datasetId, datasetId), sql`${trainingTurns.rejectedCompletion} is not null`)),
    db.select({ n: count() }).from(rewardCandidates).innerJoin(rewardEvaluations, eq(rewardEvaluations.id, rewardCandidates.evaluationId)).where(eq(rewardEvaluations.datasetId, datasetId)),
    db.select({ n: count() }).from(rewardSamples).innerJoin(rewardEvaluations, eq(rewardEvaluations.id, rewardSamples.evaluationId)).where(eq(rewardEvaluations.datasetId, datasetId)),
  ]);
  const out: Record<string, number> = { conversations: 0, completed: 0, failed: 0, pending: 0, train: 0, eval: 0 };
  for (const c of convs) {
    out.conversations! += c.n;
    if (c.status === 'completed') {
      out.completed! += c.n;
      out[c.split]! += c.n;
    } else if (c.status === 'failed' || c.status === 'cancelled') out.failed! += c.n;
    else out.pending! += c.n;
  }
  out.turns = turns[0]?.n ?? 0;
  out.pairs = pairs[0]?.n ?? 0;
  out.candidates = candidates[0]?.n ?? 0;
  out.samples = samples[0]?.n ?? 0;
  return out;
}

/** Marks a generating dataset ready (or failed, with nothing completed) once no conversation is left to run. */
export async function finalizeDatasetIfDone(db: Database, datasetId: string): Promise<boolean> {
  const [open] = await db
    .select({ n: count() })
    .from(trainingConversations)
    .where(and(eq(trainingConversations.datasetId, datasetId), notInArray(trainingConversations.status, ['completed', 'failed', 'cancelled'])));
  if ((open?.n ?? 0) > 0) return false;
  const counts = await datasetCounts(db, datasetId);
  const rows = await db
    .update(trainingDatasets)
    .set({
      status: counts.completed! > 0 ? 'ready' : 'failed',
      counts,
      error: counts.completed! > 0 ? null : 'No conversation could be generated; see the conversations for the errors.',
      finishedAt: sql`now()`,
    })
    .where(and(eq(trainingDatasets.id, datasetId), eq(trainingDatasets.status, 'generating')))
    .returning({ id: trainingDatasets.id });
  return rows.length > 0;
}

export type { SyntheticSettings };
