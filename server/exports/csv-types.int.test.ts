/**
 * Every CSV of a real export, read with a real CSV parser (csv-parse), checked column by column against
 * the type its codebook.md declares: what pandas or R will see is what the codebook promises.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, getDb, schema, type Database } from '../../db';
import { seedParticipant, seedStudy } from '../insights/testing/seed';
import { createStudyExport } from './archive';
import type { ColumnType } from './table-spec';

let db: Database;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collab-export-types-'));

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const isoUtc = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Whether a non-empty CSV cell is a value of the codebook type (empty cells are "missing" for every type). */
function fitsType(type: ColumnType, cell: string): boolean {
  switch (type) {
    case 'uuid':
      return uuid.test(cell);
    case 'text':
      return true;
    case 'integer':
      return /^-?\d+$/.test(cell);
    case 'number':
      return cell.trim() === cell && Number.isFinite(Number(cell));
    case 'boolean':
      return cell === 'true' || cell === 'false';
    case 'timestamp':
      return isoUtc.test(cell) && !Number.isNaN(Date.parse(cell));
    case 'json':
      try {
        JSON.parse(cell);
        return true;
      } catch {
        return false;
      }
  }
}

/** `## table` sections of codebook.md → column name → declared type, in order. */
function codebookTypes(codebook: string): Map<string, [string, ColumnType][]> {
  const sections = new Map<string, [string, ColumnType][]>();
  let current: [string, ColumnType][] | null = null;
  for (const line of codebook.split('\n')) {
    const heading = line.match(/^## (\S+)$/);
    if (heading) sections.set(heading[1]!, (current = []));
    const row = line.match(/^\| `([^`]+)` \| (\w+) \|/);
    if (row && current) current.push([row[1]!, row[2] as ColumnType]);
  }
  return sections;
}

describe('exported CSV columns match the codebook', () => {
  let zip: string;
  let slug: string;

  beforeAll(async () => {
    db = await getDb();
    const { study, versions } = await seedStudy(db, { versions: 1 });
    slug = study.slug;
    const versionId = versions[0]!.id;
    const judged = await seedParticipant(db, study.id, {
      versionId,
      armKey: 'baseline',
      externalId: 'PROLIFIC_TYPES_1',
      outcome: 'completed',
      turns: [
        { user: 'Write a blog post, "please", about tea', assistant: 'Here it is:\n<document>\nTea, a history\n</document>', isDemo: true },
        { user: 'Shorter', assistant: 'Done.' },
      ],
      ratings: [{ afterTurn: 3, value: 7 }],
      survey: { documentQuality: 8, overallInteraction: 9 },
      heartbeatAt: new Date(),
      drafts: ['first', 'second'],
    });
    const excluded = await seedParticipant(db, study.id, {
      versionId,
      armKey: 'collabllm',
      outcome: null,
      excluded: true,
      exclusionReason: 'Pasted text, then left',
      turns: [{ user: 'Hello', assistant: 'Hi there' }],
      generating: { since: new Date() },
    });
    await db.insert(schema.heartbeats).values({ participantId: excluded.id, stage: 'chat', focused: false, idle: true, intervalMs: 30_000, waitingForModel: true });
    await seedParticipant(db, study.id, { versionId, isPreview: true, source: 'preview', outcome: 'no_consent', consented: false });
    // A judge's scores (issue 11 §1), one with a rationale that would start a formula in a spreadsheet.
    const [run] = await db.insert(schema.studyJudgeRuns).values({ studyId: study.id, config: {}, status: 'completed' }).returning();
    const [item] = await db
      .insert(schema.studyJudgeItems)
      .values({ runId: run!.id, participantId: judged.id, status: 'completed', finalDocument: 'Tea, a history', documentSource: 'pane' })
      .returning();
    await db.insert(schema.studyJudgeScores).values([
      { itemId: item!.id, participantId: judged.id, judge: 'demo-judge@demo-v1', promptVersion: 'demo-v1', metric: 'quality', value: 6, rationale: '=1+1 covers the brief' },
      { itemId: item!.id, participantId: judged.id, judge: 'demo-judge@demo-v1', promptVersion: 'demo-v1', metric: 'turns', value: 2 },
    ]);

    const { stream, filename } = await createStudyExport(db, {
      studyId: study.id,
      versionIds: [],
      includePreviews: true,
      hashExternalIds: false,
      formats: ['csv', 'jsonl'],
    });
    zip = path.join(tmp, filename);
    await pipeline(stream, fs.createWriteStream(zip));
  });

  afterAll(async () => {
    fs.rmSync(tmp, { recursive: true, force: true });
    await closeDb();
  });

  it('declares every CSV column with a type and every value fits it', () => {
    const read = (name: string) => execFileSync('unzip', ['-p', zip, name], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const names = execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).trim().split('\n');
    const csvFiles = names.filter((n) => n.endsWith('.csv'));
    expect(csvFiles.map((n) => path.basename(n, '.csv')).sort()).toEqual(
      ['assignments', 'drafts', 'heartbeats', 'judge_scores', 'messages', 'participants', 'ratings', 'stage_timings', 'surveys'].sort(),
    );
    const declared = codebookTypes(read(`${slug}/codebook.md`));
    const seenBooleans = new Map<string, Set<string>>();

    for (const file of csvFiles) {
      const table = path.basename(file, '.csv');
      const columns = declared.get(table);
      expect(columns, `codebook section for ${table}`).toBeDefined();
      const records = parse(read(file), { columns: true, skip_empty_lines: false, relax_column_count: false }) as Record<string, string>[];
      expect(records.length, `${table} has rows`).toBeGreaterThan(0);
      expect(Object.keys(records[0]!), `${table} header = codebook columns`).toEqual(columns!.map(([name]) => name));
      for (const [name, type] of columns!) {
        const bad = records.map((r) => r[name]!).filter((cell) => cell !== '' && !fitsType(type, cell));
        expect(bad, `${table}.${name} (${type})`).toEqual([]);
        if (type === 'boolean') {
          // Every boolean in the schema is NOT NULL: an empty cell here would read as "missing" in pandas or R.
          const values = new Set(records.map((r) => r[name]!));
          expect(values.has(''), `${table}.${name} has no empty cells`).toBe(false);
          seenBooleans.set(`${table}.${name}`, values);
        }
      }
    }
    // The fixture makes both values occur in each flag, so `false` is proven to be written as `false`.
    for (const key of ['participants.excluded', 'participants.is_preview', 'messages.is_demo_model', 'heartbeats.focused', 'heartbeats.idle', 'heartbeats.waiting_for_model'])
      expect([...seenBooleans.get(key)!].sort(), key).toEqual(['false', 'true']);
    expect([...seenBooleans.get('participants.external_id_hashed')!]).toEqual(['false']);
  });

  it('writes judge scores spreadsheet-safe in CSV and exact in JSONL', () => {
    const read = (name: string) => execFileSync('unzip', ['-p', zip, name], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const csv = parse(read(`${slug}/judge_scores.csv`), { columns: true }) as Record<string, string>[];
    expect(csv.find((r) => r.metric === 'quality')).toMatchObject({ rationale: "'=1+1 covers the brief", value: '6', document_source: 'pane' });
    const jsonl = read(`${slug}/judge_scores.jsonl`).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(jsonl.find((r) => r.metric === 'quality')).toMatchObject({ rationale: '=1+1 covers the brief', value: 6 });
  });

  it('declares the same types for the JSONL files, whose booleans are JSON booleans', () => {
    const read = (name: string) => execFileSync('unzip', ['-p', zip, name], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const declared = codebookTypes(read(`${slug}/codebook.md`));
    for (const [table, columns] of declared) {
      if (!['participants', 'messages', 'heartbeats'].includes(table)) continue;
      const lines = read(`${slug}/${table}.jsonl`).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      for (const [name, type] of columns) if (type === 'boolean') for (const row of lines) expect(typeof row[name], `${table}.${name}`).toBe('boolean');
    }
  });
});
