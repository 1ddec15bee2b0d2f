/**
 * Dashboard server time on a large study: 10,000 participants, 300,000 messages (plus 50,000 ratings,
 * 200,000 heartbeats, stage visits and surveys), generated in a throwaway Postgres database.
 *   npx tsx bench/dashboard.ts [participants=10000] [messagesPerParticipant=30]
 * BENCH_DATABASE_URL + BENCH_STUDY_ID rerun the steady state on a database kept with KEEP_DB=1 (no seeding).
 * Reports the first load (which fills the participant_metrics cache: token counts and time for
 * everyone) separately from steady-state loads, which are what researchers see afterwards.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { createTestDatabase, dropTestDatabase } from '../db/testing/test-database';

const participants = Number(process.argv[2] ?? 10_000);
const perParticipant = Number(process.argv[3] ?? 30);
const runs = 15;

const url = process.env.BENCH_DATABASE_URL ?? (await createTestDatabase('collab_bench_dashboard'));
process.env.DATABASE_URL = url;
process.env.LOG_LEVEL ??= 'error';
try {
  const { getDb, closeDb } = await import('../db');
  const { seedStudy } = await import('../server/insights/testing/seed');
  const { bulkSeedStudy } = await import('../server/insights/testing/bulk-seed');
  const { buildDashboard } = await import('../server/insights/dashboard');
  const { refreshParticipantMetrics } = await import('../server/insights/participant-metrics');
  const { staleParticipantIds } = await import('../server/insights/participant-metrics');
  const { loadAnalysisRows } = await import('../server/insights/dataset');
  const { monitorSnapshot } = await import('../server/monitor/service');
  const db = await getDb();
  let study: { id: string };
  let seedSec = 0;
  let t = performance.now();
  if (process.env.BENCH_STUDY_ID) study = { id: process.env.BENCH_STUDY_ID };
  else {
    const seeded = await seedStudy(db);
    study = seeded.study;
    await bulkSeedStudy(url, study.id, seeded.versions[0]!.id, { participants, messagesPerParticipant: perParticipant, heartbeatsPerParticipant: 20 });
    seedSec = (performance.now() - t) / 1000;
  }

  // First request after the data arrived: fills the metrics cache for at most its time budget.
  t = performance.now();
  const first = await buildDashboard(db, { studyId: study.id, population: 'itt' });
  const firstMs = performance.now() - t;
  t = performance.now();
  const rest = await refreshParticipantMetrics(db, { studyId: study.id });
  const fillSec = (performance.now() - t) / 1000;

  const timings: number[] = [];
  for (let i = 0; i < runs; i++) {
    t = performance.now();
    await buildDashboard(db, { studyId: study.id, population: i % 2 ? 'itt' : 'completers', referenceArm: 'baseline' });
    timings.push(performance.now() - t);
  }
  // Where a steady-state request spends its time: the cache staleness check and the row query (both inside
  // buildDashboard), timed on their own; the rest is statistics and assembly in JavaScript.
  const staleTimings: number[] = [];
  const rowsTimings: number[] = [];
  for (let i = 0; i < runs; i++) {
    t = performance.now();
    await staleParticipantIds(db, { studyId: study.id });
    staleTimings.push(performance.now() - t);
    t = performance.now();
    await loadAnalysisRows(db, { studyId: study.id });
    rowsTimings.push(performance.now() - t);
  }
  const monitorTimings: number[] = [];
  for (let i = 0; i < 5; i++) {
    t = performance.now();
    await monitorSnapshot(db, { studyId: study.id, idleMinutes: 5, stuckReplySeconds: 90 });
    monitorTimings.push(performance.now() - t);
  }
  timings.sort((a, b) => a - b);
  monitorTimings.sort((a, b) => a - b);
  staleTimings.sort((a, b) => a - b);
  rowsTimings.sort((a, b) => a - b);
  const pct = (xs: number[], q: number) => xs[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
  console.log(
    JSON.stringify(
      {
        bench: 'dashboard',
        date: new Date().toISOString(),
        machine: `${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
        // The machine is shared; the 1-minute load average says how contended the run was.
        loadAverage1m: Number(os.loadavg()[0]!.toFixed(1)),
        participants,
        messages: participants * perParticipant,
        analysedItt: Object.values(first.analysed).reduce((a, b) => a + b, 0),
        seedSeconds: Number(seedSec.toFixed(1)),
        firstLoadMs: Math.round(firstMs),
        pendingAfterFirstLoad: first.metricsPending,
        cacheFillRestSeconds: Number(fillSec.toFixed(1)),
        cacheFilledInRest: rest.refreshed,
        steadyStateMs: { runs, median: Math.round(pct(timings, 0.5)), p90: Math.round(pct(timings, 0.9)), min: Math.round(timings[0]!), max: Math.round(timings[runs - 1]!) },
        steadyStateParts: {
          staleCheckMs: { median: Math.round(pct(staleTimings, 0.5)), p90: Math.round(pct(staleTimings, 0.9)) },
          analysisRowsMs: { median: Math.round(pct(rowsTimings, 0.5)), p90: Math.round(pct(rowsTimings, 0.9)) },
        },
        monitorMs: { median: Math.round(pct(monitorTimings, 0.5)), max: Math.round(monitorTimings[monitorTimings.length - 1]!) },
      },
      null,
      2,
    ),
  );
  await closeDb();
} finally {
  if (!process.env.BENCH_DATABASE_URL && process.env.KEEP_DB !== '1') await dropTestDatabase(url);
  else console.error(`kept ${url}`);
}
