/**
 * Row serialization for the export. CSV is written by hand rather than with csv-stringify: the export's
 * columns are known and only need RFC 4180 quoting, and csv-stringify's per-field option handling
 * (separator fusion checks, formula escaping, quoted_match…) made it the largest serialization cost in CPU
 * profiles of a 1M-message export. The output is byte-identical to csv-stringify's defaults (checked in
 * serialize.test.ts against csv-stringify itself): fields holding `"`, `,`, CR or LF are quoted with `""`
 * escapes, null/undefined are empty, booleans are `true` / `false` (what the codebook declares; csv-stringify's
 * default `1` / empty made `false` look missing), numbers use String().
 *
 * Text cells are spreadsheet-safe (`csvSafeText`): one that starts with `=`, `+`, `-`, `@`, tab or carriage return
 * (or their full-width forms) gets a leading `'`, as csv-stringify's `escape_formulas` and OWASP's CSV-injection
 * advice do, so a participant's "=HYPERLINK(…)" opens as text, not as a formula. Only text columns: numbers
 * (-0.5), timestamps, ids and JSON cannot start a formula and stay exact. JSONL is never changed.
 */
import type { Column, Row } from './table-spec';

const needsQuoting = /[",\r\n]/;
const quoteChars = /"/g;

export function csvText(value: string): string {
  if (!needsQuoting.test(value)) return value;
  return '"' + value.replace(quoteChars, '""') + '"';
}

const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** A free-text cell: neutralised if a spreadsheet would read it as a formula, then quoted as needed. */
export function csvSafeText(value: string): string {
  return csvText(FORMULA_START.test(value) ? `'${value}` : value);
}

export function csvField(value: unknown, type?: Column['type']): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (type === 'json') return csvText(JSON.stringify(value));
  switch (typeof value) {
    case 'string':
      return type === undefined || type === 'text' ? csvSafeText(value) : csvText(value);
    case 'number':
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      return csvText(JSON.stringify(value));
  }
}

export function csvHeader(columns: Column[]): string {
  return columns.map((c) => csvText(c.name)).join(',') + '\n';
}

export function csvRows(columns: Column[], rows: Row[]): string {
  let out = '';
  for (const row of rows) {
    let line = '';
    for (let i = 0; i < columns.length; i++) {
      const c = columns[i]!;
      if (i) line += ',';
      line += csvField(row[c.name], c.type);
    }
    out += line + '\n';
  }
  return out;
}

export function jsonlRows(columns: Column[], rows: Row[]): string {
  let out = '';
  for (const row of rows) {
    const record: Record<string, unknown> = {};
    for (const c of columns) {
      const value = row[c.name];
      record[c.name] = value instanceof Date ? value.toISOString() : (value ?? null);
    }
    out += JSON.stringify(record) + '\n';
  }
  return out;
}
