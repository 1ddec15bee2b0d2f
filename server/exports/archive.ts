/**
 * Builds a study export as one zip, streamed: each table is serialized page by page straight into the
 * archive, and entries are appended one after another, so memory stays flat whatever the study size.
 */
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { ZipArchive } from 'archiver';
import { eq } from 'drizzle-orm';
import type { DbExecutor } from '../../db';
import { schema } from '../../db';
import { notFound } from '../services/errors';
import {
  chatColumns,
  chatRows,
  messageBatches,
  messageColumns,
  messagesCsv,
  messagesJsonl,
  messagesTable,
  type MessageBatch,
} from './message-tables';
import { studyVersionRows, armLabelsOf, tables } from './tables';
import type { Column, ExportContext, ExportScope, Row } from './table-spec';
import { csvHeader, csvRows, jsonlRows } from './serialize';
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

async function* csvChunks(columns: Column[], pages: AsyncGenerator<Row[]>, counter: { rows: number }) {
  yield csvHeader(columns);
  for await (const page of pages) {
    if (!page.length) continue;
    counter.rows += page.length;
    yield csvRows(columns, page);
  }
}

async function* jsonlChunks(columns: Column[], pages: AsyncGenerator<Row[]>, counter: { rows: number }) {
  for await (const page of pages) {
    if (!page.length) continue;
    counter.rows += page.length;
    yield jsonlRows(columns, page);
  }
}

interface MessageOutput {
  name: string;
  rows: number;
  header: string;
  render(batch: MessageBatch): { text: string; rows: number };
  /** Set for the outputs spooled to a temporary file while the first one streams into the zip. */
  file?: string;
  sink?: fs.WriteStream;
}

async function writeWithBackpressure(sink: fs.WriteStream, text: string) {
  if (!sink.write(text)) await once(sink, 'drain');
}

/**
 * The single read of the messages: the first output streams into the zip entry being written, the others
 * go to temporary files (zip entries are sequential, so they are appended later from disk). Every write
 * waits for its sink to drain, so memory stays at about two pages whatever the study size.
 */
async function* messagePass(ctx: ExportContext, outputs: MessageOutput[]) {
  const [primary, ...spooled] = outputs;
  for (const o of spooled) if (o.header) await writeWithBackpressure(o.sink!, o.header);
  if (primary!.header) yield primary!.header;
  for await (const batch of lookahead(messageBatches(ctx))) {
    for (const o of spooled) {
      const { text, rows } = o.render(batch);
      o.rows += rows;
      if (text) await writeWithBackpressure(o.sink!, text);
    }
    const { text, rows } = primary!.render(batch);
    primary!.rows += rows;
    if (text) yield text;
  }
  await Promise.all(
    spooled.map(async (o) => {
      o.sink!.end();
      await once(o.sink!, 'finish');
    }),
  );
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
export async function createStudyExport(
  db: DbExecutor,
  opts: ExportOptions,
): Promise<{ stream: Readable; filename: string; /** Settles when the producer has stopped, finished or not. */ finished: Promise<void> }> {
  const [study] = await db
    .select({ id: schema.studies.id, slug: schema.studies.slug, name: schema.studies.name })
    .from(schema.studies)
    .where(eq(schema.studies.id, opts.studyId));
  if (!study) throw notFound('The study');
  const versions = await studyVersionRows(db, opts.studyId, { includeDraftPreviews: opts.includePreviews });
  const versionNumbers = new Map(versions.map((v) => [v.version_id, v.version]));
  const armLabels = armLabelsOf(versions);
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
    armLabels,
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
  // Aborted when the download is closed early: without it the producer would wait forever for an entry
  // that the closed zip never finishes, keeping its generators, spool files and memory alive.
  const abort = new AbortController();
  const appendAndWait = (source: Readable | string, name: string) =>
    new Promise<void>((resolve, reject) => {
      if (abort.signal.aborted) {
        if (typeof source !== 'string') source.destroy();
        return reject(abort.signal.reason as Error);
      }
      const onAbort = () => {
        archive.off('entry', onEntry);
        // Destroying a Readable.from stream returns its generator, which stops the database reads.
        if (typeof source !== 'string') source.destroy();
        reject(abort.signal.reason as Error);
      };
      const onEntry = (entry: { name: string }) => {
        if (entry.name !== name) return;
        archive.off('entry', onEntry);
        abort.signal.removeEventListener('abort', onAbort);
        resolve();
      };
      archive.on('entry', onEntry);
      abort.signal.addEventListener('abort', onAbort, { once: true });
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
    const spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'collab-export-'));
    cleanups.push(() => fs.rmSync(spoolDir, { recursive: true, force: true }));
    const messageOutputs: MessageOutput[] = opts.formats.map((format) =>
      format === 'csv'
        ? { name: 'messages.csv', rows: 0, header: csvHeader(messageColumns), render: (b) => ({ text: messagesCsv(b), rows: b.messages.length }) }
        : { name: 'messages.jsonl', rows: 0, header: '', render: (b) => ({ text: messagesJsonl(b), rows: b.messages.length }) },
    );
    messageOutputs.push({
      name: 'conversations.chat.jsonl',
      rows: 0,
      header: '',
      render: (b) => {
        const rows = chatRows(ctx, b);
        return { text: jsonlRows(chatColumns, rows), rows: rows.length };
      },
    });
    for (const o of messageOutputs.slice(1)) {
      o.file = path.join(spoolDir, o.name);
      o.sink = fs.createWriteStream(o.file);
      const sink = o.sink;
      cleanups.unshift(() => sink.destroy());
    }
    const appendSpooled = async (o: MessageOutput) => {
      await appendAndWait(fs.createReadStream(o.file!), `${dir}${o.name}`);
      fs.rmSync(o.file!, { force: true });
      files.push({ name: o.name, rows: o.rows });
    };

    for (const table of tables) {
      if (table === messagesTable) {
        const [primary, ...rest] = messageOutputs;
        await appendAndWait(entryStream(messagePass(ctx, messageOutputs)), `${dir}${primary!.name}`);
        files.push({ name: primary!.name, rows: primary!.rows });
        for (const o of rest) if (o.name !== 'conversations.chat.jsonl') await appendSpooled(o);
        continue;
      }
      for (const format of opts.formats) {
        const counter = { rows: 0 };
        const name = `${table.name}.${format}`;
        const pages = lookahead(table.pages(ctx));
        const chunks = format === 'csv' ? csvChunks(table.columns, pages, counter) : jsonlChunks(table.columns, pages, counter);
        await appendAndWait(entryStream(chunks), `${dir}${name}`);
        files.push({ name, rows: counter.rows });
      }
    }
    await appendSpooled(messageOutputs[messageOutputs.length - 1]!);

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
  const cleanups: (() => void)[] = [];
  const cleanUp = () => cleanups.splice(0).forEach((fn) => fn());
  let produced = false;
  // A client that disconnects mid-download stops the producer and leaves no spooled message files behind.
  out.once('close', () => {
    if (!produced) abort.abort(new Error('The export download was closed before it finished.'));
    cleanUp();
  });
  const finished = produce()
    .then(() => {
      produced = true;
    })
    .catch((err: unknown) => {
      archive.abort();
      out.destroy(err instanceof Error ? err : new Error(String(err)));
    })
    .finally(cleanUp);

  return { stream: out, filename: exportFilename(study.slug, now), finished };
}
