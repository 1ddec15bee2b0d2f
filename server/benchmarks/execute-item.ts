/**
 * Runs one benchmark item (task × arm × replicate): simulated user ↔ arm until the user ends the chat or
 * the turn limit, then extraction and scoring. Idempotent: a completed item is skipped; an item with a
 * partial conversation from an earlier attempt is rerun from scratch (the old conversation is deleted).
 * Errors propagate for the queue: `isTerminalError(err)` tells whether a retry can help.
 */
import { createHash } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../db';
import { benchmarkItems, benchmarkRuns, benchmarkTasks, messages } from '../../db/schema';
import { armCall, completeArmReply, defaultTaskText, StructuredReplyError, type ArmContext } from '../arms/generate';
import { resolveArmTarget, resolveConnectionTarget } from '../llm/resolve';
import type { ModelTarget } from '../llm/types';
import { logger } from '../lib/logger';
import { notFound } from '../services/errors';
import { createScriptedSimulator, documentTypeLabel, SCRIPTED_SIMULATOR_VERSION } from './demo';
import { BenchmarkError, classifyFailure, isCancellation, isTerminalError, type FailureStage } from './errors';
import { claimItemAttempt, completeItemAttempt, type TranscriptRow } from './item-store';
import { leaseHeld, type JobLease } from '../jobs/queue';
import { resolveJudge } from './judges';
import { conversationSeed, requestSeed, samplePersona } from './persona';
import { parseRunConfig, type RunConfig } from './run-config';
import { recordRunUsage } from './usage';
import { createLlmSimulator } from './simulator';
import { isEndlessGoodbye, SIMULATOR_PROMPT_VERSION, type TranscriptMessage } from './simulator-prompt';
import { addUsage, judgeInputFor, zeroUsage, type Judge, type RoleUsage, type SimulatedUser } from './types';

export { isTerminalError, isCancellation, BenchmarkError } from './errors';

export type EndReason = 'terminated' | 'max_turns' | 'endless_goodbye';

export interface ExecuteItemResult {
  status: 'completed' | 'skipped';
  conversationId: string | null;
  endReason?: EndReason;
  turns?: number;
}


const SIMULATOR_MAX_TOKENS = 1024;

function hashPrompt(prompt: string): string {
  return createHash('sha256').update(prompt).digest('hex').slice(0, 16);
}

type Targets = [ModelTarget, Judge, ModelTarget | null];

/**
 * Resolved targets (arm, judge, simulator) per run and arm, shared for a few seconds: a run's first wave
 * would otherwise look up the same connections dozens of times at once, and every item after it once more.
 * Kept short so that an edited connection (a rotated key) applies within seconds; a failed lookup is not kept.
 */
const TARGETS_TTL_MS = 5_000;
const resolvedTargets = new Map<string, { at: number; targets: Promise<Targets> }>();

function runTargets(db: Database, runId: string, config: RunConfig, arm: RunConfig['arms'][number]): Promise<Targets> {
  const key = `${runId}\u0000${arm.key}`;
  const cached = resolvedTargets.get(key);
  if (cached && Date.now() - cached.at < TARGETS_TTL_MS) return cached.targets;
  if (resolvedTargets.size >= 500) resolvedTargets.clear();
  const targets = Promise.all([
    resolveArmTarget(db, arm),
    resolveJudge(db, config.judge),
    config.simulator.connectionId === null
      ? null
      : resolveConnectionTarget(db, config.simulator.connectionId, config.simulator.model, {
          temperature: config.simulator.temperature,
          maxTokens: SIMULATOR_MAX_TOKENS,
        }),
  ]);
  targets.catch(() => resolvedTargets.delete(key));
  resolvedTargets.set(key, { at: Date.now(), targets });
  return targets;
}

export async function executeBenchmarkItem(
  db: Database,
  itemId: string,
  opts: { signal?: AbortSignal; lease?: JobLease } = {},
): Promise<ExecuteItemResult> {
  const [row] = await db
    .select({ item: benchmarkItems, run: benchmarkRuns, task: benchmarkTasks })
    .from(benchmarkItems)
    .innerJoin(benchmarkRuns, eq(benchmarkRuns.id, benchmarkItems.runId))
    .innerJoin(benchmarkTasks, eq(benchmarkTasks.id, benchmarkItems.taskId))
    .where(eq(benchmarkItems.id, itemId));
  if (!row) throw notFound('Benchmark item');
  const { item, run, task } = row;
  if (item.status === 'completed' || item.status === 'cancelled' || (run.status !== 'queued' && run.status !== 'running'))
    return { status: 'skipped', conversationId: item.conversationId };

  const config = parseRunConfig(run.config);
  const arm = config.arms.find((a) => a.key === item.armKey);
  if (!arm) throw new BenchmarkError(`Arm "${item.armKey}" is not in the run configuration.`, 'terminal');

  const usage: Required<RoleUsage> = { assistant: zeroUsage(), simulator: zeroUsage(), judge: zeroUsage() };
  let usageRecorded = false;
  const recordUsage = async () => {
    if (usageRecorded) return;
    usageRecorded = true;
    await recordRunUsage(db, { runId: run.id, itemId, pricing: config.pricing, usage });
  };
  let conversationId: string | null = null;
  // Where the attempt is, so a failure can be attributed (simulator, arm or judge) in the run's accounting.
  let stage: FailureStage = 'setup';
  let judgeLabel: string | undefined;
  // The conversation's messages, stored with the completion (one statement, see item-store.ts) or, when the
  // attempt fails, as far as it got (best effort, for looking into the failure).
  const transcript: TranscriptRow[] = [];
  try {
    const seed = conversationSeed(config.seed, task.id, item.replicate);
    const persona = samplePersona(seed);
    const metadata = task.metadata ?? {};
    const typeLabel = documentTypeLabel(task.documentType);
    const simDemo = config.simulator.connectionId === null;
    const [sharedArmTarget, judge, sharedSimulatorTarget] = await runTargets(db, run.id, config, arm);
    // Seeds for the endpoints' sampling, from the conversation's seed: the same in every arm (paired) and on a rerun.
    const armTarget = sharedArmTarget.connection ? { ...sharedArmTarget, seed: requestSeed(seed, 'assistant') } : sharedArmTarget;
    const simulatorTarget = sharedSimulatorTarget && { ...sharedSimulatorTarget, seed: requestSeed(seed, 'simulator') };
    const judgeSeed = judge.isDemo ? undefined : requestSeed(seed, 'judge');
    judgeLabel = judge.label;
    const simulator: SimulatedUser = !simulatorTarget
      ? createScriptedSimulator({
          documentType: task.documentType,
          topic: typeof metadata.topic === 'string' ? metadata.topic : task.key,
          brief: task.brief,
          details: Array.isArray(metadata.details) ? metadata.details : undefined,
          persona,
        })
      : createLlmSimulator({
          target: simulatorTarget,
          // The whole hidden goal (brief, details, target document): only the simulator's prompt holds it.
          brief: task.brief,
          details: Array.isArray(metadata.details) ? (metadata.details as string[]) : undefined,
          targetDocument: task.targetDocument,
          documentTypeLabel: typeLabel,
          persona,
        });

    const simulatorMeta = {
      kind: simulator.kind,
      isDemo: simDemo,
      promptVersion: simDemo ? SCRIPTED_SIMULATOR_VERSION : SIMULATOR_PROMPT_VERSION,
      connectionId: config.simulator.connectionId,
      model: simDemo ? SCRIPTED_SIMULATOR_VERSION : config.simulator.model,
      temperature: config.simulator.temperature,
      seed,
      requestSeed: simulatorTarget?.seed ?? null,
      persona,
    };

    conversationId = await claimItemAttempt(db, {
      itemId,
      lease: opts.lease,
      armKey: arm.key,
      assistantConfig: {
        connectionId: arm.connectionId,
        model: arm.model,
        systemPromptHash: arm.systemPrompt ? hashPrompt(arm.systemPrompt) : null,
        temperature: arm.temperature,
        topP: arm.topP,
        maxTokens: arm.maxTokens,
        isDemo: arm.connectionId === null,
        seed: armTarget.seed ?? null,
        mode: arm.mode ?? 'system_prompt',
        ...(arm.mode === 'template' && arm.template && {
          templateHash: hashPrompt(arm.template.text),
          responseField: arm.template.responseField,
          parseRetries: arm.template.parseRetries,
        }),
      },
      metadata: {
        runId: run.id,
        itemId,
        taskId: task.id,
        taskKey: task.key,
        replicate: item.replicate,
        simulator: simulatorMeta,
        judge: { label: judge.label, isDemo: judge.isDemo, seed: judgeSeed ?? null },
        demo: simDemo || judge.isDemo || arm.connectionId === null,
      },
    });
    if (!conversationId) return { status: 'skipped', conversationId: item.conversationId };
    const convId = conversationId;

    // Template-mode arms see the task's public description, type and topic; never the brief or the target.
    const armContext: ArmContext = {
      documentType: typeLabel,
      topic: typeof metadata.topic === 'string' ? metadata.topic : '',
      task: defaultTaskText(typeLabel),
    };
    const history: TranscriptMessage[] = [];
    let endReason: EndReason = 'max_turns';
    const simulatorRejections: Record<string, number> = {};
    const store = (values: Omit<TranscriptRow, 'seq' | 'completedAt'>) => {
      transcript.push({ ...values, seq: transcript.length + 1, completedAt: new Date() });
    };

    for (let turn = 0; turn < config.maxTurns; turn++) {
      opts.signal?.throwIfAborted();
      stage = 'simulator';
      const sim = await simulator.next(history, { signal: opts.signal });
      addUsage(usage.simulator, sim.usage);
      for (const r of sim.rejections) simulatorRejections[r.reason] = (simulatorRejections[r.reason] ?? 0) + 1;
      if (sim.message !== '') {
        history.push({ role: 'user', content: sim.message });
        store({
          role: 'user',
          content: sim.message,
          model: sim.model,
          isDemoModel: sim.isDemo,
          promptTokens: sim.usage.promptTokens,
          completionTokens: sim.usage.completionTokens,
          generationMs: sim.latencyMs,
          attempts: sim.attempts,
        });
      }
      if (sim.terminate) {
        endReason = 'terminated';
        break;
      }
      const userMessages = history.filter((m) => m.role === 'user').map((m) => m.content);
      if (isEndlessGoodbye(userMessages)) {
        endReason = 'endless_goodbye';
        break;
      }
      stage = 'assistant';
      const reply = await completeArmReply(armCall(arm, armTarget, history, armContext), { signal: opts.signal }).catch((err: unknown) => {
        // The arm's JSON could not be read after its parse retries: the item fails with the reason (and is retried).
        throw err instanceof StructuredReplyError ? new BenchmarkError(`Arm "${arm.key}": ${err.message}`, 'retryable', { reason: 'arm_unparseable' }) : err;
      });
      addUsage(usage.assistant, reply.usage);
      history.push({ role: 'assistant', content: reply.text });
      store({
        role: 'assistant',
        content: reply.text,
        model: reply.model,
        isDemoModel: reply.isDemo,
        promptTokens: reply.usage.promptTokens,
        completionTokens: reply.usage.completionTokens,
        generationMs: reply.latencyMs,
        attempts: reply.attempts,
        structuredOutput: reply.structured ? { ...reply.structured } : null,
      });
    }

    stage = 'judge';
    const judged = await judge.judge(judgeInputFor(history, task), { signal: opts.signal, seed: judgeSeed });
    addUsage(usage.judge, judged.usage);

    const userTurns = history.filter((m) => m.role === 'user').length;
    const [finished] = await Promise.all([
      completeItemAttempt(db, {
        itemId,
        lease: opts.lease,
        conversationId: convId,
        judgeLabel: judge.label,
        finalDocument: judged.finalDocument,
        scores: judged.scores,
        conversationMetadata: { endReason, turns: userTurns, usage, simulatorRejections },
        messages: transcript,
      }),
      recordUsage(),
    ]);
    if (!finished) return { status: 'skipped', conversationId: convId };
    return { status: 'completed', conversationId: convId, endReason, turns: userTurns };
  } catch (err) {
    // Tokens of a failed attempt were still spent: count them (once) before the error goes to the queue.
    await recordUsage().catch((e: unknown) => logger.warn('could not add usage of a failed item', { error: String(e) }));
    if (conversationId && transcript.length > 0) {
      const convId = conversationId;
      await db
        .insert(messages)
        .values(transcript.map((m) => ({ ...m, conversationId: convId, status: 'complete' as const })))
        .catch((e: unknown) => logger.warn('could not store the transcript of a failed item', { error: String(e) }));
    }
    const cancelled = isCancellation(err);
    const message = cancelled ? 'Cancelled before it finished.' : err instanceof Error ? err.message : String(err);
    // Only this attempt's own state: after its claim, the item while it still has this attempt's conversation
    // (a newer attempt replaced it otherwise), and only while this attempt still holds its job.
    await db
      .update(benchmarkItems)
      .set({
        status: !cancelled && isTerminalError(err) ? 'failed' : 'pending',
        error: message.slice(0, 2000),
        failure: classifyFailure(err, stage, judgeLabel),
        finishedAt: new Date(),
      })
      .where(
        and(
          eq(benchmarkItems.id, itemId),
          conversationId
            ? and(eq(benchmarkItems.status, 'running'), eq(benchmarkItems.conversationId, conversationId))
            : inArray(benchmarkItems.status, ['pending', 'running']),
          opts.lease ? leaseHeld(opts.lease) : undefined,
        ),
      )
      .catch((e: unknown) => logger.warn('could not record a failed item', { error: String(e) }));
    throw err;
  }
}
