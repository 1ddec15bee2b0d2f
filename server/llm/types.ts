/**
 * The contract between the rest of the app and the LLM layer (server/llm/).
 * Only server/llm/ imports the `openai` SDK; everything else speaks these types.
 */
import type { DemoStyle } from '../studies/config';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Where and how to generate. `connection: null` selects the built-in offline demo model. */
export interface ModelTarget {
  connection: { baseUrl: string; apiKey: string | null } | null;
  /** Model id at the endpoint; for the demo model, one of DemoStyle. */
  model: string;
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  /** Ask for a JSON object (response_format json_object) where the endpoint supports it. */
  json?: boolean;
  /**
   * Sampling seed, sent as `seed`: endpoints that honour it (OpenAI best effort, vLLM) repeat their samples, so a
   * benchmark run can be reproduced. Dropped, and remembered, for an endpoint that rejects the parameter.
   */
  seed?: number;
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
  /** True when the endpoint reported no usage and the numbers are a cl100k_base estimate. */
  estimated?: boolean;
}

export type StreamEvent =
  | { type: 'delta'; text: string }
  /** A retry after partial output: the consumer must drop what it received so far. */
  | { type: 'reset'; attempt: number; reason: string }
  | { type: 'done'; text: string; model: string; usage: Usage; ttftMs: number; generationMs: number; attempts: number; isDemo: boolean };

export interface CallOptions {
  signal?: AbortSignal;
  /** Overrides env LLM_MAX_RETRIES for this call. */
  maxRetries?: number;
  /** Overrides env LLM_TIMEOUT_MS: the longest wait for a response, or between two streamed chunks. */
  timeoutMs?: number;
  /** Called before each retry (after the backoff was chosen), e.g. to log or count retries. */
  onRetry?: (info: RetryInfo) => void;
}

export type LlmFailureReason =
  | 'rate_limited'
  | 'server_error'
  | 'timeout'
  | 'connection'
  | 'stream_broken'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'bad_request'
  | 'aborted'
  | 'invalid_target';

export interface RetryInfo {
  /** The attempt that is about to start (2 = first retry). */
  attempt: number;
  reason: LlmFailureReason;
  status?: number;
  delayMs: number;
  /** Whether the failed attempt had already streamed text (a `reset` event was emitted). */
  hadPartialOutput: boolean;
}

export interface Completion {
  text: string;
  model: string;
  usage: Usage;
  latencyMs: number;
  attempts: number;
  isDemo: boolean;
}

export type { DemoStyle };
