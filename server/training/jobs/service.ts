/**
 * Training jobs: start, list, read (with events and lineage), cancel, resume following. Starting and cancelling
 * only record the intent and enqueue a `training.step` (steps.ts): the queue, not the request, talks to the provider.
 */
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { schema } from '../../../db';
import { requireRole } from '../../auth/roles';
import { env } from '../../env';
import { nudgeJobs } from '../../jobs/runtime';
import { setGroupConcurrency } from '../../jobs/queue';
import { recordAudit } from '../../services/audit';
import type { ServiceContext } from '../../services/context';
import { badRequest, conflict, notFound, precondition } from '../../services/errors';
import { defaultHyperparameters, exportFormatFor, resolveHyperparameters, TRAINING_METHODS } from './hyperparameters';
import type { StartTrainingJobInput } from './schemas';
import { addEvents, isTerminal, scheduleStep, stepGroupKey } from './store';
import { webhookUnavailableReason } from './webhook-provider';

const { trainingJobs, trainingJobEvents, trainingDatasets, llmConnections, users, trainedModels, trainedModelRuns, benchmarkRuns } = schema;

export async function startTrainingJob(ctx: ServiceContext, input: StartTrainingJobInput): Promise<{ jobId: string }> {
  const actor = requireRole(ctx.actor, 'researcher');
  const [dataset] = await ctx.db.select().from(trainingDatasets).where(eq(trainingDatasets.id, input.datasetId));
  if (!dataset) throw notFound('Dataset');
  if (dataset.status !== 'ready') throw precondition(`Dataset "${dataset.name}" v${dataset.version} is ${dataset.status}; only a ready dataset can be trained on.`);
  if (input.provider === 'openai') {
    if (!input.connectionId) throw badRequest('Choose the connection whose fine-tuning API to use.');
  } else {
    const reason = webhookUnavailableReason();
    if (reason) throw precondition(reason);
  }
  if (input.connectionId) {
    const [connection] = await ctx.db.select({ id: llmConnections.id }).from(llmConnections).where(eq(llmConnections.id, input.connectionId));
    if (!connection) throw notFound('Connection');
  }
  let hyperparameters;
  try {
    hyperparameters = resolveHyperparameters(input.method, input.hyperparameters ?? {});
  } catch (err) {
    throw badRequest(`Hyperparameters: ${err instanceof Error ? err.message : String(err)}`);
  }
  const exportFormat = exportFormatFor(input.provider, input.method);
  const jobId = await ctx.db.transaction(async (tx) => {
    const [job] = await tx
      .insert(trainingJobs)
      .values({
        name: input.name?.trim() || `${dataset.name} v${dataset.version} · ${input.method.toUpperCase()} · ${input.baseModel}`,
        datasetId: dataset.id,
        datasetVersion: dataset.version,
        datasetName: dataset.name,
        exportFormat,
        method: input.method,
        baseModel: input.baseModel,
        hyperparameters,
        provider: input.provider,
        connectionId: input.connectionId ?? null,
        webhookUrl: input.provider === 'webhook' ? env.TRAINING_WEBHOOK_URL! : null,
        seed: input.seed ?? null,
        createdById: actor.id,
      })
      .returning({ id: trainingJobs.id });
    await addEvents(tx, job!.id, [{ kind: 'status', message: 'Status: preparing', data: { status: 'preparing' } }]);
    // One step of a job at a time, whichever worker runs it.
    await setGroupConcurrency(tx, stepGroupKey(job!.id), 1);
    await scheduleStep(tx, job!.id, null);
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: 'training_job.started',
      targetType: 'training_job',
      targetId: job!.id,
      details: { datasetId: dataset.id, datasetVersion: dataset.version, method: input.method, baseModel: input.baseModel, provider: input.provider, connectionId: input.connectionId ?? null, hyperparameters },
    });
    return job!.id;
  });
  nudgeJobs();
  return { jobId };
}

export async function cancelTrainingJob(ctx: ServiceContext, jobId: string): Promise<void> {
  const actor = requireRole(ctx.actor, 'researcher');
  await ctx.db.transaction(async (tx) => {
    const [job] = await tx.select().from(trainingJobs).where(eq(trainingJobs.id, jobId)).for('update');
    if (!job) throw notFound('Training job');
    if (isTerminal(job.status)) throw conflict(`The job has already ended (${job.status}).`);
    if (job.cancelRequestedAt) return;
    await tx.update(trainingJobs).set({ cancelRequestedAt: new Date() }).where(eq(trainingJobs.id, jobId));
    await addEvents(tx, jobId, [{ kind: 'log', message: 'Cancel requested.', data: { by: actor.id } }]);
    await scheduleStep(tx, jobId, null);
    await recordAudit(tx, { actorUserId: actor.id, action: 'training_job.cancel_requested', targetType: 'training_job', targetId: jobId });
  });
  nudgeJobs();
}

/** After we gave up following (provider unreachable for too long), follow the provider's job again. */
export async function resumeTrainingJob(ctx: ServiceContext, jobId: string): Promise<void> {
  const actor = requireRole(ctx.actor, 'researcher');
  await ctx.db.transaction(async (tx) => {
    const [job] = await tx.select().from(trainingJobs).where(eq(trainingJobs.id, jobId)).for('update');
    if (!job) throw notFound('Training job');
    if (job.status !== 'failed' || job.provider !== 'openai' || !job.providerJobId || job.providerStatus === 'failed')
      throw conflict('Only an OpenAI-provider job that we stopped following (its provider job exists and did not fail) can be resumed.');
    await tx
      .update(trainingJobs)
      .set({ status: 'submitted', statusReason: null, finishedAt: null, idlePolls: 0 })
      .where(and(eq(trainingJobs.id, jobId), eq(trainingJobs.status, 'failed')));
    await addEvents(tx, jobId, [{ kind: 'status', message: 'Following the provider job again.', data: { status: 'submitted' } }]);
    await scheduleStep(tx, jobId, null);
    await recordAudit(tx, { actorUserId: actor.id, action: 'training_job.resumed', targetType: 'training_job', targetId: jobId });
  });
  nudgeJobs();
}

export async function listTrainingJobs(ctx: ServiceContext) {
  requireRole(ctx.actor, 'viewer');
  const rows = await ctx.db
    .select({
      id: trainingJobs.id,
      name: trainingJobs.name,
      status: trainingJobs.status,
      method: trainingJobs.method,
      provider: trainingJobs.provider,
      baseModel: trainingJobs.baseModel,
      datasetId: trainingJobs.datasetId,
      datasetName: trainingJobs.datasetName,
      datasetVersion: trainingJobs.datasetVersion,
      progress: trainingJobs.progress,
      fineTunedModel: trainingJobs.fineTunedModel,
      createdAt: trainingJobs.createdAt,
      finishedAt: trainingJobs.finishedAt,
      createdBy: users.email,
      trainedModelId: trainedModels.id,
    })
    .from(trainingJobs)
    .leftJoin(users, eq(users.id, trainingJobs.createdById))
    .leftJoin(trainedModels, eq(trainedModels.jobId, trainingJobs.id))
    .orderBy(desc(trainingJobs.createdAt))
    .limit(500);
  return rows;
}

export async function getTrainingJob(ctx: ServiceContext, jobId: string) {
  requireRole(ctx.actor, 'viewer');
  const [row] = await ctx.db
    .select({ job: trainingJobs, createdBy: users.email, connectionName: llmConnections.name })
    .from(trainingJobs)
    .leftJoin(users, eq(users.id, trainingJobs.createdById))
    .leftJoin(llmConnections, eq(llmConnections.id, trainingJobs.connectionId))
    .where(eq(trainingJobs.id, jobId));
  if (!row) throw notFound('Training job');
  const events = await ctx.db
    .select({ id: trainingJobEvents.id, kind: trainingJobEvents.kind, level: trainingJobEvents.level, message: trainingJobEvents.message, data: trainingJobEvents.data, occurredAt: trainingJobEvents.occurredAt, createdAt: trainingJobEvents.createdAt })
    .from(trainingJobEvents)
    .where(eq(trainingJobEvents.jobId, jobId))
    .orderBy(asc(trainingJobEvents.createdAt), asc(trainingJobEvents.occurredAt))
    .limit(1000);
  const [trained] = await ctx.db.select().from(trainedModels).where(eq(trainedModels.jobId, jobId));
  const runs = trained
    ? await ctx.db
        .select({ id: benchmarkRuns.id, name: benchmarkRuns.name, status: benchmarkRuns.status, createdAt: benchmarkRuns.createdAt })
        .from(trainedModelRuns)
        .innerJoin(benchmarkRuns, eq(benchmarkRuns.id, trainedModelRuns.runId))
        .where(eq(trainedModelRuns.trainedModelId, trained.id))
        .orderBy(desc(benchmarkRuns.createdAt))
    : [];
  const [dataset] = await ctx.db.select({ id: trainingDatasets.id, status: trainingDatasets.status }).from(trainingDatasets).where(eq(trainingDatasets.id, row.job.datasetId));
  const job = row.job;
  return {
    id: job.id,
    name: job.name,
    status: job.status,
    statusReason: job.statusReason,
    provider: job.provider,
    providerStatus: job.providerStatus,
    providerJobId: job.providerJobId,
    method: job.method,
    baseModel: job.baseModel,
    hyperparameters: job.hyperparameters,
    exportFormat: job.exportFormat,
    seed: job.seed,
    progress: job.progress,
    trainedTokens: job.trainedTokens,
    costUsd: job.costUsd,
    fineTunedModel: job.fineTunedModel,
    resultEndpoint: job.resultEndpoint,
    cancelRequested: job.cancelRequestedAt !== null,
    createdAt: job.createdAt,
    submittedAt: job.submittedAt,
    finishedAt: job.finishedAt,
    createdBy: row.createdBy,
    connection: job.connectionId ? { id: job.connectionId, name: row.connectionName } : null,
    webhookHost: job.webhookUrl ? new URL(job.webhookUrl).host : null,
    dataset: { id: job.datasetId, name: job.datasetName, version: job.datasetVersion, exists: Boolean(dataset) },
    trainedModel: trained ? { id: trained.id, label: trained.label, connectionId: trained.connectionId, model: trained.model } : null,
    runs,
    events,
    canResume: job.status === 'failed' && job.provider === 'openai' && Boolean(job.providerJobId) && job.providerStatus !== 'failed',
  };
}

/** What the start form offers: ready datasets, connections, providers and the paper's defaults. */
export async function trainingJobOptions(ctx: ServiceContext) {
  requireRole(ctx.actor, 'viewer');
  const datasets = await ctx.db
    .select({ id: trainingDatasets.id, name: trainingDatasets.name, version: trainingDatasets.version, counts: trainingDatasets.counts, isDemo: trainingDatasets.isDemo })
    .from(trainingDatasets)
    .where(inArray(trainingDatasets.status, ['ready']))
    .orderBy(desc(trainingDatasets.createdAt))
    .limit(200);
  const connections = await ctx.db
    .select({ id: llmConnections.id, name: llmConnections.name, defaultModel: llmConnections.defaultModel })
    .from(llmConnections)
    .orderBy(asc(llmConnections.name));
  return {
    datasets,
    connections,
    webhookUnavailable: webhookUnavailableReason(),
    defaults: Object.fromEntries(TRAINING_METHODS.map((m) => [m, defaultHyperparameters(m)])) as Record<(typeof TRAINING_METHODS)[number], ReturnType<typeof defaultHyperparameters>>,
  };
}
