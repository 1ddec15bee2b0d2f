/**
 * Replies of the fake OpenAI-compatible server for pilot tests: the simulated participant's messages (JSON, as the
 * simulator prompt asks), its ratings, setup answers and survey (JSON), and the arms' replies (a marked draft).
 * Never imported by app code.
 */
import type { FakeResponder, RecordedRequest } from '../../../scripts/fake-openai-server';

function text(content: unknown): string {
  return typeof content === 'string' ? content : JSON.stringify(content ?? '');
}

export const SIMULATED_OPENING = 'Hello, I need help with a short piece of writing.';

export interface PilotResponderOptions {
  /** Simulated user turns before it ends the chat (it says "done" on this turn). */
  userTurns?: number;
  /** When it returns a promise, arm replies wait for it (to freeze a worker mid-reply). */
  holdArmReply?: () => Promise<void> | null;
}

export function fakePilotResponder(opts: PilotResponderOptions = {}): FakeResponder {
  const userTurns = opts.userTurns ?? 3;
  return async (request: RecordedRequest) => {
    const messages = request.body?.messages ?? [];
    const system = text(messages.find((m) => m.role === 'system')?.content);
    const last = text([...messages].reverse().find((m) => m.role === 'user')?.content);
    if (system.startsWith('You are playing a person')) {
      const turn = (last.match(/\*\*User\*\*:/g) ?? []).length + 1;
      const message = turn === 1 ? SIMULATED_OPENING : `Simulated reply number ${turn}: please make it warmer and mention the harbour.`;
      return JSON.stringify({ thought: 'stay on goal', message, done: turn >= userTurns });
    }
    if (system.startsWith('You are role-playing a participant')) {
      if (last.includes('"answers"')) return JSON.stringify({ answers: { audience: 'my hiking club', point: 'slow travel is rewarding' } });
      if (last.includes('"rating"')) return JSON.stringify({ rating: 7 });
      return JSON.stringify({
        documentQuality: 8,
        overallInteraction: 6,
        strengths: 'It asked good questions before writing.',
        weaknesses: 'The drafts were a little long to read.',
        blindingGuess: 'Not sure',
        attention: { check_a: 'Purple', check_b: 'Strongly disagree' },
      });
    }
    const hold = opts.holdArmReply?.();
    if (hold) await hold;
    const turn = messages.filter((m) => m.role === 'user').length;
    return `Here is draft ${turn}.\n<document>\nA walk along the harbour, version ${turn}. The boats rocked gently. We stayed until dusk and talked about the trip.\n</document>\nWhat would you like to change?`;
  };
}
