/**
 * The supported scale-out, end to end: three `next start` processes on the e2e build and one
 * `npm run worker`, on their own throwaway Postgres, behind the round-robin proxy. Participants chat
 * through the real HTTP API while one web process is stopped with SIGTERM and another with SIGKILL,
 * each while it is generating replies. Nothing may be lost: every sent message is stored, every
 * interrupted reply was retried to completion, every participant finished, the arms stay balanced.
 * (The 100-participant version with figures is bench/multi-process.ts.)
 */
import { expect, test } from '@playwright/test';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import * as schema from '../db/schema';
import type { Database } from '../db';
import { createTestDatabase, dropTestDatabase } from '../db/testing/test-database';
import { startFakeOpenAIServer } from '../scripts/fake-openai-server';
import { startCluster } from '../bench/support/cluster';
import { runScenario, setUpScenarioStudy } from '../bench/support/multi-process-scenario';

const basePort = Number(process.env.E2E_PORT ?? 3100) + 20;

test('three web processes and a worker on one Postgres: restarts mid-stream lose nothing', async () => {
  test.setTimeout(420_000);
  const databaseUrl = await createTestDatabase('collab_e2e_multi');
  const client = postgres(databaseUrl, { max: 4, onnotice: () => {} });
  const db = drizzle(client, { schema, casing: 'snake_case' }) as unknown as Database;
  const REPLY = 'A tighter second paragraph: corner shops keep a street alive because neighbours meet there every day. '.repeat(3);
  const fake = await startFakeOpenAIServer({ host: '127.0.0.1', tokenDelayMs: 20, responder: () => REPLY });
  let cluster: Awaited<ReturnType<typeof startCluster>> | null = null;
  try {
    cluster = await startCluster({
      distDir: process.env.NEXT_DIST_DIR ?? '.next-e2e',
      databaseUrl,
      authSecret: 'e2e-multi-secret-at-least-16-chars',
      basePort,
      webProcesses: 3,
      logDir: `/tmp/collab-e2e-multi-${process.pid}`,
    });
    // Started all at once on an empty database: the migrations ran exactly once.
    const applied = await client`select count(*)::int as n from drizzle.__drizzle_migrations`;
    expect(applied[0]!.n).toBeGreaterThan(0);

    const { slug, studyId } = await setUpScenarioStudy(db, fake.url, null);
    const report = await runScenario({
      db,
      cluster,
      slug,
      studyId,
      participants: 12,
      messages: 3,
      restarts: ['SIGTERM', 'SIGKILL'],
      timeLimitMs: 300_000,
    });
    console.log(JSON.stringify(report));
    expect(report.participantErrors).toEqual([]);
    expect(report.restarts.map((r) => r.signal)).toEqual(['SIGTERM', 'SIGKILL']);
    expect(report.restarts.every((r) => r.generatingWhenStopped > 0)).toBe(true);
    expect(report.sent).toBeGreaterThanOrEqual(12 * 3);
    expect(report.lostMessages).toBe(0);
    expect(report.repliesNotComplete).toBe(0);
    expect(report.finished).toBe(12);
    // Interrupted replies (report.triesAgain of them) were all retried to completion: nothing is left unfinished.
    expect(report.armSpread).toBeLessThanOrEqual(1);
    // The restarted processes registered anew; the killed one's replies were swept by a sibling.
    const processes = await db.select().from(schema.webProcesses);
    expect(processes.length).toBeGreaterThanOrEqual(4);
  } finally {
    await cluster?.stop();
    await fake.close();
    await client.end();
    await dropTestDatabase(databaseUrl);
  }
});
