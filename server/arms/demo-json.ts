/**
 * The offline demo model in template mode: it answers with a JSON object like a real model following a
 * template would (a private "thought" and the shown field), streamed in small pieces so the shown-field
 * extraction runs offline exactly as against an endpoint. The reply text itself is the demo model's
 * (server/llm/demo-model.ts `demoReply`) for the plain conversation, since it cannot read a template.
 */
import { env } from '../env';
import { demoModelName, demoReply, isDemoStyle } from '../llm/demo-model';
import { abortableSleep, cancelledError, LlmError } from '../llm/errors';
import { countPromptTokens, countTokens } from '../llm/tokens';
import type { CallOptions, ChatMessage, Completion, ModelTarget, StreamEvent } from '../llm/types';

/** Characters per streamed piece: small enough that a key or an escape is often split across pieces. */
const PIECE_CHARS = 12;

function demoJsonText(target: ModelTarget, conversation: ChatMessage[], field: string): string {
  if (!isDemoStyle(target.model))
    throw new LlmError(`Unknown demo model "${target.model}"; use one of baseline, proactive, collabllm.`, 'terminal', 'invalid_target');
  const reply = demoReply(target.model, conversation);
  const userTurns = conversation.filter((m) => m.role === 'user').length;
  const thought = `Demo model in template mode, turn ${userTurns}: ${reply.includes('?') ? 'asking before committing' : 'drafting'}.`;
  // The shown field last, after a hidden one, as chain-of-thought templates usually ask.
  return JSON.stringify({ thought, [field]: reply });
}

export async function* demoJsonStream(target: ModelTarget, conversation: ChatMessage[], field: string, opts: CallOptions): AsyncGenerator<StreamEvent> {
  const start = performance.now();
  const text = demoJsonText(target, conversation, field);
  let firstAt: number | undefined;
  for (let i = 0; i < text.length; i += PIECE_CHARS) {
    if (opts.signal?.aborted) throw cancelledError();
    if (i > 0 && env.DEMO_MODEL_WORD_DELAY_MS > 0) await abortableSleep(Math.ceil(env.DEMO_MODEL_WORD_DELAY_MS / 3), opts.signal);
    firstAt ??= performance.now();
    yield { type: 'delta', text: text.slice(i, i + PIECE_CHARS) };
  }
  const end = performance.now();
  yield {
    type: 'done',
    text,
    model: demoModelName(target.model as Parameters<typeof demoModelName>[0]),
    usage: { promptTokens: countPromptTokens(conversation), completionTokens: countTokens(text) },
    ttftMs: Math.round((firstAt ?? end) - start),
    generationMs: Math.round(end - (firstAt ?? end)),
    attempts: 1,
    isDemo: true,
  };
}

export async function demoJsonComplete(target: ModelTarget, conversation: ChatMessage[], field: string, opts: CallOptions): Promise<Completion> {
  if (opts.signal?.aborted) throw cancelledError();
  const start = performance.now();
  const text = demoJsonText(target, conversation, field);
  return {
    text,
    model: demoModelName(target.model as Parameters<typeof demoModelName>[0]),
    usage: { promptTokens: countPromptTokens(conversation), completionTokens: countTokens(text) },
    latencyMs: Math.round(performance.now() - start),
    attempts: 1,
    isDemo: true,
  };
}
