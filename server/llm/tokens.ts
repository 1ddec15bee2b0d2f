/**
 * cl100k_base token counts for the demo model and for endpoints that report no usage.
 * The rank table is loaded on first use (it is large) and shared by the process.
 */
import { Tiktoken } from 'js-tiktoken/lite';
import cl100k_base from 'js-tiktoken/ranks/cl100k_base';
import type { ChatMessage } from './types';

let encoder: Tiktoken | undefined;

export function countTokens(text: string): number {
  encoder ??= new Tiktoken(cl100k_base);
  return encoder.encode(text).length;
}

/**
 * OpenAI's documented accounting for chat prompts: each message costs its content plus about
 * 3 tokens of framing (4 with the role), and the reply is primed with 3 more.
 */
export function countPromptTokens(messages: ChatMessage[]): number {
  return messages.reduce((sum, m) => sum + 4 + countTokens(m.content), 3);
}
