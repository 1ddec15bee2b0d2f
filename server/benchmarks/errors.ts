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
