/**
 * Pilot isolation: a study with real participants (through the participant procedures) is read before and after
 * a completed simulated pilot. Results (both populations), the monitor, the transcripts list, the study list's
 * counts, the export summary, every file of the export (with and without previews), the balance table and the
 * assignment counts must be identical, no pilot participant id may appear in any of them, and the next real
 * participant is assigned exactly as without the pilot — for an unstratified and a stratified study.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desc, eq } from 'drizzle-orm';
import { closeDb, getDb, schema, type Database } from '../../db';
import { createCaller } from '../api/root';
import { createInnerContext } from '../api/trpc';
import type { Actor } from '../auth/session';
import { createStudyExport } from '../exports/archive';
import { loadBalanceTable } from '../insights/balance';
import { monitorSnapshot } from '../monitor/service';
import { countLiveParticipants } from '../participants/assignment';
import { waitForGeneration } from '../participants/generation-hub';
import { participantCookieName, verifyParticipantCookie } from '../participants/identity';
import { createTestStudy, demoArm, testStudyConfig } from '../participants/testing/fixtures';
import type { StudyConfig } from '../studies/config';
import { JobWorker } from '../jobs/worker';
import { pilotJobDefinitions } from './jobs';
import { parsePilotConfig } from './config';
import { ensurePilotParticipant } from './simulated-participant';

let db: Database;
let actor: Actor;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collab-pilot-isolation-'));
const NOW = new Date('2026-06-01T12:00:00Z');

beforeAll(async () => {
  db = await getDb();
  const [user] = await db.insert(schema.users).values({ email: `pilot-iso-${randomUUID().slice(0, 8)}@test.local`, role: 'admin' }).returning();
  actor = { id: user!.id, email: user!.email, name: null, role: 'admin', via: 'session' };
});
afterAll(async () => {
  fs.rmSync(tmp, { recursive: true, force: true });
  await closeDb();
});

const staff = () => createCaller(createInnerContext({ db, actor, cookies: new Map() }));

/** One real participant through the participant procedures; `finish` = complete the survey, else stay in the chat. */
async function realParticipant(slug: string, studyId: string, n: number, finish: boolean) {
  const jar = new Map<string, string>();
  const p = createCaller(createInnerContext({ db, actor: null, cookies: jar })).participant;
  await p.enter({ slug, query: { PROLIFIC_PID: `REAL_${n}_${slug}`, SESSION_ID: `S${n}` } });
  await p.consent({ slug, accept: true, consentVersion: 'v1' });
  await p.finishInstructions({ slug });
  await p.submitSetup({ slug, topicId: n % 2 ? 'travel' : 'cooking', answers: { audience: 'friends', point: `point ${n}` } });
  for (let turn = 1; turn <= 2; turn++) {
    const sent = await p.sendMessage({ slug, clientMessageId: randomUUID(), content: `Real message ${turn} from ${n}` });
    await waitForGeneration(sent.assistantMessageId);
  }
  if (!finish) return;
  await p.rate({ slug, afterTurn: 2, value: 4 + n });
  await p.finishChat({ slug });
  await p.submitSurvey({
    slug,
    documentQuality: 3 + n,
    overallInteraction: 9 - n,
    strengths: 'Clear and helpful replies.',
    weaknesses: 'A bit slow to get going.',
    blindingGuess: 'Not sure',
    attentionAnswers: { check_a: 'Purple', check_b: 'Strongly disagree' },
  });
  return verifyParticipantCookie(studyId, jar.get(participantCookieName(studyId)));
}

async function exportFiles(studyId: string, includePreviews: boolean): Promise<Record<string, string>> {
  const { stream, filename } = await createStudyExport(db, {
    studyId,
    versionIds: [],
    includePreviews,
    hashExternalIds: false,
    formats: ['csv', 'jsonl'],
    requestedBy: 'iso@test.local',
    now: NOW,
  });
  const file = path.join(tmp, `${randomUUID()}-${filename}`);
  await pipeline(stream, fs.createWriteStream(file));
  const names = execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' }).trim().split('\n');
  return Object.fromEntries(names.map((name) => [name, execFileSync('unzip', ['-p', file, name], { encoding: 'utf8', maxBuffer: 64 << 20 })]));
}

/** Everything a researcher (or the assignment) sees of the study's real participants. */
async function snapshot(studyId: string, config: StudyConfig) {
  const s = staff();
  const armKeys = config.arms.map((a) => a.key);
  const strata = config.stratification?.by === 'documentType' ? config.documentTypes.map((d) => d.key) : [null];
  const liveCounts: Record<string, Record<string, number>> = {};
  for (const value of strata)
    liveCounts[value ?? 'all'] = await db.transaction((tx) =>
      countLiveParticipants(tx, {
        studyId,
        armKeys,
        activeSince: new Date(Date.now() - 60 * 60_000),
        stratum: value ? { factor: 'document_type', value } : null,
      }),
    );
  const studies = (await s.studies.list()).filter((x) => x.id === studyId);
  return {
    itt: await s.results.dashboard({ studyId, population: 'itt' }),
    completers: await s.results.dashboard({ studyId, population: 'completers' }),
    monitor: await monitorSnapshot(db, { studyId, now: NOW, idleMinutes: 5, stuckReplySeconds: 90 }),
    transcripts: await s.transcripts.list({ studyId, pageSize: 200 }),
    studies,
    exportSummary: await s.exports.summary({ studyId, includePreviews: true }),
    balance: await loadBalanceTable(db, { studyId }, armKeys),
    liveCounts,
    exportWithPreviews: await exportFiles(studyId, true),
    exportWithout: await exportFiles(studyId, false),
  };
}

async function runPilot(studyId: string, perArm: number) {
  const worker = new JobWorker({ db, definitions: pilotJobDefinitions(), concurrency: 4, pollIntervalMs: 20, retryBaseMs: 5 });
  worker.start();
  try {
    const { pilotId } = await staff().pilots.start({ studyId, settings: { participantsPerArm: perArm, simulator: { connectionId: null }, seed: 'iso', concurrency: 4 } });
    const deadline = Date.now() + 90_000;
    for (;;) {
      const [pilot] = await db.select().from(schema.studyPilots).where(eq(schema.studyPilots.id, pilotId));
      if (pilot!.status === 'completed') break;
      if (Date.now() > deadline || pilot!.status === 'failed') throw new Error(`pilot ${pilot!.status}: ${pilot!.error}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const ids = (await db.select({ id: schema.participants.id }).from(schema.participants).where(eq(schema.participants.pilotId, pilotId))).map((r) => r.id);
    expect(ids).toHaveLength(perArm * 3);
    return ids;
  } finally {
    await worker.stop({ graceMs: 1000 });
  }
}

async function expectIsolated(config: StudyConfig) {
  const { studyId, slug } = await createTestStudy(db, { config });
  for (let n = 1; n <= 4; n++) await realParticipant(slug, studyId, n, n <= 3);
  // A researcher preview (flagged, never counted) is in the "with previews" export; pilot rows never are.
  const preview = createCaller(createInnerContext({ db, actor, cookies: new Map() })).participant;
  await preview.enter({ slug, query: { preview: '1' } });
  await snapshot(studyId, config); // fills the metrics cache, so both reads below see the same cached rows
  const before = await snapshot(studyId, config);
  expect(before.itt.flow).toBeDefined();
  expect(before.transcripts.total).toBe(4);

  const pilotIds = await runPilot(studyId, 2);
  // And a pilot still in progress: its participants have no outcome yet (what the monitor lists for people).
  const { pilotId: livePilot } = await staff().pilots.start({ studyId, settings: { participantsPerArm: 1, simulator: { connectionId: null }, seed: 'live' } });
  const [live] = await db.select().from(schema.studyPilots).where(eq(schema.studyPilots.id, livePilot));
  for (let i = 0; i < 3; i++) pilotIds.push((await ensurePilotParticipant(db, live!, parsePilotConfig(live!.config), i)).id);
  const after = await snapshot(studyId, config);
  expect(after).toEqual(before);
  for (const [name, content] of Object.entries(after.exportWithPreviews)) expect(content, name).toBe(before.exportWithPreviews[name]);
  for (const [name, content] of Object.entries(after.exportWithout)) expect(content, name).toBe(before.exportWithout[name]);
  const everything = JSON.stringify(after);
  for (const id of pilotIds) expect(everything).not.toContain(id);
  await staff().pilots.cancel({ studyId, pilotId: livePilot });

  // The next real participant is assigned as if no pilot had run: the next sequence number, the same counts seen.
  const [last] = await db.select().from(schema.assignments).where(eq(schema.assignments.studyId, studyId)).orderBy(desc(schema.assignments.sequence)).limit(1);
  const nextId = await realParticipant(slug, studyId, 5, true);
  const [next] = await db.select().from(schema.assignments).where(eq(schema.assignments.participantId, nextId!));
  expect(next!.sequence).toBe(last!.sequence + 1);
  const [nextParticipant] = await db.select().from(schema.participants).where(eq(schema.participants.id, nextId!));
  const stratumKey = config.stratification?.by === 'documentType' ? nextParticipant!.documentType! : 'all';
  const expected = Object.fromEntries(config.arms.map((a) => [a.key, before.liveCounts[stratumKey]![a.key] ?? 0]));
  expect(next!.countsSeen).toEqual(expected);
}

describe('pilot participants never mix with real ones', () => {
  it('an unstratified study reads the same with and without a completed pilot', async () => {
    await expectIsolated(testStudyConfig({ arms: [demoArm('baseline'), demoArm('proactive'), demoArm('collabllm')] }));
  }, 180_000);

  it('a study stratified by document type reads the same, stratum by stratum', async () => {
    await expectIsolated(testStudyConfig({ stratification: { by: 'documentType' } }));
  }, 180_000);
});
