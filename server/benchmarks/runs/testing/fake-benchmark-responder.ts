/**
 * Plays every role of a benchmark conversation on the fake OpenAI-compatible server (tests and
 * bench/benchmark-runs.ts): the simulated user (a new detail each turn, so nothing repeats or reads as
 * a goodbye), the assistant arms, and the three judges. `turnsBeforeDone` makes the simulated user end
 * the chat after that many assistant replies; leave it out for conversations that run to maxTurns.
 */
import type { FakeResponder } from '../../../../scripts/fake-openai-server';
import { EXTRACTION_SYSTEM, INTERACTIVITY_SYSTEM, QUALITY_SYSTEM } from '../../judge-prompts';

const DRAFT = `Here is a draft for you.\n\n${Array.from({ length: 30 }, (_, i) => `Sentence ${i + 1} of the draft talks about the balcony garden.`).join(' ')}`;

export function fakeBenchmarkResponder(opts: { turnsBeforeDone?: number } = {}): FakeResponder {
  return (req) => {
    const msgs = req.body?.messages ?? [];
    const first = msgs[0];
    const system = first?.role === 'system' && typeof first.content === 'string' ? first.content : '';
    const last = String(msgs[msgs.length - 1]?.content ?? '');
    if (system.startsWith('You are playing a person')) {
      const assistantTurns = (last.match(/\*\*Assistant\*\*:/g) ?? []).length;
      const done = opts.turnsBeforeDone !== undefined && assistantTurns >= opts.turnsBeforeDone;
      return JSON.stringify({
        thought: 'keep going',
        message: done
          ? 'This is what I needed. [[TERMINATE CHAT]]'
          : `Detail number ${assistantTurns + 1}: the balcony faces south and pot ${assistantTurns + 1} holds cherry tomatoes.`,
        done,
      });
    }
    if (system === EXTRACTION_SYSTEM) return JSON.stringify({ thought: 'the last draft', document: DRAFT });
    if (system === INTERACTIVITY_SYSTEM) return '{"thought": "asked a question first", "interactivity": 1}';
    if (system === QUALITY_SYSTEM) return '{"thought": "covers most of the brief", "score": 7}';
    const userTurns = msgs.filter((m) => m.role === 'user').length;
    return userTurns < 2 ? 'Which details matter most to you for this post?' : DRAFT;
  };
}
