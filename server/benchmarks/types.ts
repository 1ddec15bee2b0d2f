import type { Usage } from '../llm/types';
import type { MetricValue } from './metrics';
import type { SimulatorRejectReason, TranscriptMessage } from './simulator-prompt';

export interface SimulatorTurn {
  /** May be '' when the user ends the chat without a closing remark. */
  message: string;
  thought: string;
  terminate: boolean;
  usage: Usage;
  latencyMs: number;
  /** Samples drawn for this turn (1 + rejected ones). */
  attempts: number;
  rejections: { reason: SimulatorRejectReason; detail: string }[];
  model: string;
  isDemo: boolean;
}

export interface SimulatedUser {
  readonly kind: 'llm' | 'scripted';
  next(history: readonly TranscriptMessage[], opts?: { signal?: AbortSignal }): Promise<SimulatorTurn>;
}

export interface JudgeInput {
  history: readonly TranscriptMessage[];
  brief: string;
  documentType: string;
  targetDocument: string;
  /** Facts of the brief (task metadata.details) when known; the demo judge checks coverage against them. */
  details?: readonly string[];
  /**
   * The final document when it is already known (a study participant's document pane): the judge scores it
   * as given instead of extracting one from the conversation. Benchmarks leave it out.
   */
  finalDocument?: string;
}

/** What a judge sees of a stored task: the same for a first scoring and for a re-score. */
export function judgeInputFor(
  history: readonly TranscriptMessage[],
  task: { brief: string; documentType: string; targetDocument: string; metadata: Record<string, unknown> | null },
): JudgeInput {
  const details = task.metadata?.details;
  return {
    history,
    brief: task.brief,
    documentType: task.documentType,
    targetDocument: task.targetDocument,
    details: Array.isArray(details) ? (details as string[]) : undefined,
  };
}

export interface JudgeOutput {
  finalDocument: string;
  scores: MetricValue[];
  usage: Usage;
}

export interface Judge {
  /** Key of benchmark_scores.judge: model and prompt version, or "demo-judge@…". */
  readonly label: string;
  readonly isDemo: boolean;
  /** `seed`: sent with the judge's model calls (see ModelTarget.seed); the demo-judge needs none. */
  judge(input: JudgeInput, opts?: { signal?: AbortSignal; seed?: number }): Promise<JudgeOutput>;
}

/** Tokens by the role that spent them (what pricing and the usage ledger take). */
export type RoleUsage = Partial<Record<'assistant' | 'simulator' | 'judge', Usage>>;

export const zeroUsage = (): Usage => ({ promptTokens: 0, completionTokens: 0 });
export function addUsage(into: Usage, more: Usage): Usage {
  into.promptTokens += more.promptTokens;
  into.completionTokens += more.completionTokens;
  return into;
}
