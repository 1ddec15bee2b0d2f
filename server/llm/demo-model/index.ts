/**
 * The offline demo model: lets a fresh install run the whole study with no API key.
 *
 * It is a deterministic template engine, not a language model. Replies depend only on the
 * conversation (same messages → same reply) and on the style, and the three styles behave the
 * way the paper describes its arms: one drafts at once and agrees with everything; one asks
 * clarifying questions first; one asks sharper questions with options and proposes next steps.
 * The text never names the style, so participants cannot learn their arm from it. Drafts are marked
 * with the `<document>` convention (../document-part.ts), as the arms' prompts ask of real models.
 *
 * Files: reading.ts (what was asked), questions.ts, drafts.ts, length.ts, revise.ts, styles.ts (the arms).
 */
import { env } from '../../env';
import { demoStyles, type DemoStyle } from '../../studies/config';
import { abortableSleep, cancelledError } from '../errors';
import { countPromptTokens, countTokens } from '../tokens';
import { readConversation, pickFresh } from './reading';
import { baselineReply, collabReply, proactiveReply } from './styles';
import type { CallOptions, ChatMessage, Completion, ModelTarget, StreamEvent } from '../types';

export function isDemoStyle(model: string): model is DemoStyle {
  return (demoStyles as readonly string[]).includes(model);
}

export const demoModelName = (style: DemoStyle) => `demo-${style}`;

const greetings = [
  'Hello! What would you like to write today? Tell me the kind of document and what it should be about.',
  'Hi! I can help you write something. What kind of document is it, and what is it about?',
  'Hello there. What are we writing today, and what is it about?',
];
const nudges = [
  'I am ready when you are.',
  'Happy to start whenever you like.',
  'No rush.',
  'Whenever you are ready, I can start.',
];
const examples = [
  'Just tell me what to write, for example "a 400-word blog post about learning to swim as an adult".',
  'What should the document be about? A sentence is enough, for example "a short story about a lighthouse keeper".',
  'Which document are you working on, and what is its topic? For example "a personal statement for a nursing programme".',
  'What would you like me to draft? Name the kind of document and its subject, for example "a blog post about night trains".',
];

/**
 * Before the user has said what to write: a greeting, then nudges with an example. Every reply differs
 * from all earlier ones in the conversation (sixteen nudges after the three greetings before any repeats).
 */
function greeting(previous: string[], digest: Buffer): string {
  if (!previous.some((text) => greetings.includes(text))) return pickFresh(greetings, digest, 0, previous);
  const candidates = nudges.flatMap((n) => examples.map((e) => `${n} ${e}`));
  return pickFresh(candidates, digest, 0, previous);
}

/**
 * The demo model's whole reply for a conversation (pure and deterministic; `seed`, when given, is part of
 * the hash that picks variants, so seeded calls repeat and different seeds can differ).
 */
export function demoReply(style: DemoStyle, messages: ChatMessage[], opts: { seed?: number } = {}): string {
  const conv = readConversation(messages, opts.seed);
  if (conv.users.length === 0) return greeting(conv.allAssistants, conv.digest);
  switch (style) {
    case 'baseline':
      return baselineReply(conv);
    case 'proactive':
      return proactiveReply(conv);
    case 'collabllm':
      return collabReply(conv);
  }
}

export async function* demoStream(target: ModelTarget, messages: ChatMessage[], opts: CallOptions): AsyncGenerator<StreamEvent> {
  const style = target.model as DemoStyle;
  const start = performance.now();
  const text = demoReply(style, messages, { seed: target.seed });
  const words = text.match(/\s*\S+/g) ?? [];
  let firstAt: number | undefined;
  for (const [i, word] of words.entries()) {
    if (opts.signal?.aborted) throw cancelledError();
    if (i > 0 && env.DEMO_MODEL_WORD_DELAY_MS > 0) await abortableSleep(env.DEMO_MODEL_WORD_DELAY_MS, opts.signal);
    firstAt ??= performance.now();
    yield { type: 'delta', text: word };
  }
  const end = performance.now();
  yield {
    type: 'done',
    text,
    model: demoModelName(style),
    usage: { promptTokens: countPromptTokens(messages), completionTokens: countTokens(text) },
    ttftMs: Math.round((firstAt ?? end) - start),
    generationMs: Math.round(end - (firstAt ?? end)),
    attempts: 1,
    isDemo: true,
  };
}

export async function demoComplete(target: ModelTarget, messages: ChatMessage[], opts: CallOptions): Promise<Completion> {
  const style = target.model as DemoStyle;
  if (opts.signal?.aborted) throw cancelledError();
  const start = performance.now();
  const text = demoReply(style, messages, { seed: target.seed });
  return {
    text,
    model: demoModelName(style),
    usage: { promptTokens: countPromptTokens(messages), completionTokens: countTokens(text) },
    latencyMs: Math.round(performance.now() - start),
    attempts: 1,
    isDemo: true,
  };
}
