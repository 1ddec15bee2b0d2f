/**
 * Export throughput and memory on 1,000,000 messages (20,000 participants × 50 messages, plus ratings,
 * surveys, stage visits and heartbeats), written as a real zip file on disk.
 *   npx tsx bench/export.ts [participants=20000] [messagesPerParticipant=50] [formats=csv,jsonl]
 * Peak resident memory is sampled every 50 ms for the whole process (Node + the postgres client).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import { createTestDatabase, dropTestDatabase } from '../db/testing/test-database';

const participants = Number(process.argv[2] ?? 20_000);
const perParticipant = Number(process.argv[3] ?? 50);
const formats = (process.argv[4] ?? 'csv,jsonl').split(',') as ('csv' | 'jsonl')[];

const url = process.env.BENCH_DATABASE_URL ?? (await createTestDatabase('collab_bench_export'));
process.env.DATABASE_URL = url;
process.env.LOG_LEVEL ??= 'error';
const file = path.join(os.tmpdir(), `collab-export-bench-${process.pid}.zip`);
try {
  const { getDb, closeDb } = await import('../db');
  const { seedStudy } = await import('../server/insights/testing/seed');
  const { bulkSeedStudy } = await import('../server/insights/testing/bulk-seed');
  const { createStudyExport } = await import('../server/exports/archive');
  const db = await getDb();

  let studyId: string;
  let seedSec = 0;
  if (process.env.BENCH_STUDY_ID) studyId = process.env.BENCH_STUDY_ID;
  else {
    const { study, versions } = await seedStudy(db);
    studyId = study.id;
    const t = performance.now();
    await bulkSeedStudy(url, study.id, versions[0]!.id, { participants, messagesPerParticipant: perParticipant, heartbeatsPerParticipant: 5 });
    seedSec = (performance.now() - t) / 1000;
  }

  global.gc?.();
  const baselineRss = process.memoryUsage().rss;
  let peakRss = baselineRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const { stream } = await createStudyExport(db, { studyId, versionIds: [], includePreviews: false, hashExternalIds: true, formats });
  await pipeline(stream, fs.createWriteStream(file));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  // CPU seconds of this process (serialization, compression, driver); Postgres' own CPU is not included.
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);

  const { execFileSync } = await import('node:child_process');
  const manifestText = execFileSync('unzip', ['-p', file, '*/manifest.json'], { encoding: 'utf8' });
  const manifest = JSON.parse(manifestText) as { files: { name: string; rows: number }[] };
  const rowsWritten = manifest.files.reduce((a, f) => a + f.rows, 0);
  const messages = manifest.files.find((f) => f.name === `messages.${formats[0]}`)!.rows;
  const mib = (b: number) => Math.round(b / 2 ** 20);
  console.log(
    JSON.stringify(
      {
        bench: 'export',
        date: new Date().toISOString(),
        machine: `${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
        loadAverage1m: Number(os.loadavg()[0]!.toFixed(1)),
        formats,
        seedSeconds: Number(seedSec.toFixed(1)),
        messages,
        rowsWrittenAllFiles: rowsWritten,
        seconds: Number(seconds.toFixed(1)),
        nodeCpuSeconds: Number(cpuSeconds.toFixed(1)),
        messagesPerSecond: Math.round(messages / seconds),
        rowsPerSecondAllFiles: Math.round(rowsWritten / seconds),
        zipMiB: mib(fs.statSync(file).size),
        rssMiB: { beforeExport: mib(baselineRss), peak: mib(peakRss) },
        files: manifest.files,
      },
      null,
      2,
    ),
  );
  await closeDb();
} finally {
  fs.rmSync(file, { force: true });
  if (!process.env.BENCH_DATABASE_URL && process.env.KEEP_DB !== '1') await dropTestDatabase(url);
  else console.error(`kept ${url}`);
}
