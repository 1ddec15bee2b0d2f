/** Failures of a simulated pilot participant, as the pilot job sees them. */
import { LlmError } from '../llm';
import { BenchmarkError } from '../benchmarks/errors';

/** Why a simulated participant could not go on: `terminal` stops the whole pilot (every other participant would fail the same way). */
export class PilotParticipantError extends Error {
  constructor(
    message: string,
    public readonly kind: 'retryable' | 'terminal',
  ) {
    super(message);
    this.name = 'PilotParticipantError';
  }
}

export function isTerminalPilotError(err: unknown): boolean {
  if (err instanceof PilotParticipantError) return err.kind === 'terminal';
  if (err instanceof BenchmarkError) return err.kind === 'terminal';
  if (err instanceof LlmError) return err.kind === 'terminal' && err.reason !== 'aborted';
  return false;
}
