/**
 * How benchmark failures are classified for the job queue: retryable (try the item again later) or
 * terminal (retrying cannot help: bad configuration, rejected credentials, a request the endpoint refuses).
 */
import { ZodError } from 'zod';
import { LlmError } from '../llm';
import { ServiceError } from '../services/errors';

export class BenchmarkError extends Error {
  constructor(
    message: string,
    public readonly kind: 'retryable' | 'terminal',
    /**
     * What went wrong, for the run's accounting (e.g. `judge_unparseable` with the judge's label, or
     * `arm_unparseable` when a template-mode arm's JSON reply had no readable shown field).
     */
    public readonly detail?: { reason: 'judge_unparseable'; judge: string } | { reason: 'arm_unparseable'; judge?: undefined },
  ) {
    super(message);
    this.name = 'BenchmarkError';
  }
}

/** Cancellation through the AbortSignal: neither a success nor a failure of the item. */
export function isCancellation(err: unknown): boolean {
  return (err instanceof LlmError && err.reason === 'aborted') || (err instanceof Error && err.name === 'AbortError');
}

/** True when retrying the same item cannot succeed; the queue should fail it at once. */
export function isTerminalError(err: unknown): boolean {
  if (isCancellation(err)) return false;
  if (err instanceof BenchmarkError) return err.kind === 'terminal';
  if (err instanceof LlmError) return err.kind === 'terminal';
  if (err instanceof ServiceError) return true;
  if (err instanceof ZodError) return true;
  return false;
}

/** Where in an item an attempt failed (stored in benchmark_items.failure for the run's accounting). */
export type FailureStage = 'setup' | 'simulator' | 'assistant' | 'judge';

export interface ItemFailure {
  stage: FailureStage;
  /** judge_unparseable | model_<LlmError reason> | configuration | cancelled | other */
  reason: string;
  /** The judge's label when the judge failed. */
  judge?: string;
}

/** A failure's category: stable, short strings that group failed conversations per arm. */
export function classifyFailure(err: unknown, stage: FailureStage, judgeLabel?: string): ItemFailure {
  const judge = stage === 'judge' && judgeLabel ? { judge: judgeLabel } : {};
  if (isCancellation(err)) return { stage, reason: 'cancelled', ...judge };
  if (err instanceof BenchmarkError && err.detail) return { stage, reason: err.detail.reason, judge: err.detail.judge };
  if (err instanceof LlmError) return { stage, reason: `model_${err.reason}`, ...judge };
  if (err instanceof ServiceError || err instanceof ZodError) return { stage, reason: 'configuration', ...judge };
  return { stage, reason: 'other', ...judge };
}
