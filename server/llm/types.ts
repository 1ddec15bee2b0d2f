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
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
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
