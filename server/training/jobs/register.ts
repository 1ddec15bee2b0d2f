/**
 * The trained model back as an arm: register a finished job's model (connection + model id, one click), and
 * "Evaluate it" = a benchmark run comparing it with its base model (and any other arms) on a task set.
 *
 * OpenAI provider: the fine-tuned model is served by the same connection that trained it. Webhook provider: the
 * trainer reported a serving endpoint; registering creates an LLM connection for it (no key: such endpoints are
 * usually inside the cluster; an admin can add one under Admin → Connections).
 */
import { asc, eq } from 'drizzle-orm';
import { schema } from '../../../db';
import { requireRole } from '../../auth/roles';
import { createRun } from '../../benchmarks/runs/commands';
import { isDemoStyle } from '../../llm/demo-model';
import { recordAudit } from '../../services/audit';
import type { ServiceContext } from '../../services/context';
import { badRequest, conflict, notFound, precondition } from '../../services/errors';
import { evaluateTrainedModelInput, type EvaluateTrainedModelInput } from './schemas';
import { isAllowedTrainerUrl } from './signature';

const { trainingJobs, trainedModels, trainedModelRuns, llmConnections, benchmarkTasks, benchmarkTaskSets } = schema;

export async function registerTrainedModel(ctx: ServiceContext, input: { jobId: string; label?: string }) {
  const actor = requireRole(ctx.actor, 'researcher');
  return ctx.db.transaction(async (tx) => {
    const [job] = await tx.select().from(trainingJobs).where(eq(trainingJobs.id, input.jobId)).for('update');
    if (!job) throw notFound('Training job');
    const [existing] = await tx.select().from(trainedModels).where(eq(trainedModels.jobId, job.id));
    if (existing) return { trainedModelId: existing.id, connectionId: existing.connectionId, model: existing.model, created: false };
    if (job.status !== 'succeeded' || !job.fineTunedModel) throw conflict('Only a succeeded job with a model can be registered.');
    let connectionId: string;
    if (job.provider === 'openai') {
      if (!job.connectionId) throw precondition('The connection that trained this model was deleted; add it again before registering.');
      connectionId = job.connectionId;
    } else {
      const endpoint = job.resultEndpoint;
      if (!endpoint || !isAllowedTrainerUrl(endpoint.baseUrl)) throw precondition('The trainer did not report a usable model endpoint (https, or http on localhost).');
      const name = `Trained: ${job.name}`.slice(0, 90) + ` (${job.id.slice(0, 8)})`;
      const [connection] = await tx
        .insert(llmConnections)
        .values({ name, baseUrl: endpoint.baseUrl, apiKeyEncrypted: null, defaultModel: endpoint.model })
        .onConflictDoUpdate({ target: llmConnections.name, set: { baseUrl: endpoint.baseUrl, defaultModel: endpoint.model } })
        .returning({ id: llmConnections.id });
      connectionId = connection!.id;
      await recordAudit(tx, { actorUserId: actor.id, action: 'connection.created', targetType: 'llm_connection', targetId: connectionId, details: { name, baseUrl: endpoint.baseUrl, keyReplaced: false, fromTrainingJob: job.id } });
    }
    const label = input.label ?? `${job.method.toUpperCase()} · ${job.datasetName} v${job.datasetVersion ?? '?'}`.slice(0, 80);
    const [row] = await tx
      .insert(trainedModels)
      .values({
        jobId: job.id,
        label,
        connectionId,
        model: job.fineTunedModel,
        baseConnectionId: job.connectionId,
        baseModel: job.baseModel,
        registeredById: actor.id,
      })
      .returning();
    await recordAudit(tx, { actorUserId: actor.id, action: 'trained_model.registered', targetType: 'trained_model', targetId: row!.id, details: { jobId: job.id, connectionId, model: job.fineTunedModel } });
    return { trainedModelId: row!.id, connectionId, model: row!.model, created: true };
  });
}

/** Registered models with their lineage, for arm pickers and the jobs page. */
export async function listTrainedModels(ctx: ServiceContext) {
  requireRole(ctx.actor, 'viewer');
  return ctx.db
    .select({
      id: trainedModels.id,
      label: trainedModels.label,
      connectionId: trainedModels.connectionId,
      connectionName: llmConnections.name,
      model: trainedModels.model,
      baseModel: trainedModels.baseModel,
      jobId: trainedModels.jobId,
      datasetName: trainingJobs.datasetName,
      datasetVersion: trainingJobs.datasetVersion,
      createdAt: trainedModels.createdAt,
    })
    .from(trainedModels)
    .innerJoin(trainingJobs, eq(trainingJobs.id, trainedModels.jobId))
    .leftJoin(llmConnections, eq(llmConnections.id, trainedModels.connectionId))
    .orderBy(asc(trainedModels.createdAt));
}

/** Starts a benchmark run: the trained model vs its base (and any extra arms) on the first N tasks of a set. */
export async function evaluateTrainedModel(ctx: ServiceContext, raw: EvaluateTrainedModelInput): Promise<{ runId: string }> {
  requireRole(ctx.actor, 'admin');
  const input = evaluateTrainedModelInput.parse(raw);
  const [model] = await ctx.db.select().from(trainedModels).where(eq(trainedModels.id, input.trainedModelId));
  if (!model) throw notFound('Trained model');
  if (!model.connectionId) throw precondition('The trained model\'s connection was deleted.');
  const [taskSet] = await ctx.db.select().from(benchmarkTaskSets).where(eq(benchmarkTaskSets.id, input.taskSetId));
  if (!taskSet) throw notFound('Task set');
  const tasks = await ctx.db
    .select({ id: benchmarkTasks.id })
    .from(benchmarkTasks)
    .where(eq(benchmarkTasks.taskSetId, taskSet.id))
    .orderBy(asc(benchmarkTasks.key))
    .limit(input.taskLimit);
  if (tasks.length === 0) throw precondition(`Task set "${taskSet.name}" has no tasks.`);
  const baseServable = model.baseConnectionId !== null || isDemoStyle(model.baseModel);
  if (input.includeBase && !baseServable)
    throw precondition(`The base model "${model.baseModel}" has no connection to be served from; untick "compare with the base model" or add arms.`);
  const arms = [
    ...(input.includeBase
      ? [{ key: 'base', label: `Base (${model.baseModel})`.slice(0, 80), connectionId: model.baseConnectionId, model: model.baseModel, systemPrompt: '' }]
      : []),
    { key: 'trained', label: model.label, connectionId: model.connectionId, model: model.model, systemPrompt: '' },
    ...input.extraArms,
  ];
  if (new Set(arms.map((a) => a.key)).size !== arms.length) throw badRequest('Extra arms need keys other than "base" and "trained".');
  const { runId } = await createRun(ctx, {
    name: `Evaluate ${model.label}`.slice(0, 120),
    config: {
      arms,
      referenceArmKey: input.includeBase ? 'base' : 'trained',
      taskIds: tasks.map((t) => t.id),
      simulator: input.simulator,
      judge: input.judge,
      conversationsPerTask: input.conversationsPerTask,
      maxTurns: input.maxTurns,
    },
  });
  await ctx.db.insert(trainedModelRuns).values({ trainedModelId: model.id, runId });
  await recordAudit(ctx.db, { actorUserId: ctx.actor!.id, action: 'trained_model.evaluation_started', targetType: 'trained_model', targetId: model.id, details: { runId, taskSetId: taskSet.id, tasks: tasks.length } });
  return { runId };
}
