/**
 * Completions that ask for JSON mode (response_format json_object) where the endpoint allows it. Some
 * OpenAI-compatible servers reject the parameter with 400; then the call is repeated once without it
 * (the forgiving parser copes with plain-text JSON) and that endpoint+model is remembered for this process.
 */
import { completeChat, LlmError } from '../llm';
import type { CallOptions, ChatMessage, Completion, ModelTarget } from '../llm/types';

const jsonModeRejected = new Set<string>();

function endpointKey(target: ModelTarget): string {
  return `${target.connection?.baseUrl ?? 'demo'}\u0000${target.model}`;
}

export async function completeJsonChat(target: ModelTarget, messages: ChatMessage[], opts: CallOptions = {}): Promise<Completion> {
  const key = endpointKey(target);
  if (target.json && !jsonModeRejected.has(key)) {
    try {
      return await completeChat(target, messages, opts);
    } catch (err) {
      if (!(err instanceof LlmError && err.reason === 'bad_request')) throw err;
      jsonModeRejected.add(key);
    }
  }
  return completeChat({ ...target, json: false }, messages, opts);
}
