/**
 * Training datasets: create (synthetic generation or from a human study), cancel, and the reads behind the
 * Datasets pages. Creating or cancelling spends model calls, so it needs the researcher role; every staff
 * member (viewer and up) may read. A dataset, its conversations and its first jobs are written in one
 * transaction; a name's versions are 1, 2, 3…, and a stored version never changes.
 */
import { and, asc, count, desc, eq, inArray, max, sql } from 'drizzle-orm';
import type { Database, DbExecutor } from '../../../db';
import {
  benchmarkTasks,
  llmConnections,
  studyVersions,
  rewardCandidates,
  rewardEvaluations,
  rewardSamples,
  trainingConversations,
  trainingDatasets,
  trainingTurns,
} from '../../../db/schema';
import { requireRole } from '../../auth/roles';
import { cancelGroup, enqueueJobs, setGroupConcurrency } from '../../jobs/queue';
import { nudgeJobs } from '../../jobs/runtime';
import { recordAudit } from '../../services/audit';
import type { ServiceContext } from '../../services/context';
import { badRequest, conflict, notFound } from '../../services/errors';
import { appVersion } from '../app-version';
import { newRunOptions } from '../../benchmarks/runs/options';
import { mrUsesDemo } from '../mr/settings';
import { datasetBaseSchema, syntheticSettingsSchema, type SyntheticSettingsInput } from './settings';
import { splitAssignment } from './split';
import { datasetCounts, datasetGroupKey, stepJob } from './synthetic';

function issues(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return error.issues.map((i) => `${i.path.map(String).join('.') || 'input'}: ${i.message}`).join('; ');
}

export async function nextVersion(db: DbExecutor, name: string): Promise<number> {
  const [row] = await db.select({ v: max(trainingDatasets.version) }).from(trainingDatasets).where(eq(trainingDatasets.name, name));
  return (row?.v ?? 0) + 1;
}

async function assertConnections(db: DbExecutor, ids: (string | null)[]): Promise<void> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return;
  const found = await db.select({ id: llmConnections.id }).from(llmConnections).where(inArray(llmConnections.id, wanted));
  const missing = wanted.filter((id) => !found.some((f) => f.id === id));
  if (missing.length) throw badRequest(`These LLM connections do not exist (any more): ${missing.join(', ')}.`);
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } };
  return e?.code === '23505' || e?.cause?.code === '23505';
}

export interface CreateSyntheticInput {
  name: string;
  seed?: string;
  splitSeed?: string;
  evalRatio?: number;
  settings: SyntheticSettingsInput;
}

export async function createSyntheticDataset(ctx: ServiceContext, input: CreateSyntheticInput): Promise<{ datasetId: string; version: number }> {
  const actor = requireRole(ctx.actor, 'researcher');
  const base = datasetBaseSchema.safeParse(input);
  if (!base.success) throw badRequest(issues(base.error));
  const parsed = syntheticSettingsSchema.safeParse(input.settings);
  if (!parsed.success) throw badRequest(issues(parsed.error));
  const settings = parsed.data;
  const tasks = await ctx.db.select({ id: benchmarkTasks.id }).from(benchmarkTasks).where(inArray(benchmarkTasks.id, settings.taskIds));
  if (tasks.length !== settings.taskIds.length) throw badRequest('Some selected tasks do not exist (any more).');
  await assertConnections(ctx.db, [
    ...settings.candidates.map((a) => a.connectionId),
    settings.mr.policy.connectionId,
    settings.mr.simulator.connectionId,
    settings.mr.judge.connectionId,
  ]);
  const { name, seed, splitSeed, evalRatio } = base.data;
  const isDemo = mrUsesDemo(settings.mr) || settings.candidates.some((a) => a.connectionId === null);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const result = await ctx.db.transaction(async (tx) => {
        const version = await nextVersion(tx, name);
        const [dataset] = await tx
          .insert(trainingDatasets)
          .values({ name, version, sourceKind: 'synthetic', status: 'generating', settings, seed, splitSeed, evalRatio, isDemo, appVersion: appVersion(), createdById: actor.id })
          .returning({ id: trainingDatasets.id });
        const datasetId = dataset!.id;
        const splits = splitAssignment(settings.taskIds.length, evalRatio, splitSeed);
        const convs = await tx
          .insert(trainingConversations)
          .values(settings.taskIds.map((taskId, idx) => ({ datasetId, idx, taskId, split: splits[idx]! })))
          .returning({ id: trainingConversations.id, idx: trainingConversations.idx });
        await setGroupConcurrency(tx, datasetGroupKey(datasetId), settings.concurrency);
        await enqueueJobs(tx, convs.sort((a, b) => a.idx - b.idx).map((c) => stepJob(datasetId, c.id, 0)));
        await recordAudit(tx, {
          actorUserId: actor.id,
          action: 'dataset.create',
          targetType: 'training_dataset',
          targetId: datasetId,
          details: { name, version, source: 'synthetic', conversations: convs.length, isDemo },
        });
        return { datasetId, version };
      });
      nudgeJobs();
      return result;
    } catch (err) {
      // Two datasets of the same name created at once: the second takes the next version.
      if (isUniqueViolation(err) && attempt < 2) continue;
      throw err;
    }
  }
  throw conflict('Could not pick a version for this dataset; try again.');
}

export async function cancelDataset(ctx: ServiceContext, datasetId: string): Promise<{ cancelled: boolean }> {
  const actor = requireRole(ctx.actor, 'researcher');
  return ctx.db.transaction(async (tx) => {
    const rows = await tx
      .update(trainingDatasets)
      .set({ status: 'cancelled', finishedAt: sql`now()` })
      .where(and(eq(trainingDatasets.id, datasetId), inArray(trainingDatasets.status, ['queued', 'generating'])))
      .returning({ id: trainingDatasets.id });
    if (rows.length === 0) return { cancelled: false };
    await tx
      .update(trainingConversations)
      .set({ status: 'cancelled', finishedAt: sql`now()` })
      .where(and(eq(trainingConversations.datasetId, datasetId), inArray(trainingConversations.status, ['pending', 'running'])));
    await tx
      .update(rewardEvaluations)
      .set({ status: 'cancelled', finishedAt: sql`now()` })
      .where(and(eq(rewardEvaluations.datasetId, datasetId), eq(rewardEvaluations.status, 'scoring')));
    await cancelGroup(tx, datasetGroupKey(datasetId));
    await recordAudit(tx, { actorUserId: actor.id, action: 'dataset.cancel', targetType: 'training_dataset', targetId: datasetId });
    return { cancelled: true };
  });
}

export async function listDatasets(ctx: ServiceContext) {
  requireRole(ctx.actor, 'viewer');
  return ctx.db
    .select({
      id: trainingDatasets.id,
      name: trainingDatasets.name,
      version: trainingDatasets.version,
      sourceKind: trainingDatasets.sourceKind,
      status: trainingDatasets.status,
      counts: trainingDatasets.counts,
      isDemo: trainingDatasets.isDemo,
      createdAt: trainingDatasets.createdAt,
      finishedAt: trainingDatasets.finishedAt,
    })
    .from(trainingDatasets)
    .orderBy(desc(trainingDatasets.createdAt))
    .limit(500);
}

export async function getDataset(ctx: ServiceContext, datasetId: string) {
  requireRole(ctx.actor, 'viewer');
  const [dataset] = await ctx.db.select().from(trainingDatasets).where(eq(trainingDatasets.id, datasetId));
  if (!dataset) throw notFound('Dataset');
  const counts = dataset.status === 'generating' ? await datasetCounts(ctx.db, datasetId) : dataset.counts;
  const mr = await ctx.db
    .select({ chosen: trainingTurns.chosenMr, rejected: trainingTurns.rejectedMr })
    .from(trainingTurns)
    .where(eq(trainingTurns.datasetId, datasetId))
    .limit(20_000);
  return {
    ...dataset,
    counts,
    chosenMr: mr.map((r) => r.chosen).filter((v): v is number => v !== null),
    rejectedMr: mr.map((r) => r.rejected).filter((v): v is number => v !== null),
  };
}

export async function listDatasetConversations(ctx: ServiceContext, input: { datasetId: string; offset: number; limit: number }) {
  requireRole(ctx.actor, 'viewer');
  const where = eq(trainingConversations.datasetId, input.datasetId);
  const [rows, total] = await Promise.all([
    ctx.db
      .select({
        id: trainingConversations.id,
        idx: trainingConversations.idx,
        split: trainingConversations.split,
        status: trainingConversations.status,
        endReason: trainingConversations.endReason,
        error: trainingConversations.error,
        taskKey: benchmarkTasks.key,
        sourceRef: trainingConversations.sourceRef,
        turns: sql<number>`(select count(*)::int from ${trainingTurns} where ${trainingTurns.conversationId} = ${trainingConversations.id})`,
      })
      .from(trainingConversations)
      .leftJoin(benchmarkTasks, eq(benchmarkTasks.id, trainingConversations.taskId))
      .where(where)
      .orderBy(asc(trainingConversations.idx))
      .offset(input.offset)
      .limit(input.limit),
    ctx.db.select({ n: count() }).from(trainingConversations).where(where),
  ]);
  return { rows, total: total[0]?.n ?? 0 };
}

/** One conversation with every turn's candidates, their MR and their forward samples. */
export async function getDatasetConversation(ctx: ServiceContext, conversationId: string) {
  requireRole(ctx.actor, 'viewer');
  const [conversation] = await ctx.db.select().from(trainingConversations).where(eq(trainingConversations.id, conversationId));
  if (!conversation) throw notFound('Dataset conversation');
  const [turns, evaluations] = await Promise.all([
    ctx.db.select().from(trainingTurns).where(eq(trainingTurns.conversationId, conversationId)).orderBy(asc(trainingTurns.turnIndex)),
    ctx.db.select().from(rewardEvaluations).where(eq(rewardEvaluations.conversationId, conversationId)).orderBy(asc(rewardEvaluations.turnIndex)),
  ]);
  const evalIds = evaluations.map((e) => e.id);
  const [candidates, samples] = evalIds.length
    ? await Promise.all([
        ctx.db.select().from(rewardCandidates).where(inArray(rewardCandidates.evaluationId, evalIds)).orderBy(asc(rewardCandidates.idx)),
        ctx.db.select().from(rewardSamples).where(inArray(rewardSamples.evaluationId, evalIds)).orderBy(asc(rewardSamples.sampleIndex)),
      ])
    : [[], []];
  return {
    conversation,
    turns: evaluations.map((ev) => ({
      turnIndex: ev.turnIndex ?? 0,
      status: ev.status,
      prefix: ev.prefix,
      kept: turns.find((t) => t.turnIndex === ev.turnIndex) ?? null,
      candidates: candidates
        .filter((c) => c.evaluationId === ev.id)
        .map((c) => ({ ...c, samples: samples.filter((s) => s.candidateId === c.id) })),
    })),
    // Human-study conversations have turns without evaluations.
    plainTurns: evaluations.length === 0 ? turns : [],
  };
}

export type DatasetDetail = Awaited<ReturnType<typeof getDataset>>;
export type DatasetConversationDetail = Awaited<ReturnType<typeof getDatasetConversation>>;
export async function loadDatasetRow(db: Database, datasetId: string) {
  const [row] = await db.select().from(trainingDatasets).where(eq(trainingDatasets.id, datasetId));
  return row ?? null;
}

/** What the "new dataset" form offers: task sets and tasks, connections, studies with arms and versions. */
export async function newDatasetOptions(ctx: ServiceContext) {
  requireRole(ctx.actor, 'researcher');
  const base = await newRunOptions(ctx.db);
  const versions = await ctx.db
    .select({ id: studyVersions.id, studyId: studyVersions.studyId, version: studyVersions.version })
    .from(studyVersions)
    .orderBy(asc(studyVersions.version));
  return {
    taskSets: base.taskSets,
    connections: base.connections,
    studies: base.studyArms.map((s) => ({ ...s, versions: versions.filter((v) => v.studyId === s.studyId).map(({ studyId: _, ...v }) => v) })),
  };
}
