/**
 * Forgiving extraction of one JSON object from LLM output. Models wrap JSON in code fences, use single
 * quotes, leave trailing commas or keep talking after the closing brace. Repairs (quotes, commas,
 * comments, truncation) are delegated to `jsonrepair`; this module only finds the object in the text,
 * because jsonrepair treats prose around the object as part of the document.
 */
import { jsonrepair } from 'jsonrepair';

const FENCE = /```[a-zA-Z0-9_-]*[ \t]*\r?\n?([\s\S]*?)```/g;

/**
 * From the first `{`, the text up to its matching `}` (string-aware for both quote kinds),
 * or everything to the end when the object is truncated.
 */
function balancedObject(text: string): string | null {
  const start = text.indexOf('{');
  if (start < 0) return null;
  let depth = 0;
  let quote: '"' | "'" | null = null;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === '"') quote = '"';
    else if (ch === "'") {
      // An apostrophe inside a bare word (don't) is not a string delimiter.
      const prev = text[i - 1] ?? '';
      if (!/[A-Za-z0-9]/.test(prev)) quote = "'";
    } else if (ch === '{') depth++;
    else if (ch === '}') {
      depth--;
      if (depth === 0) return text.slice(start, i + 1);
    }
  }
  return text.slice(start);
}

function tryParseObject(candidate: string): Record<string, unknown> | null {
  for (const attempt of [() => JSON.parse(candidate), () => JSON.parse(jsonrepair(candidate))]) {
    try {
      const value: unknown = attempt();
      if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    } catch {
      // fall through to the next, more forgiving attempt
    }
  }
  return null;
}

/** The first JSON object found in `text`, or null when there is none that can be repaired. */
export function extractJsonObject(text: string): Record<string, unknown> | null {
  const candidates: string[] = [];
  for (const match of text.matchAll(FENCE)) {
    const inner = match[1] ?? '';
    const obj = balancedObject(inner);
    if (obj) candidates.push(obj);
  }
  const bare = balancedObject(text);
  if (bare) candidates.push(bare);
  for (const candidate of candidates) {
    const parsed = tryParseObject(candidate);
    if (parsed) return parsed;
  }
  return null;
}

/** A string field, tolerating numbers and trimming; undefined when missing or not text. */
export function stringField(obj: Record<string, unknown>, ...names: string[]): string | undefined {
  for (const name of names) {
    const v = obj[name];
    if (typeof v === 'string') return v.trim();
    if (typeof v === 'number') return String(v);
  }
  return undefined;
}

/** A numeric field, accepting numeric strings ("0.5", "7/10"); undefined when not a finite number. */
export function numberField(obj: Record<string, unknown>, ...names: string[]): number | undefined {
  for (const name of names) {
    const v = obj[name];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (typeof v === 'string') {
      const m = /^\s*(-?\d+(?:\.\d+)?)\s*(?:\/\s*\d+)?\s*$/.exec(v);
      if (m) return Number(m[1]);
    }
  }
  return undefined;
}
