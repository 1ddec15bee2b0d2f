/** The results dashboard on Postgres: clipped intervals, "n too small" and partial ITT figures. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, getDb, type Database } from '../../db';
import { buildDashboard } from './dashboard';
import { seedParticipant, seedStudy } from './testing/seed';

let db: Database;
beforeAll(async () => {
  db = await getDb();
});
afterAll(closeDb);

describe('bounded outcomes on the dashboard', () => {
  it('clips rating intervals to 1–10, flags small n, and labels ITT figures with in-progress participants partial', async () => {
    const { study, versions } = await seedStudy(db);
    const versionId = versions[0]!.id;
    for (const q of [1, 1, 10])
      await seedParticipant(db, study.id, { versionId, armKey: 'baseline', outcome: 'completed', survey: { documentQuality: q, overallInteraction: 5 } });
    await seedParticipant(db, study.id, { versionId, armKey: 'baseline', outcome: null, stage: 'chat', ratings: [{ afterTurn: 2, value: 3 }] });

    const itt = await buildDashboard(db, { studyId: study.id, population: 'itt' });
    const quality = itt.outcomes.find((o) => o.key === 'documentQuality')!.perArm.find((p) => p.armKey === 'baseline')!.description;
    expect(quality).toMatchObject({ n: 3, ciLower: 1, ciUpper: 10, ciClipped: true, smallSample: true });
    expect(itt.stillInProgress).toMatchObject({ baseline: 1, collabllm: 0 });
    for (const o of itt.outcomes)
      for (const p of o.perArm) {
        if (p.description.ciLower !== null) expect(p.description.ciLower).toBeGreaterThanOrEqual(0);
      }

    const completers = await buildDashboard(db, { studyId: study.id, population: 'completers' });
    expect(completers.stillInProgress).toMatchObject({ baseline: 0 });
  });
});
