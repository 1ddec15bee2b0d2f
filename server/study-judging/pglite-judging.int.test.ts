/** A study judging run with the demo-judge on the embedded database (the quick start), in-process, with the real job definitions. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { schema, type Database } from '../../db';
import { openTestPglite } from '../../db/testing/pglite';
import { DEMO_JUDGE_LABEL } from '../benchmarks/judges';
import { seedParticipant, seedStudy } from '../insights/testing/seed';
import { appJobDefinitions } from '../jobs/definitions';
import { JobWorker } from '../jobs/worker';
import { listJudgeRuns, participantJudgeScores, startStudyJudgeRun } from './service';

let db: Database;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ db, close } = await openTestPglite(fs.mkdtempSync(path.join(os.tmpdir(), 'pglite-judging-'))));
});
afterAll(() => close());

it('judges a study on PGlite inside the process', async () => {
  const { study, versions } = await seedStudy(db);
  const turns = [{ user: 'A blog post about Lisbon, please.', assistant: 'Who will read it?' }];
  const withPane = await seedParticipant(db, study.id, { versionId: versions[0]!.id, armKey: 'baseline', outcome: 'completed', turns, drafts: ['Lisbon by tram'] });
  await seedParticipant(db, study.id, { versionId: versions[0]!.id, armKey: 'collabllm', outcome: 'completed', turns });
  const worker = new JobWorker({ db, definitions: appJobDefinitions(), concurrency: 4, pollIntervalMs: 20 });
  worker.start();
  try {
    const { runId, participants } = await startStudyJudgeRun(db, { studyId: study.id, judge: { connectionId: null } });
    expect(participants).toBe(2);
    const deadline = Date.now() + 60_000;
    const status = async () => (await db.select().from(schema.studyJudgeRuns).where(eq(schema.studyJudgeRuns.id, runId)))[0]!.status;
    while ((await status()) !== 'completed' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const [run] = await listJudgeRuns(db, study.id);
    expect(run).toMatchObject({ id: runId, status: 'completed', judge: DEMO_JUDGE_LABEL, counts: { total: 2, completed: 2 } });
    const [scores] = await participantJudgeScores(db, { studyId: study.id, participantId: withPane.id });
    expect(scores).toMatchObject({ judge: DEMO_JUDGE_LABEL, documentSource: 'pane' });
    expect(scores!.scores.find((s) => s.metric === 'document_words')!.value).toBe(3);
  } finally {
    await worker.stop({ graceMs: 1000 });
  }
});
