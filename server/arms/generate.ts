/**
 * An arm's model call, the same for human studies and benchmarks: building the request (system prompt +
 * chat, or the rendered template) and, in template mode, reading the JSON reply so that only the shown
 * field is streamed and stored as the message text. The other fields go to `structured` (stored in
 * messages.structured_output, never sent to a participant). A reply whose JSON cannot be read is sampled
 * again up to `parseRetries` times, then the call fails with StructuredReplyError.
 */
import { completeChat, streamChat } from '../llm';
import { withSystemPrompt } from '../llm/resolve';
import type { CallOptions, ChatMessage, Completion, ModelTarget, StreamEvent, Usage } from '../llm/types';
import { renderTranscript } from '../benchmarks/simulator-prompt';
import type { ArmConfig } from '../studies/config';
import { demoJsonComplete, demoJsonStream } from './demo-json';
import { FieldStream, parseStructuredReply, type StructuredOutput } from './reply';
import { renderTemplate, type TemplateValues } from './template';

/** What the template's non-conversation placeholders hold for this chat. */
export interface ArmContext {
  documentType: string;
  topic: string;
  /** e.g. "help the user write a blog post"; never a benchmark task's hidden brief or target. */
  task: string;
}

export interface StructuredFormat {
  responseField: string;
  parseRetries: number;
  /** The plain conversation, for the offline demo model (it cannot read a rendered template). */
  conversation: ChatMessage[];
}

export interface ArmCall {
  target: ModelTarget;
  /** The request as sent to the endpoint. */
  messages: ChatMessage[];
  /** Set in template mode. */
  structured?: StructuredFormat;
}

export type ArmStreamEvent =
  | Exclude<StreamEvent, { type: 'done' }>
  | (Extract<StreamEvent, { type: 'done' }> & { structured?: StructuredOutput });

export type ArmCompletion = Completion & { structured?: StructuredOutput };

/** A template-mode reply that never had a readable shown field. */
export class StructuredReplyError extends Error {
  readonly kind = 'retryable' as const;
  constructor(message: string) {
    super(message);
    this.name = 'StructuredReplyError';
  }
}

export function defaultTaskText(documentType: string): string {
  return `help the user write a ${documentType}`;
}

export function templateValues(arm: ArmConfig, history: readonly ChatMessage[], context: ArmContext): TemplateValues {
  const chat = history.filter((m): m is ChatMessage & { role: 'user' | 'assistant' } => m.role !== 'system');
  return {
    conversation: renderTranscript(chat),
    conversation_json: JSON.stringify(chat.map((m) => ({ role: m.role, content: m.content }))),
    last_user_message: [...chat].reverse().find((m) => m.role === 'user')?.content ?? '',
    task: context.task,
    document_type: context.documentType,
    topic: context.topic,
    max_new_tokens: String(arm.maxTokens),
  };
}

/** The request an arm sends for a conversation (history without system messages). */
export function armCall(arm: ArmConfig, target: ModelTarget, history: readonly ChatMessage[], context: ArmContext): ArmCall {
  const conversation = history.filter((m) => m.role !== 'system');
  if (arm.mode !== 'template' || !arm.template) return { target, messages: withSystemPrompt(arm.systemPrompt, conversation) };
  const rendered = renderTemplate(arm.template.text, templateValues(arm, conversation, context));
  const system: ChatMessage[] = arm.systemPrompt.trim() ? [{ role: 'system', content: arm.systemPrompt }] : [];
  return {
    target,
    messages: [...system, { role: 'user', content: rendered }],
    structured: { responseField: arm.template.responseField, parseRetries: arm.template.parseRetries, conversation },
  };
}

function rawStream(call: ArmCall, opts: CallOptions): AsyncGenerator<StreamEvent> {
  if (call.structured && call.target.connection === null) return demoJsonStream(call.target, call.structured.conversation, call.structured.responseField, opts);
  return streamChat(call.target, call.messages, opts);
}

function rawComplete(call: ArmCall, opts: CallOptions): Promise<Completion> {
  if (call.structured && call.target.connection === null) return demoJsonComplete(call.target, call.structured.conversation, call.structured.responseField, opts);
  return completeChat(call.target, call.messages, opts);
}

const addUsage = (a: Usage, b: Usage): Usage => ({
  promptTokens: a.promptTokens + b.promptTokens,
  completionTokens: a.completionTokens + b.completionTokens,
  ...((a.estimated || b.estimated) && { estimated: true }),
});

function failure(format: StructuredFormat, rejected: StructuredOutput['rejected']): StructuredReplyError {
  const reasons = rejected.map((r) => r.detail).join('; ');
  return new StructuredReplyError(
    `The model's reply had no readable "${format.responseField}" field in ${rejected.length} sample${rejected.length > 1 ? 's' : ''} (${reasons}).`,
  );
}

/**
 * Streams an arm's reply. Plain arms pass the LLM layer's events through. Template arms yield only the
 * shown field's text; a `reset` drops what was shown when a sample is rejected (or the final parse reads
 * the field differently from the stream), and `done` carries the shown text plus `structured`.
 */
export async function* streamArmReply(call: ArmCall, opts: CallOptions = {}): AsyncGenerator<ArmStreamEvent> {
  const format = call.structured;
  if (!format) {
    yield* streamChat(call.target, call.messages, opts);
    return;
  }
  const rejected: StructuredOutput['rejected'] = [];
  let usage: Usage = { promptTokens: 0, completionTokens: 0 };
  let attempts = 0;
  for (let sample = 1; sample <= format.parseRetries + 1; sample++) {
    let field = new FieldStream(format.responseField);
    let emitted = '';
    for await (const event of rawStream(call, opts)) {
      if (event.type === 'delta') {
        const delta = field.push(event.text);
        if (delta) {
          emitted += delta;
          yield { type: 'delta', text: delta };
        }
      } else if (event.type === 'reset') {
        field = new FieldStream(format.responseField);
        if (emitted) yield event;
        emitted = '';
      } else {
        usage = addUsage(usage, event.usage);
        attempts += event.attempts;
        const parsed = parseStructuredReply(event.text, format.responseField);
        if (!parsed.ok) {
          rejected.push({ reason: parsed.reason, detail: parsed.detail });
          if (emitted) yield { type: 'reset', attempt: sample + 1, reason: `unreadable reply: ${parsed.detail}` };
          break;
        }
        if (parsed.shown !== emitted) {
          if (emitted) yield { type: 'reset', attempt: sample, reason: 'the final reply differs from the streamed text' };
          yield { type: 'delta', text: parsed.shown };
        }
        yield {
          ...event,
          text: parsed.shown,
          usage,
          attempts,
          structured: { responseField: format.responseField, fields: parsed.fields, raw: event.text, samples: sample, rejected },
        };
        return;
      }
    }
  }
  throw failure(format, rejected);
}

/** The whole reply at once (benchmarks); template arms are parsed and resampled like the stream. */
export async function completeArmReply(call: ArmCall, opts: CallOptions = {}): Promise<ArmCompletion> {
  const format = call.structured;
  if (!format) return completeChat(call.target, call.messages, opts);
  const rejected: StructuredOutput['rejected'] = [];
  let usage: Usage = { promptTokens: 0, completionTokens: 0 };
  let attempts = 0;
  let latencyMs = 0;
  for (let sample = 1; sample <= format.parseRetries + 1; sample++) {
    const completion = await rawComplete(call, opts);
    usage = addUsage(usage, completion.usage);
    attempts += completion.attempts;
    latencyMs += completion.latencyMs;
    const parsed = parseStructuredReply(completion.text, format.responseField);
    if (!parsed.ok) {
      rejected.push({ reason: parsed.reason, detail: parsed.detail });
      continue;
    }
    return {
      ...completion,
      text: parsed.shown,
      usage,
      attempts,
      latencyMs,
      structured: { responseField: format.responseField, fields: parsed.fields, raw: completion.text, samples: sample, rejected },
    };
  }
  throw failure(format, rejected);
}
