/**
 * Reading a template-mode arm's JSON reply (pure). `FieldStream` follows the shown field while the reply
 * streams, using @streamparser/json (a maintained incremental parser) for the JSON grammar and escapes;
 * `parseStructuredReply` reads the finished reply with the forgiving parser the judges use (fences,
 * single quotes, trailing prose), which decides what is stored and shown in the end.
 */
import { JSONParser } from '@streamparser/json';
import { extractJsonObject } from '../benchmarks/json';

export type StructuredReplyFailure = 'no_json' | 'missing_field' | 'not_text' | 'empty';

export type StructuredReply =
  | { ok: true; shown: string; fields: Record<string, unknown> }
  | { ok: false; reason: StructuredReplyFailure; detail: string };

export function parseStructuredReply(raw: string, field: string): StructuredReply {
  const obj = extractJsonObject(raw);
  if (!obj) return { ok: false, reason: 'no_json', detail: 'the reply holds no JSON object' };
  if (!(field in obj)) return { ok: false, reason: 'missing_field', detail: `the JSON has no "${field}" field` };
  const value = obj[field];
  if (typeof value !== 'string') return { ok: false, reason: 'not_text', detail: `"${field}" is not a string` };
  if (value.trim() === '') return { ok: false, reason: 'empty', detail: `"${field}" is empty` };
  return { ok: true, shown: value, fields: obj };
}

/** The stored record of a structured reply (messages.structured_output); researchers only, never participants. */
export interface StructuredOutput {
  responseField: string;
  /** Every field of the reply's JSON (the shown one included, for a complete record). */
  fields: Record<string, unknown>;
  /** The model's raw text of the accepted sample. */
  raw: string;
  /** Samples drawn (1 + parse retries). */
  samples: number;
  /** Why earlier samples were rejected, in order. */
  rejected: { reason: StructuredReplyFailure; detail: string }[];
}

const HIGH_SURROGATE = /[\uD800-\uDBFF]$/;

/**
 * Follows one top-level string field of a JSON object as its text streams in and returns only the new
 * part of that field's value per chunk. Text before the first `{` (a code fence, a preamble) is skipped;
 * after the object closes, or when the text stops being JSON, it yields nothing more (the final parse
 * decides). `consistent` turns false if the parser ever reported a value that did not extend the previous one.
 */
export class FieldStream {
  private readonly parser: JSONParser;
  private started = false;
  private stopped = false;
  /** The field's value as far as the parser has seen it. */
  private value = '';
  /** What has been handed out (may lag `value` by a held-back high surrogate). */
  shown = '';
  consistent = true;

  constructor(field: string) {
    this.parser = new JSONParser({ paths: [`$.${field}`], emitPartialTokens: true, emitPartialValues: true, keepStack: false });
    this.parser.onValue = ({ value }) => {
      if (typeof value !== 'string') return;
      if (!value.startsWith(this.value)) this.consistent = false;
      else this.value = value;
    };
    this.parser.onError = () => {
      this.stopped = true;
    };
    this.parser.onEnd = () => {
      this.stopped = true;
    };
  }

  /** Feeds raw model text; returns the shown field's new text ('' when there is none). */
  push(chunk: string): string {
    if (this.stopped || !this.consistent) return '';
    let text = chunk;
    if (!this.started) {
      const start = text.indexOf('{');
      if (start < 0) return '';
      this.started = true;
      text = text.slice(start);
    }
    try {
      this.parser.write(text);
    } catch {
      this.stopped = true;
    }
    if (!this.consistent) return '';
    // A pair of surrogates split across chunks is handed out whole.
    const ready = HIGH_SURROGATE.test(this.value) ? this.value.slice(0, -1) : this.value;
    const delta = ready.slice(this.shown.length);
    this.shown = ready;
    return delta;
  }
}
