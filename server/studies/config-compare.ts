/**
 * Comparing study configurations (pure): equality independent of key order (a draft read back
 * from jsonb must equal its version) and a field-level difference for the version diff view.
 */
import type { StudyConfig } from './config';

/** Key-order independent JSON. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function configsEqual(a: StudyConfig, b: StudyConfig): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

export interface ConfigChange {
  /** Dotted path; arms are addressed by key (`arms[collabllm].systemPrompt`), other lists by index. */
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** Lists of objects with a stable key (arms by `key`, topics/checks by `id`) are matched by it, so a reordering is not a change of every field. */
function identity(item: unknown): string | null {
  if (!isPlainObject(item)) return null;
  if (typeof item.key === 'string') return item.key;
  if (typeof item.id === 'string') return item.id;
  return null;
}

function walk(path: string, before: unknown, after: unknown, out: ConfigChange[]): void {
  if (canonicalJson(before) === canonicalJson(after)) return;
  if (before === undefined) return void out.push({ path, kind: 'added', after });
  if (after === undefined) return void out.push({ path, kind: 'removed', before });
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const k of keys) walk(path ? `${path}.${k}` : k, before[k], after[k], out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const keyed = [...before, ...after].every((item) => identity(item) !== null);
    if (keyed) {
      const b = new Map(before.map((i) => [identity(i)!, i]));
      const a = new Map(after.map((i) => [identity(i)!, i]));
      for (const id of [...new Set([...b.keys(), ...a.keys()])]) walk(`${path}[${id}]`, b.get(id), a.get(id), out);
      return;
    }
    if (before.every((i) => !isPlainObject(i)) && after.every((i) => !isPlainObject(i)))
      return void out.push({ path, kind: 'changed', before, after });
    for (let i = 0; i < Math.max(before.length, after.length); i++) walk(`${path}[${i}]`, before[i], after[i], out);
    return;
  }
  out.push({ path, kind: 'changed', before, after });
}

/** Every field that differs between two configurations, in a stable order. */
export function diffConfigs(before: StudyConfig, after: StudyConfig): ConfigChange[] {
  const out: ConfigChange[] = [];
  walk('', before, after, out);
  return out;
}
