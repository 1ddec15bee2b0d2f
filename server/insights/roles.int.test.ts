import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, getDb, type Database } from '../../db';
import { router } from '../api/trpc';
import { exportsRouter } from '../api/routers/exports';
import { monitorRouter } from '../api/routers/monitor';
import { resultsRouter } from '../api/routers/results';
import { transcriptsRouter } from '../api/routers/transcripts';
import { createRoleActors, expectRoleMatrix } from '../api/testing/role-matrix';
import { seedParticipant, seedStudy } from './testing/seed';

let db: Database;

describe('researcher-area routers: role matrix', () => {
  beforeAll(async () => {
    db = await getDb();
  });
  afterAll(closeDb);

  it('lets every staff role read, only researchers and admins exclude, and nobody anonymous', async () => {
    const { study, versions } = await seedStudy(db);
    const participant = await seedParticipant(db, study.id, { versionId: versions[0]!.id, armKey: 'baseline', outcome: 'completed', turns: [{ user: 'u', assistant: 'a' }] });
    const studyId = study.id;
    const rows = await expectRoleMatrix({
      router: router({ monitor: monitorRouter, results: resultsRouter, transcripts: transcriptsRouter, exports: exportsRouter }),
      db,
      actors: await createRoleActors(db, 'insights'),
      access: {
        'monitor.snapshot': 'viewer',
        'results.dashboard': 'viewer',
        'results.setExclusion': 'researcher',
        'transcripts.list': 'viewer',
        'transcripts.get': 'viewer',
        'exports.summary': 'viewer',
      },
      inputs: {
        'monitor.snapshot': { studyId },
        'results.dashboard': { studyId, population: 'itt' },
        'results.setExclusion': { studyId, participantId: participant.id, excluded: false },
        'transcripts.list': { studyId },
        'transcripts.get': { studyId, participantId: participant.id },
        'exports.summary': { studyId },
      },
    });
    // Allowed calls really succeeded (real inputs), not merely got past the role check.
    expect(rows.filter((r) => r.expected === 'allowed').every((r) => r.got === 'ok')).toBe(true);
  });
});
