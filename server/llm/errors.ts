import type { LlmFailureReason } from './types';

/** Every failure of the LLM layer. Messages are safe to log: they never contain an API key. */
export class LlmError extends Error {
  constructor(
    message: string,
    /** 'retryable': a transient failure that outlasted our retries (worth trying again later); 'terminal': retrying cannot help. */
    public readonly kind: 'retryable' | 'terminal',
    public readonly reason: LlmFailureReason,
    public readonly status?: number,
    /** Attempts made before giving up. */
    public readonly attempts = 1,
  ) {
    super(message);
    this.name = 'LlmError';
  }
}

export const cancelledError = () => new LlmError('The request was cancelled.', 'terminal', 'aborted');

/** Waits, or rejects with a cancellation LlmError as soon as the signal aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelledError());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelledError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
