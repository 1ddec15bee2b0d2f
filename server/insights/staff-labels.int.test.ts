/**
 * What the staff pages name and count: the transcript carries the pre-chat topic answers with their
 * questions and the arm's label; exports carry the same label; "ended early" leaves decliners out.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, getDb, type Database } from '../../db';
import { createRoleActors } from '../api/testing/role-matrix';
import { createStudyExport } from '../exports/archive';
import { parseCsv } from '../exports/testing/parse-csv';
import { getStudy } from '../studies/service';
import { getTranscript } from './transcripts';
import { seedParticipant, seedStudy } from './testing/seed';

let db: Database;
beforeAll(async () => {
  db = await getDb();
});
afterAll(closeDb);

describe('staff labels and counts', () => {
  it('shows topic answers and the arm label in the transcript and the export, and counts decliners apart from early endings', async () => {
    const { study, versions } = await seedStudy(db);
    const versionId = versions[0]!.id;
    const done = await seedParticipant(db, study.id, { versionId, armKey: 'collabllm', outcome: 'completed', turns: [{ user: 'u', assistant: 'a' }] });
    await seedParticipant(db, study.id, { versionId, armKey: null, consented: false, outcome: 'no_consent', stage: 'done' });
    await seedParticipant(db, study.id, { versionId, armKey: 'baseline', outcome: 'timed_out' });

    const t = await getTranscript(db, study.id, done.id);
    expect(t.participant.setupAnswers).toEqual([{ id: 'q1', prompt: 'What is it about?', answer: 'A trip to Lisbon' }]);
    expect(t.participant).toMatchObject({ armLabel: 'Collabllm', topicLabel: 'Travel', documentTypeLabel: 'Blog post' });

    const actors = await createRoleActors(db, 'labels');
    const counts = (await getStudy({ db, actor: actors.viewer }, study.id)).participants;
    expect(counts).toEqual({ total: 3, completed: 1, inProgress: 0, ended: 1, declined: 1 });

    const { stream } = await createStudyExport(db, { studyId: study.id, versionIds: [], includePreviews: false, hashExternalIds: false, formats: ['csv'] });
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'labels-')), 'x.zip');
    await pipeline(stream, fs.createWriteStream(file));
    const rows = parseCsv(execFileSync('unzip', ['-p', file, '*/participants.csv'], { encoding: 'utf8' }));
    const byId = new Map(rows.map((r) => [r.participant_id, r]));
    expect(byId.get(done.id)).toMatchObject({ arm_key: 'collabllm', arm_label: 'Collabllm' });
    expect(rows.find((r) => r.outcome === 'no_consent')!.arm_label).toBe('');
  });
});
