/**
 * Builds a study export as one zip, streamed: each table is serialized page by page straight into the
 * archive, and entries are appended one after another, so memory stays flat whatever the study size.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { ZipArchive } from 'archiver';
import { stringify } from 'csv-stringify/sync';
import { eq } from 'drizzle-orm';
import type { DbExecutor } from '../../db';
import { schema } from '../../db';
import { notFound } from '../services/errors';
import { chatColumns, chatPages, studyVersionRows, tables, type Column, type ExportContext, type ExportScope, type Row } from './tables';
import { renderCodebook } from './codebook';

export type ExportFormat = 'csv' | 'jsonl';

export interface ExportOptions extends ExportScope {
  formats: ExportFormat[];
  /** Who asked, for the manifest (email only). */
  requestedBy?: string | null;
  now?: Date;
  pageSize?: number;
}

export interface ExportManifest {
  format: 'collabstudy-export';
  formatVersion: 1;
  app: { name: string; version: string };
  exportedAt: string;
  requestedBy: string | null;
  study: { id: string; slug: string; name: string };
  studyVersions: number[];
  filter: { versions: number[] | 'all'; includePreviews: boolean; externalIdsHashed: boolean };
  demoModelUsed: boolean;
  demoModelNote: string;
  files: { name: string; rows: number }[];
  notes: string[];
}

let cachedAppVersion: { name: string; version: string } | undefined;
function appVersion() {
  if (!cachedAppVersion) {
    const pkg = JSON.parse(fs.readFileSync(path.join(process.cwd(), 'package.json'), 'utf8')) as { name: string; version: string };
    cachedAppVersion = { name: pkg.name, version: pkg.version };
  }
  return cachedAppVersion;
}

/**
 * Fetches the next page while the current one is being serialized and compressed, so database time and
 * CPU time overlap; at most two pages are held at once.
 */
async function* lookahead<T>(source: AsyncGenerator<T>): AsyncGenerator<T> {
  let next = source.next();
  for (;;) {
    const current = await next;
    if (current.done) return;
    next = source.next();
    // Keep an unhandled rejection from surfacing before the consumer asks for the next page.
    next.catch(() => {});
    yield current.value;
  }
}

function csvValue(value: unknown, type: Column['type']): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (type === 'json') return JSON.stringify(value);
  return value as string | number | boolean;
}

function jsonValue(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : (value ?? null);
}

async function* csvChunks(columns: Column[], pages: AsyncGenerator<Row[]>, counter: { rows: number }) {
  yield stringify([columns.map((c) => c.name)]);
  for await (const page of pages) {
    if (!page.length) continue;
    counter.rows += page.length;
    yield stringify(page.map((row) => columns.map((c) => csvValue(row[c.name], c.type))));
  }
}

async function* jsonlChunks(columns: Column[], pages: AsyncGenerator<Row[]>, counter: { rows: number }) {
  for await (const page of pages) {
    if (!page.length) continue;
    counter.rows += page.length;
    let chunk = '';
    for (const row of page) {
      const out: Record<string, unknown> = {};
      for (const c of columns) out[c.name] = jsonValue(row[c.name]);
      chunk += JSON.stringify(out) + '\n';
    }
    yield chunk;
  }
}

/** One serialized page per chunk, and at most one chunk buffered ahead (the default of 16 held ~200 MB). */
function entryStream(chunks: AsyncGenerator<string>): Readable {
  return Readable.from(chunks, { objectMode: true, highWaterMark: 1 });
}

export function exportFilename(slug: string, now: Date): string {
  return `${slug}-export-${now.toISOString().slice(0, 19).replace(/[:T]/g, '-')}.zip`;
}

/**
 * Returns the zip as a Node stream immediately; rows are read from the database as the consumer pulls.
 * Errors while streaming destroy the stream (the HTTP response is then cut off rather than silently truncated).
 */
export async function createStudyExport(db: DbExecutor, opts: ExportOptions): Promise<{ stream: Readable; filename: string }> {
  const [study] = await db
    .select({ id: schema.studies.id, slug: schema.studies.slug, name: schema.studies.name })
    .from(schema.studies)
    .where(eq(schema.studies.id, opts.studyId));
  if (!study) throw notFound('The study');
  const versions = await studyVersionRows(db, opts.studyId);
  const versionNumbers = new Map(versions.map((v) => [v.version_id, v.version]));
  const now = opts.now ?? new Date();
  const ctx: ExportContext = {
    db,
    scope: {
      studyId: opts.studyId,
      versionIds: opts.versionIds,
      includePreviews: opts.includePreviews,
      hashExternalIds: opts.hashExternalIds,
    },
    versionNumbers,
    pageSize: opts.pageSize ?? 50,
    stats: { demoModelUsed: false },
  };

  // Level 1 deflate: message text still shrinks ~3x while compression stays well ahead of the database reads.
  const archive = new ZipArchive({ zlib: { level: 1 } });
  const out = new PassThrough();
  archive.on('error', (err) => out.destroy(err));
  archive.pipe(out);

  const files: ExportManifest['files'] = [];
  // archiver pipes every appended stream at once; appending the next entry only after the previous one
  // is written keeps a single table's query running at a time and lets the manifest see final counts.
  const appendAndWait = (source: Readable | string, name: string) =>
    new Promise<void>((resolve, reject) => {
      const onEntry = (entry: { name: string }) => {
        if (entry.name !== name) return;
        archive.off('entry', onEntry);
        resolve();
      };
      archive.on('entry', onEntry);
      if (typeof source !== 'string') source.once('error', reject);
      archive.append(source, { name, date: now });
    });

  const selectedVersions = opts.versionIds.length
    ? opts.versionIds.map((id) => versionNumbers.get(id)).filter((v): v is number => v !== undefined)
    : 'all';

  const produce = async () => {
    const dir = `${study.slug}/`;
    await appendAndWait(renderCodebook(opts.formats), `${dir}codebook.md`);
    await appendAndWait(
      versions.map((v) => JSON.stringify({ ...v, created_at: v.created_at.toISOString() })).join('\n') + (versions.length ? '\n' : ''),
      `${dir}study_versions.jsonl`,
    );
    files.push({ name: 'study_versions.jsonl', rows: versions.length });
    for (const table of tables) {
      for (const format of opts.formats) {
        const counter = { rows: 0 };
        const name = `${table.name}.${format}`;
        const pages = lookahead(table.pages(ctx));
        const chunks = format === 'csv' ? csvChunks(table.columns, pages, counter) : jsonlChunks(table.columns, pages, counter);
        await appendAndWait(entryStream(chunks), `${dir}${name}`);
        files.push({ name, rows: counter.rows });
      }
    }
    const chatCounter = { rows: 0 };
    await appendAndWait(entryStream(jsonlChunks(chatColumns, lookahead(chatPages(ctx)), chatCounter)), `${dir}conversations.chat.jsonl`);
    files.push({ name: 'conversations.chat.jsonl', rows: chatCounter.rows });

    const manifest: ExportManifest = {
      format: 'collabstudy-export',
      formatVersion: 1,
      app: appVersion(),
      exportedAt: now.toISOString(),
      requestedBy: opts.requestedBy ?? null,
      study,
      studyVersions: versions.map((v) => v.version).filter((v) => selectedVersions === 'all' || selectedVersions.includes(v)),
      filter: { versions: selectedVersions, includePreviews: opts.includePreviews, externalIdsHashed: opts.hashExternalIds },
      demoModelUsed: ctx.stats.demoModelUsed,
      demoModelNote: ctx.stats.demoModelUsed
        ? 'DEMO MODEL: some replies in this export were produced by the built-in offline demo model, not by a real LLM (see messages.is_demo_model).'
        : 'No reply in this export came from the offline demo model.',
      files,
      notes: [
        'Raw data: no exclusions are applied; participants.excluded and attention_failures carry them.',
        'Timestamps are ISO 8601 in UTC. API keys and connection secrets are never exported.',
      ],
    };
    await appendAndWait(JSON.stringify(manifest, null, 2) + '\n', `${dir}manifest.json`);
    await archive.finalize();
  };
  produce().catch((err: unknown) => {
    archive.abort();
    out.destroy(err instanceof Error ? err : new Error(String(err)));
  });

  return { stream: out, filename: exportFilename(study.slug, now) };
}
