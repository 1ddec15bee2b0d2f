/**
 * How a job handler tells the worker what a failure means. Anything else thrown is treated as
 * retryable (a bug or a blip), bounded by the job's maxAttempts.
 */
export class RetryableJobError extends Error {
  constructor(
    message: string,
    /** Server-suggested wait (e.g. a 429's Retry-After); the backoff is used when absent. */
    public readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'RetryableJobError';
  }
}

/** Retrying cannot help (bad credentials, invalid request): fail the job at once. */
export class TerminalJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TerminalJobError';
  }
}
