/**
 * MR evaluations in the database: create one (prefix, task, settings, candidates) with one queue job per
 * forward sample, score a sample (idempotent: a re-run after a crash finds the stored sample and stores
 * nothing twice), and finalize the evaluation once every sample is in (mean, std and component means per
 * candidate), exactly once however many workers finish its last samples at the same moment.
 */
import { and, asc, count, eq, sql } from 'drizzle-orm';
import type { Database, DbExecutor, Tx } from '../../../db';
import { rewardCandidates, rewardEvaluations, rewardSamples, type TrainingMessage } from '../../../db/schema';
import { resolveArmTarget, resolveConnectionTarget } from '../../llm/resolve';
import { resolveJudge } from '../../benchmarks/judges';
import { enqueueJobs, setGroupConcurrency } from '../../jobs/queue';
import { notFound } from '../../services/errors';
import { meanComponents, summarizeRewards } from '../reward';
import { runForwardSample, sampleSeed, type ForwardTargets } from './forward';
import { mrSettingsSchema, mrUsesDemo, rewardTaskSchema, type MrSettings, type RewardTask } from './settings';

export const REWARD_SAMPLE_JOB = 'reward.sample';
export const REWARD_SAMPLE_MAX_ATTEMPTS = 4;
const SIMULATOR_MAX_TOKENS = 1024;

export function sampleJobKey(candidateId: string, sampleIndex: number): string {
  return `reward-sample:${candidateId}:${sampleIndex}`;
}

export interface CreateEvaluationInput {
  source: 'dataset' | 'api';
  datasetId?: string | null;
  conversationId?: string | null;
  turnIndex?: number | null;
  prefix: TrainingMessage[];
  task: RewardTask;
  settings: MrSettings;
  seed: string;
  candidates: { content: string; origin: Record<string, unknown> }[];
  createdById?: string | null;
  /** Queue group of the sample jobs (its concurrency holds across workers); null: do not enqueue (scored inline). */
  jobs: { groupKey: string; concurrency: number } | null;
}

export async function createEvaluation(tx: DbExecutor, input: CreateEvaluationInput): Promise<{ evaluationId: string; candidateIds: string[] }> {
  const [evaluation] = await tx
    .insert(rewardEvaluations)
    .values({
      source: input.source,
      datasetId: input.datasetId ?? null,
      conversationId: input.conversationId ?? null,
      turnIndex: input.turnIndex ?? null,
      prefix: input.prefix,
      task: input.task,
      settings: input.settings,
      seed: input.seed,
      isDemo: mrUsesDemo(input.settings),
      createdById: input.createdById ?? null,
    })
    .returning({ id: rewardEvaluations.id });
  const evaluationId = evaluation!.id;
  const candidates = await tx
    .insert(rewardCandidates)
    .values(input.candidates.map((c, idx) => ({ evaluationId, idx, content: c.content, origin: c.origin })))
    .returning({ id: rewardCandidates.id, idx: rewardCandidates.idx });
  const candidateIds = candidates.sort((a, b) => a.idx - b.idx).map((c) => c.id);
  if (input.jobs) await enqueueSampleJobs(tx, evaluationId, candidateIds, input.settings.samples, input.jobs);
  return { evaluationId, candidateIds };
}

export async function enqueueSampleJobs(
  tx: DbExecutor,
  evaluationId: string,
  candidateIds: readonly string[],
  samples: number,
  jobs: { groupKey: string; concurrency: number },
): Promise<void> {
  await setGroupConcurrency(tx, jobs.groupKey, jobs.concurrency);
  await enqueueJobs(
    tx,
    candidateIds.flatMap((candidateId) =>
      Array.from({ length: samples }, (_, sampleIndex) => ({
        kind: REWARD_SAMPLE_JOB,
        payload: { evaluationId, candidateId, sampleIndex },
        key: sampleJobKey(candidateId, sampleIndex),
        groupKey: jobs.groupKey,
        maxAttempts: REWARD_SAMPLE_MAX_ATTEMPTS,
      })),
    ),
  );
}

/**
 * Resolved targets per evaluation, shared for a few seconds: an evaluation's samples start together and
 * would look up the same connections each time. Short, so a rotated key applies within seconds.
 */
const TARGETS_TTL_MS = 5_000;
const targetCache = new Map<string, { at: number; targets: Promise<ForwardTargets> }>();

export function forwardTargets(db: DbExecutor, settings: MrSettings): Promise<ForwardTargets> {
  // Keyed by the roles' configuration: every evaluation of a dataset (or of a trainer's requests) shares it.
  const cacheKey = JSON.stringify([settings.policy, settings.simulator, settings.judge]);
  const cached = targetCache.get(cacheKey);
  if (cached && Date.now() - cached.at < TARGETS_TTL_MS) return cached.targets;
  if (targetCache.size >= 500) targetCache.clear();
  const targets = Promise.all([
    resolveArmTarget(db, settings.policy),
    resolveJudge(db, settings.judge),
    settings.simulator.connectionId === null
      ? null
      : resolveConnectionTarget(db, settings.simulator.connectionId, settings.simulator.model, {
          temperature: settings.simulator.temperature,
          maxTokens: SIMULATOR_MAX_TOKENS,
        }),
  ]).then(([policy, judge, simulator]) => ({ policy, judge, simulator }));
  targets.catch(() => targetCache.delete(cacheKey));
  targetCache.set(cacheKey, { at: Date.now(), targets });
  return targets;
}

export type ScoreSampleOutcome = 'stored' | 'exists' | 'skipped';


/** Runs and stores one forward sample unless it is already stored or the evaluation is no longer scoring. */
export async function scoreSample(
  db: Database,
  input: { evaluationId: string; candidateId: string; sampleIndex: number },
  opts: { signal?: AbortSignal } = {},
): Promise<{ outcome: ScoreSampleOutcome; expectedSamples: number }> {
  // One round trip: the candidate, its evaluation, and whether this sample is already stored.
  const [row] = await db
    .select({
      evaluation: rewardEvaluations,
      candidate: rewardCandidates,
      existing: rewardSamples.id,
      candidates: sql<number>`(select count(*)::int from ${rewardCandidates} c2 where c2.evaluation_id = ${rewardEvaluations.id})`,
    })
    .from(rewardCandidates)
    .innerJoin(rewardEvaluations, eq(rewardEvaluations.id, rewardCandidates.evaluationId))
    .leftJoin(rewardSamples, and(eq(rewardSamples.candidateId, rewardCandidates.id), eq(rewardSamples.sampleIndex, input.sampleIndex)))
    .where(and(eq(rewardCandidates.id, input.candidateId), eq(rewardCandidates.evaluationId, input.evaluationId)));
  if (!row) throw notFound('Reward candidate');
  const settings = mrSettingsSchema.parse(row.evaluation.settings);
  const expectedSamples = Number(row.candidates) * settings.samples;
  if (row.evaluation.status !== 'scoring') return { outcome: 'skipped', expectedSamples };
  if (row.existing) return { outcome: 'exists', expectedSamples };
  const stored = await runAndStoreSample(
    db,
    {
      evaluationId: input.evaluationId,
      prefix: row.evaluation.prefix,
      task: rewardTaskSchema.parse(row.evaluation.task),
      settings,
      seed: row.evaluation.seed,
    },
    { id: input.candidateId, content: row.candidate.content },
    input.sampleIndex,
    opts,
  );
  return { outcome: stored ? 'stored' : 'exists', expectedSamples };
}

export type StoredSample = typeof rewardSamples.$inferInsert & { reward: number };

/** What a forward sample needs, as values (no round trip re-reads the evaluation). */
export interface SampleContext {
  evaluationId: string;
  prefix: TrainingMessage[];
  task: RewardTask;
  settings: MrSettings;
  seed: string;
}

/** Runs one forward sample of a candidate and returns the row to store (nothing is written). */
export async function computeSample(
  db: DbExecutor,
  evaluation: SampleContext,
  candidate: { id: string; content: string },
  sampleIndex: number,
  opts: { signal?: AbortSignal } = {},
): Promise<StoredSample> {
  const targets = await forwardTargets(db, evaluation.settings);
  const result = await runForwardSample({
    task: evaluation.task,
    prefix: evaluation.prefix.filter((m): m is TrainingMessage & { role: 'user' | 'assistant' } => m.role !== 'system'),
    candidate: candidate.content,
    settings: evaluation.settings,
    targets,
    seed: sampleSeed(evaluation.seed, sampleIndex),
    signal: opts.signal,
  });
  return {
    evaluationId: evaluation.evaluationId,
    candidateId: candidate.id,
    sampleIndex,
    continuation: result.continuation,
    endedBy: result.endedBy,
    reward: result.reward,
    components: result.components,
    usage: result.usage,
  };
}

/**
 * Runs one forward sample of a candidate and stores it (unless a racing attempt stored it first: then null).
 * Takes what it needs as values, so a caller that already holds the evaluation spends no round trip reading it.
 */
export async function runAndStoreSample(
  db: DbExecutor,
  evaluation: SampleContext,
  candidate: { id: string; content: string },
  sampleIndex: number,
  opts: { signal?: AbortSignal } = {},
): Promise<StoredSample | null> {
  const values = await computeSample(db, evaluation, candidate, sampleIndex, opts);
  const inserted = await db
    .insert(rewardSamples)
    .values(values)
    .onConflictDoNothing({ target: [rewardSamples.candidateId, rewardSamples.sampleIndex] })
    .returning({ id: rewardSamples.id });
  return inserted.length > 0 ? values : null;
}

/** Mean, std and component means of one candidate's samples (what finalizing stores). */
export function candidateSummary(samples: readonly { reward: number; components: Record<string, unknown> }[]) {
  const summary = summarizeRewards(samples.map((s) => s.reward));
  const numeric = samples.map((s) => Object.fromEntries(Object.entries(s.components).filter((e): e is [string, number] => typeof e[1] === 'number')));
  return { mean: summary.mean, std: summary.std, components: meanComponents(numeric) };
}

/**
 * Stores an evaluation that the synchronous reward endpoint scored in memory: the evaluation, its candidates
 * (with mean/std/components when scored) and every sample it finished, as ONE statement (data-modifying CTEs:
 * atomic, one round trip; the foreign keys are checked at the end of the statement, when the rows they reference
 * exist). It is written before the caller answers (stored before acknowledged); a crash before then loses nothing
 * anyone was told about. `queue`: samples still missing are handed to the queue in the same transaction (the time
 * budget ran out).
 */
export async function storeInlineEvaluation(
  db: Database,
  input: Omit<CreateEvaluationInput, 'jobs' | 'candidates'> & {
    evaluationId: string;
    status: 'scoring' | 'scored' | 'failed';
    error?: string | null;
    candidates: { id: string; content: string; origin: Record<string, unknown>; summary: { mean: number; std: number; components: Record<string, number> } | null }[];
    samples: StoredSample[];
    queue?: { groupKey: string; concurrency: number } | null;
  },
): Promise<void> {
  const candidates = input.candidates.map((c, idx) => ({
    id: c.id,
    idx,
    content: c.content,
    origin: c.origin,
    mean: c.summary?.mean ?? null,
    std: c.summary?.std ?? null,
    components: c.summary?.components ?? null,
  }));
  const samples = input.samples.map((x) => ({
    candidate_id: x.candidateId,
    sample_index: x.sampleIndex,
    continuation: x.continuation,
    ended_by: x.endedBy,
    reward: x.reward,
    components: x.components,
    usage: x.usage ?? {},
  }));
  const finishedAt = input.status === 'scoring' ? sql`null` : sql`now()`;
  const statement = sql`
    with evaluation as (
      insert into ${rewardEvaluations}
        (id, source, dataset_id, conversation_id, turn_index, prefix, task, settings, seed, status, error, is_demo, created_by_id, finished_at)
      values (${input.evaluationId}::uuid, ${input.source}::reward_evaluation_source, ${input.datasetId ?? null}::uuid, ${input.conversationId ?? null}::uuid,
        ${input.turnIndex ?? null}::int, ${JSON.stringify(input.prefix)}::jsonb, ${JSON.stringify(input.task)}::jsonb,
        ${JSON.stringify(input.settings)}::jsonb, ${input.seed}, ${input.status}::reward_evaluation_status, ${input.error ?? null}, ${mrUsesDemo(input.settings)},
        ${input.createdById ?? null}::uuid, ${finishedAt})
      returning id
    ), candidates as (
      insert into ${rewardCandidates} (id, evaluation_id, idx, content, origin, mean, std, components, scored_at)
      select c.id, evaluation.id, c.idx, c.content, c.origin, c.mean, c.std, c.components, case when c.mean is null then null else now() end
      from evaluation, jsonb_to_recordset(${JSON.stringify(candidates)}::jsonb)
        as c(id uuid, idx int, content text, origin jsonb, mean float8, std float8, components jsonb)
      returning id
    )
    insert into ${rewardSamples} (evaluation_id, candidate_id, sample_index, continuation, ended_by, reward, components, usage)
    select evaluation.id, s.candidate_id, s.sample_index, s.continuation, s.ended_by, s.reward, s.components, s.usage
    from evaluation, jsonb_to_recordset(${JSON.stringify(samples)}::jsonb)
      as s(candidate_id uuid, sample_index int, continuation jsonb, ended_by text, reward float8, components jsonb, usage jsonb)`;
  if (!input.queue) {
    await db.execute(statement);
    return;
  }
  const queue = input.queue;
  await db.transaction(async (tx) => {
    await tx.execute(statement);
    await enqueueSampleJobs(tx, input.evaluationId, input.candidates.map((c) => c.id), input.settings.samples, queue);
  });
}

export type EvaluationRow = typeof rewardEvaluations.$inferSelect;

/**
 * When every candidate has all its samples: stores mean/std/components per candidate, marks the evaluation
 * scored and runs `onScored` in the same transaction (e.g. enqueue the dataset's next step). The evaluation
 * row lock and the status check make this happen once. Returns whether this call finalized it.
 */
export async function finalizeEvaluationIfComplete(
  db: Database,
  evaluationId: string,
  onScored?: (tx: Tx, evaluation: EvaluationRow) => Promise<void>,
  opts: { expectedSamples?: number } = {},
): Promise<boolean> {
  // Most calls come from a sample that is not the last one: one count answers them without a transaction.
  if (opts.expectedSamples !== undefined) {
    const [stored] = await db.select({ n: count() }).from(rewardSamples).where(eq(rewardSamples.evaluationId, evaluationId));
    if ((stored?.n ?? 0) < opts.expectedSamples) return false;
  }
  return db.transaction(async (tx) => {
    const [evaluation] = await tx.select().from(rewardEvaluations).where(eq(rewardEvaluations.id, evaluationId)).for('update');
    if (!evaluation || evaluation.status !== 'scoring') return false;
    const settings = mrSettingsSchema.parse(evaluation.settings);
    const candidates = await tx.select().from(rewardCandidates).where(eq(rewardCandidates.evaluationId, evaluationId)).orderBy(asc(rewardCandidates.idx));
    const samples = await tx
      .select({ candidateId: rewardSamples.candidateId, sampleIndex: rewardSamples.sampleIndex, reward: rewardSamples.reward, components: rewardSamples.components })
      .from(rewardSamples)
      .where(eq(rewardSamples.evaluationId, evaluationId))
      .orderBy(asc(rewardSamples.candidateId), asc(rewardSamples.sampleIndex));
    const byCandidate = new Map<string, typeof samples>();
    for (const s of samples) byCandidate.set(s.candidateId, [...(byCandidate.get(s.candidateId) ?? []), s]);
    if (candidates.some((c) => (byCandidate.get(c.id)?.length ?? 0) < settings.samples)) return false;
    for (const c of candidates) {
      const summary = candidateSummary(byCandidate.get(c.id)!);
      await tx.update(rewardCandidates).set({ ...summary, scoredAt: sql`now()` }).where(eq(rewardCandidates.id, c.id));
    }
    const [scored] = await tx
      .update(rewardEvaluations)
      .set({ status: 'scored', finishedAt: sql`now()` })
      .where(eq(rewardEvaluations.id, evaluationId))
      .returning();
    if (onScored) await onScored(tx, scored!);
    return true;
  });
}

export async function failEvaluation(db: DbExecutor, evaluationId: string, error: string): Promise<boolean> {
  const rows = await db
    .update(rewardEvaluations)
    .set({ status: 'failed', error: error.slice(0, 2000), finishedAt: sql`now()` })
    .where(and(eq(rewardEvaluations.id, evaluationId), eq(rewardEvaluations.status, 'scoring')))
    .returning({ id: rewardEvaluations.id });
  return rows.length > 0;
}
