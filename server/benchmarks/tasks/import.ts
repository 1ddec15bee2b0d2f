/**
 * Imports a task set from JSONL or CSV. All-or-nothing: any invalid row rejects the whole file with
 * per-row errors (line numbers as the researcher sees them in an editor), so nothing half-imports.
 */
import { eq } from 'drizzle-orm';
import { parse as parseCsv } from 'csv-parse/sync';
import type { Database } from '../../../db';
import { benchmarkTasks, benchmarkTaskSets } from '../../../db/schema';
import { badRequest, conflict } from '../../services/errors';
import { taskInputSchema, type TaskInput } from './types';

export const IMPORT_LIMITS = { maxBytes: 5 * 1024 * 1024, maxRows: 2000, maxErrorsReported: 50 } as const;

export interface ImportTaskSetInput {
  name: string;
  description?: string;
  format: 'jsonl' | 'csv';
  content: string;
}
export interface RowError {
  line: number;
  message: string;
}
export type ImportTaskSetResult =
  | { ok: true; taskSetId: string; created: number; duplicatesDropped: number }
  | { ok: false; errors: RowError[]; errorCount: number };

interface RawRow {
  line: number;
  value: Record<string, unknown>;
}

/** Accepts our field names, snake_case variants and the paper's single-turn {prompt, completion} rows. */
const ALIASES: Record<string, keyof TaskInput> = {
  key: 'key',
  id: 'key',
  documentType: 'documentType',
  document_type: 'documentType',
  type: 'documentType',
  brief: 'brief',
  prompt: 'brief',
  single_turn_prompt: 'brief',
  targetDocument: 'targetDocument',
  target_document: 'targetDocument',
  target: 'targetDocument',
  completion: 'targetDocument',
  single_turn_completion: 'targetDocument',
  metadata: 'metadata',
  single_turn_metadata: 'metadata',
};

/**
 * Fields of the CollabLLM multiturn rows (flat per turn, or nested with `turns`) that describe one turn of a
 * generated conversation rather than the task: dropped on import. In those rows `prompt` is the chat so far
 * and `completion` the turn's reply; the task is single_turn_prompt / single_turn_completion.
 */
const MULTITURN_TURN_FIELDS = new Set(['prompt', 'completion', 'turns', 'sessions', 'rewards', 'score', 'turn_id', 'chosen', 'rejected', 'responses']);

function normaliseRow(row: RawRow): { value?: unknown; error?: string; autoKey?: boolean } {
  const out: Record<string, unknown> = {};
  const extra: Record<string, unknown> = {};
  const multiturn = 'single_turn_prompt' in row.value || 'single_turn_completion' in row.value;
  for (const [k, v] of Object.entries(row.value)) {
    if (multiturn && MULTITURN_TURN_FIELDS.has(k)) continue;
    if (k === 'conv_id' && (typeof v === 'number' || typeof v === 'string')) {
      extra.convId = v;
      if (out.key === undefined && row.value.key === undefined && row.value.id === undefined) out.key = `conv-${String(v).toLowerCase().replace(/[^a-z0-9_.-]+/g, '-')}`;
      continue;
    }
    const field = ALIASES[k];
    if (!field) {
      if (v !== '' && v !== undefined) extra[k] = v;
      continue;
    }
    if (field === 'metadata' && typeof v === 'string') {
      if (v.trim() === '') continue;
      try {
        out.metadata = JSON.parse(v);
      } catch {
        return { error: 'metadata: not valid JSON' };
      }
      continue;
    }
    out[field] = v;
  }
  const autoKey = out.key === undefined || out.key === '';
  if (autoKey) out.key = `task-${row.line}`;
  if (out.documentType === undefined || out.documentType === '') out.documentType = 'document';
  if (Object.keys(extra).length > 0) {
    const meta = out.metadata && typeof out.metadata === 'object' ? (out.metadata as Record<string, unknown>) : {};
    out.metadata = { ...extra, ...meta };
  }
  return { value: out, autoKey };
}

function readJsonl(content: string): { rows: RawRow[]; errors: RowError[] } {
  const rows: RawRow[] = [];
  const errors: RowError[] = [];
  content.split(/\r?\n/).forEach((text, i) => {
    if (text.trim() === '') return;
    const line = i + 1;
    try {
      const value: unknown = JSON.parse(text);
      if (!value || typeof value !== 'object' || Array.isArray(value)) errors.push({ line, message: 'expected a JSON object' });
      else rows.push({ line, value: value as Record<string, unknown> });
    } catch (err) {
      errors.push({ line, message: `invalid JSON (${(err as Error).message})` });
    }
  });
  return { rows, errors };
}

function readCsv(content: string): { rows: RawRow[]; errors: RowError[] } {
  try {
    const records = parseCsv(content, {
      columns: true,
      bom: true,
      skip_empty_lines: true,
      trim: false,
      info: true,
    }) as { record: Record<string, string>; info: { lines: number } }[];
    // info.lines is the line where a record ends (multi-line quoted fields span several); report its start.
    return {
      rows: records.map((r) => {
        const embeddedNewlines = Object.values(r.record).reduce((n, v) => n + (v.match(/\n/g)?.length ?? 0), 0);
        return { line: r.info.lines - embeddedNewlines, value: r.record };
      }),
      errors: [],
    };
  } catch (err) {
    const e = err as Error & { lines?: number };
    return { rows: [], errors: [{ line: e.lines ?? 0, message: `CSV could not be read: ${e.message}` }] };
  }
}

export interface ValidatedRows {
  tasks: TaskInput[];
  errors: RowError[];
  /**
   * Rows repeating an earlier row's task (same type, brief and target, and the same key unless the row has
   * none): multiturn files repeat a task once per turn.
   */
  duplicatesDropped: number;
}

/** Parses and validates without touching the database (also used for a preview before import). */
export function validateTaskRows(format: 'jsonl' | 'csv', content: string): ValidatedRows {
  if (Buffer.byteLength(content, 'utf8') > IMPORT_LIMITS.maxBytes)
    throw badRequest(`The file is larger than ${IMPORT_LIMITS.maxBytes / 1024 / 1024} MB.`);
  const { rows, errors } = format === 'jsonl' ? readJsonl(content) : readCsv(content);
  if (rows.length === 0 && errors.length === 0) throw badRequest('The file contains no tasks.');
  if (rows.length > IMPORT_LIMITS.maxRows) throw badRequest(`The file has ${rows.length} tasks; at most ${IMPORT_LIMITS.maxRows} are allowed per set.`);
  const tasks: TaskInput[] = [];
  const seen = new Map<string, number>();
  const sameTask = new Set<string>();
  let duplicatesDropped = 0;
  for (const row of rows) {
    const normalised = normaliseRow(row);
    if (normalised.error) {
      errors.push({ line: row.line, message: normalised.error });
      continue;
    }
    const parsed = taskInputSchema.safeParse(normalised.value);
    if (!parsed.success) {
      const message = parsed.error.issues.map((i) => `${i.path.join('.') || 'row'}: ${i.message}`).join('; ');
      errors.push({ line: row.line, message });
      continue;
    }
    // The same task again: same content and the same key (or no key of its own, as in keyless multiturn rows).
    const identity = JSON.stringify([parsed.data.documentType, parsed.data.brief, parsed.data.targetDocument, normalised.autoKey ? null : parsed.data.key]);
    if (sameTask.has(identity)) {
      duplicatesDropped++;
      continue;
    }
    sameTask.add(identity);
    const earlier = seen.get(parsed.data.key);
    if (earlier !== undefined) {
      errors.push({ line: row.line, message: `key "${parsed.data.key}" is already used on line ${earlier}` });
      continue;
    }
    seen.set(parsed.data.key, row.line);
    tasks.push(parsed.data);
  }
  errors.sort((a, b) => a.line - b.line);
  return { tasks, errors, duplicatesDropped };
}

export interface TaskSetPreview {
  valid: number;
  duplicatesDropped: number;
  errors: RowError[];
  errorCount: number;
  /** The first tasks as they would be stored (long texts cut for display). */
  firstRows: { key: string; documentType: string; brief: string; targetDocument: string; metadataKeys: string[] }[];
}

const cut = (text: string, n: number) => (text.length > n ? `${text.slice(0, n)}…` : text);

/** What an import would create, without creating it: counts, duplicates dropped, per-line errors, first rows. */
export function previewTaskRows(format: 'jsonl' | 'csv', content: string): TaskSetPreview {
  const { tasks, errors, duplicatesDropped } = validateTaskRows(format, content);
  return {
    valid: tasks.length,
    duplicatesDropped,
    errors: errors.slice(0, IMPORT_LIMITS.maxErrorsReported),
    errorCount: errors.length,
    firstRows: tasks.slice(0, 5).map((t) => ({
      key: t.key,
      documentType: t.documentType,
      brief: cut(t.brief, 240),
      targetDocument: cut(t.targetDocument, 240),
      metadataKeys: Object.keys(t.metadata).slice(0, 20),
    })),
  };
}

export async function importTaskSet(db: Database, input: ImportTaskSetInput): Promise<ImportTaskSetResult> {
  const name = input.name.trim();
  if (name.length < 1 || name.length > 200) throw badRequest('Give the task set a name of 1–200 characters.');
  const { tasks, errors, duplicatesDropped } = validateTaskRows(input.format, input.content);
  if (errors.length > 0)
    return { ok: false, errors: errors.slice(0, IMPORT_LIMITS.maxErrorsReported), errorCount: errors.length };
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: benchmarkTaskSets.id }).from(benchmarkTaskSets).where(eq(benchmarkTaskSets.name, name));
    if (existing) throw conflict(`A task set named "${name}" already exists.`);
    const [set] = await tx
      .insert(benchmarkTaskSets)
      .values({ name, description: input.description?.slice(0, 2000) ?? null, builtIn: false })
      .returning({ id: benchmarkTaskSets.id });
    if (!set) throw new Error('task set insert returned nothing');
    // Chunked so a 2,000-row file stays well under Postgres' bind-parameter limit.
    for (let i = 0; i < tasks.length; i += 500) {
      await tx.insert(benchmarkTasks).values(tasks.slice(i, i + 500).map((t) => ({ ...t, taskSetId: set.id })));
    }
    return { ok: true as const, taskSetId: set.id, created: tasks.length, duplicatesDropped };
  });
}
