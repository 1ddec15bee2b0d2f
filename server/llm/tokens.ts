/**
 * cl100k_base token counts for the demo model and for endpoints that report no usage, with the same
 * encoder as the metrics (one per process).
 */
import { countTokens } from '../metrics/tokens';
import type { ChatMessage } from './types';

export { countTokens };

/**
 * OpenAI's documented accounting for chat prompts: each message costs its content plus about
 * 3 tokens of framing (4 with the role), and the reply is primed with 3 more.
 */
export function countPromptTokens(messages: ChatMessage[]): number {
  return messages.reduce((sum, m) => sum + 4 + countTokens(m.content), 3);
}
