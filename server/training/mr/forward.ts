/**
 * One forward sample of MR: the simulated user and the policy continue the chat after a candidate reply for
 * up to `window` user turns (user, assistant, user, assistant for w = 2; the paper's code counts 4 messages),
 * stopping early at the simulator's end signal; then the judge scores the whole conversation and the reward
 * formula combines the components. Reuses the benchmark's simulators, judges and metrics.
 */
import { completeChat } from '../../llm';
import { withSystemPrompt } from '../../llm/resolve';
import type { ModelTarget, Usage } from '../../llm/types';
import { createScriptedSimulator } from '../../benchmarks/demo';
import { METRICS } from '../../benchmarks/metrics';
import { requestSeed, samplePersona } from '../../benchmarks/persona';
import { createLlmSimulator } from '../../benchmarks/simulator';
import type { TranscriptMessage } from '../../benchmarks/simulator-prompt';
import { documentTypeLabel } from '../../benchmarks/demo';
import { addUsage, judgeInputFor, zeroUsage, type Judge, type SimulatedUser } from '../../benchmarks/types';
import { conversationReward, type RewardComponent } from '../reward';
import { rewardFormula, type MrSettings, type RewardTask } from './settings';

export interface ForwardTargets {
  policy: ModelTarget;
  judge: Judge;
  /** null: the offline scripted simulated user. */
  simulator: ModelTarget | null;
}

export interface ForwardMessage extends TranscriptMessage {
  /** Set on the user message that carried the end signal. */
  terminate?: boolean;
}

export interface ForwardSampleResult {
  continuation: ForwardMessage[];
  endedBy: 'window' | 'terminated';
  reward: number;
  components: Record<string, unknown>;
  usage: { policy: Usage; simulator: Usage; judge: Usage };
}

/** Seed of one forward sample: the evaluation's seed × sample index (the same for every candidate: paired). */
export function sampleSeed(evaluationSeed: string, sampleIndex: number): string {
  return `${evaluationSeed}:sample:${sampleIndex}`;
}

export function simulatedUserFor(task: RewardTask, seed: string, target: ModelTarget | null): SimulatedUser {
  const persona = samplePersona(seed);
  return target
    ? createLlmSimulator({ target: { ...target, seed: requestSeed(seed, 'simulator') }, brief: task.brief, documentTypeLabel: documentTypeLabel(task.documentType), persona })
    : createScriptedSimulator({ documentType: task.documentType, topic: task.topic ?? task.documentType, brief: task.brief, details: task.details, persona });
}

export async function runForwardSample(input: {
  task: RewardTask;
  prefix: readonly TranscriptMessage[];
  candidate: string;
  settings: MrSettings;
  targets: ForwardTargets;
  seed: string;
  signal?: AbortSignal;
}): Promise<ForwardSampleResult> {
  const { task, settings, targets, seed, signal } = input;
  const usage = { policy: zeroUsage(), simulator: zeroUsage(), judge: zeroUsage() };
  const history: TranscriptMessage[] = [...input.prefix, { role: 'assistant', content: input.candidate }];
  const continuation: ForwardMessage[] = [];
  const simulator = simulatedUserFor(task, seed, targets.simulator);
  const policy = targets.policy.connection ? { ...targets.policy, seed: requestSeed(seed, 'assistant') } : targets.policy;
  let endedBy: ForwardSampleResult['endedBy'] = 'window';
  for (let turn = 0; turn < settings.window; turn++) {
    signal?.throwIfAborted();
    const sim = await simulator.next(history, { signal });
    addUsage(usage.simulator, sim.usage);
    if (sim.message !== '' || sim.terminate) {
      const message: ForwardMessage = { role: 'user', content: sim.message, ...(sim.terminate ? { terminate: true } : {}) };
      continuation.push(message);
      if (sim.message !== '') history.push({ role: 'user', content: sim.message });
    }
    if (sim.terminate) {
      endedBy = 'terminated';
      break;
    }
    const reply = await completeChat(policy, withSystemPrompt(settings.policy.systemPrompt, history), { signal });
    addUsage(usage.policy, reply.usage);
    history.push({ role: 'assistant', content: reply.text });
    continuation.push({ role: 'assistant', content: reply.text });
  }

  const judgeSeed = targets.judge.isDemo ? undefined : requestSeed(seed, 'judge');
  const judged = await targets.judge.judge(
    judgeInputFor(history, { brief: task.brief, documentType: task.documentType, targetDocument: task.targetDocument, metadata: { details: task.details } }),
    { signal, seed: judgeSeed },
  );
  addUsage(usage.judge, judged.usage);
  const score = (metric: string) => judged.scores.find((s) => s.metric === metric);
  const values: Partial<Record<RewardComponent, number>> = {};
  const bleuChar = score(METRICS.bleuChar)?.value;
  const bleuWord = score(METRICS.bleuWord)?.value;
  const interactivity = score(METRICS.interactivity)?.value;
  const quality = score(METRICS.quality)?.value;
  if (bleuChar !== undefined) values.bleu_char = bleuChar;
  if (bleuWord !== undefined) values.bleu_word = bleuWord;
  if (interactivity !== undefined) values.interactivity = interactivity;
  if (quality !== undefined) values.quality_01 = (quality - 1) / 9;
  const tokens = (score(METRICS.tokensRead)?.value ?? 0) + (score(METRICS.tokensTyped)?.value ?? 0);
  const breakdown = conversationReward(rewardFormula(settings), { components: values, tokens });
  return {
    continuation,
    endedBy,
    reward: breakdown.reward,
    components: {
      ...values,
      tokens,
      tokenPenalty: breakdown.tokenPenalty,
      terms: breakdown.terms,
      judgeIsDemo: targets.judge.isDemo,
      judgeLabel: targets.judge.label,
      finalDocument: judged.finalDocument,
      rationales: Object.fromEntries(judged.scores.filter((s) => s.rationale).map((s) => [s.metric, s.rationale])),
    },
    usage,
  };
}
