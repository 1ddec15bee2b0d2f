import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { csvHeader, csvRows, csvSafeText, jsonlRows } from './serialize';
import type { Column } from './table-spec';

// What the export wrote through csv-stringify before the hand-written serializer, with its formula escaping
// (escape_formulas) for text and booleans cast to the codebook's `true`/`false` (csv-stringify's default is
// `1`/empty); kept as the reference. The JSON cells below never start with '-', which csv-stringify would escape
// as a string and we leave alone (a JSON value cannot start a formula).
function referenceCsv(columns: Column[], rows: Record<string, unknown>[]) {
  const cell = (value: unknown, type: Column['type']) => {
    if (value === null || value === undefined) return null;
    if (value instanceof Date) return value.toISOString();
    if (type === 'json') return JSON.stringify(value);
    return value as string | number | boolean;
  };
  return (
    stringify([columns.map((c) => c.name)]) +
    stringify(
      rows.map((r) => columns.map((c) => cell(r[c.name], c.type))),
      { escape_formulas: true, cast: { boolean: (v: boolean) => (v ? 'true' : 'false') } },
    )
  );
}

const columns: Column[] = [
  { name: 'text', type: 'text', description: '' },
  { name: 'n', type: 'number', description: '' },
  { name: 'flag', type: 'boolean', description: '' },
  { name: 'at', type: 'timestamp', description: '' },
  { name: 'meta', type: 'json', description: '' },
];

describe('csv serializer', () => {
  it('matches csv-stringify on awkward values', () => {
    const texts = ['plain', '', 'a,b', 'say "hi"', 'two\nlines', 'cr\ronly', 'crlf\r\n', ' lead', '=1+1', '-3', 'naïve café ✓', '"', ',', '#', '@SUM(A1)', '+1', '\tx', '\rx', '＝1', "'=already"];
    const rows = texts.map((text, i) => ({
      text,
      n: [0, -0, 1.5, -2, 1e21, 3, null][i % 7],
      flag: [true, false, null][i % 3],
      at: i % 2 ? new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6 + i)) : null,
      meta: [{ a: 'x,"y"' }, ['p', 1], 'str', 7, true, null][i % 6],
    }));
    const ours = csvHeader(columns) + csvRows(columns, rows);
    expect(ours).toBe(referenceCsv(columns, rows));
    expect(ours.split('\n').length).toBeGreaterThan(texts.length);
  });

  it('matches csv-stringify on random strings', () => {
    const alphabet = ['a', 'b', ' ', ',', '"', '\n', '\r', 'é', '\t', ';', '=', '+', '-', '@'];
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const rows = Array.from({ length: 500 }, () => ({
      text: Array.from({ length: Math.floor(next() * 12) }, () => alphabet[Math.floor(next() * alphabet.length)]).join(''),
      n: Math.round(next() * 1000) / 10,
      flag: next() < 0.5,
      at: new Date(Math.floor(next() * 2e12)),
      meta: { k: String(next()) },
    }));
    expect(csvHeader(columns) + csvRows(columns, rows)).toBe(referenceCsv(columns, rows));
  });
});

describe('spreadsheet-safe text cells', () => {
  const cols: Column[] = [
    { name: 'content', type: 'text', description: '' },
    { name: 'value', type: 'number', description: '' },
    { name: 'id', type: 'uuid', description: '' },
    { name: 'meta', type: 'json', description: '' },
  ];

  it('prefixes text that a spreadsheet would run as a formula, and only text', () => {
    expect(csvSafeText('=HYPERLINK("http://evil.example","x")')).toBe('"\'=HYPERLINK(""http://evil.example"",""x"")"');
    expect(csvSafeText('+1+1')).toBe("'+1+1");
    expect(csvSafeText('-2+3+cmd|\' /C calc\'!A0')).toBe("'-2+3+cmd|' /C calc'!A0");
    expect(csvSafeText('@SUM(1)')).toBe("'@SUM(1)");
    expect(csvSafeText('\t=1')).toBe("'\t=1");
    expect(csvSafeText('\r=1')).toBe('"\'\r=1"');
    expect(csvSafeText('a = b')).toBe('a = b');
    const row = { content: '-0.5', value: -0.5, id: '-not-really-an-id', meta: -7 };
    expect(csvRows(cols, [row])).toBe("'-0.5,-0.5,-not-really-an-id,-7\n");
  });

  it('leaves JSONL exact', () => {
    const row = { content: '=cmd|x', value: -0.5, id: 'i', meta: { note: '+1' } };
    expect(JSON.parse(jsonlRows(cols, [row]))).toEqual(row);
  });
});
