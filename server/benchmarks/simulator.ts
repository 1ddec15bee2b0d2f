/**
 * The LLM simulated user: role-plays the user with a hidden brief (see simulator-prompt.ts for the prompt
 * and the guards). A rejected sample (malformed JSON, role flip, empty, repeated, too long) is redrawn with
 * a short note on what was wrong, up to `maxAttempts` samples per turn.
 */
import { completeJsonChat } from './llm-json';
import type { ModelTarget } from '../llm/types';
import { BenchmarkError } from './errors';
import type { Persona } from './persona';
import { parseSimulatorReply, simulatorMessages, type SimulatorGoal, type TranscriptMessage } from './simulator-prompt';
import { addUsage, zeroUsage, type SimulatedUser, type SimulatorTurn } from './types';

export {
  SIMULATOR_PROMPT_VERSION,
  TERMINATION_SIGNAL,
  parseSimulatorReply,
  isEndlessGoodbye,
  isClosingMessage,
  simulatorMessages,
} from './simulator-prompt';
export { samplePersona, conversationSeed, type Persona } from './persona';

export const SIMULATOR_MAX_ATTEMPTS = 4;

const REJECTION_NOTES: Record<string, string> = {
  malformed: 'Your last reply was not a JSON object with a "message" field. Reply with the JSON object only.',
  empty: 'Your last reply had an empty message. Write a real message, or end the chat with the signal.',
  role_flip: 'Your last reply was written as the assistant. You are the USER: write only what the user says.',
  repeated: 'You already sent that exact message. Say something new or end the chat.',
  too_long: 'Your last message was far too long. The user does not write the document; keep your message short.',
};

export function createLlmSimulator(input: SimulatorGoal & {
  target: ModelTarget;
  documentTypeLabel: string;
  persona: Persona;
  maxAttempts?: number;
}): SimulatedUser {
  const maxAttempts = input.maxAttempts ?? SIMULATOR_MAX_ATTEMPTS;
  const target: ModelTarget = { ...input.target, json: true };
  return {
    kind: 'llm',
    async next(history: readonly TranscriptMessage[], opts = {}): Promise<SimulatorTurn> {
      const previousUser = history.filter((m) => m.role === 'user').map((m) => m.content);
      const usage = zeroUsage();
      const rejections: SimulatorTurn['rejections'] = [];
      let latencyMs = 0;
      const base = simulatorMessages({ ...input, history });
      for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        const last = rejections[rejections.length - 1];
        const messages = last
          ? [...base.slice(0, -1), { role: 'user' as const, content: `${base[base.length - 1]?.content}\n\n${REJECTION_NOTES[last.reason]}` }]
          : base;
        const completion = await completeJsonChat(target, messages, { signal: opts.signal });
        addUsage(usage, completion.usage);
        latencyMs += completion.latencyMs;
        const reply = parseSimulatorReply(completion.text, previousUser);
        if (reply.ok) {
          return {
            message: reply.message,
            thought: reply.thought,
            terminate: reply.terminate,
            usage,
            latencyMs,
            attempts: attempt,
            rejections,
            model: completion.model,
            isDemo: completion.isDemo,
          };
        }
        rejections.push({ reason: reply.reason, detail: reply.detail });
      }
      throw new BenchmarkError(
        `The simulated user gave no usable message in ${maxAttempts} attempts (${rejections.map((r) => r.reason).join(', ')}).`,
        'retryable',
      );
    },
  };
}
