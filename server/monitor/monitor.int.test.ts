import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, getDb, schema, type Database } from '../../db';
import { createCaller } from '../api/root';
import { createInnerContext } from '../api/trpc';
import { seedParticipant, seedStudy } from '../insights/testing/seed';
import { monitorSnapshot } from './service';

let db: Database;

describe('live monitor', () => {
  let studyId: string;
  let idleId: string;
  let stuckId: string;
  let freshId: string;
  const now = new Date();

  beforeAll(async () => {
    db = await getDb();
    const { study, versions } = await seedStudy(db);
    studyId = study.id;
    const v = versions[0]!.id;
    const ago = (min: number) => new Date(now.getTime() - min * 60_000);
    freshId = (
      await seedParticipant(db, studyId, {
        versionId: v,
        armKey: 'baseline',
        startedAt: ago(20),
        durationSec: 19 * 60,
        heartbeatAt: ago(0.2),
        turns: [
          { user: 'a', assistant: 'b' },
          { user: 'c', assistant: 'd' },
        ],
      })
    ).id;
    idleId = (await seedParticipant(db, studyId, { versionId: v, armKey: 'collabllm', startedAt: ago(40), durationSec: 10 * 60, heartbeatAt: ago(30) })).id;
    stuckId = (
      await seedParticipant(db, studyId, {
        versionId: v,
        armKey: 'collabllm',
        startedAt: ago(10),
        durationSec: 9.9 * 60,
        heartbeatAt: ago(0.1),
        generating: { since: ago(4) },
      })
    ).id;
    await seedParticipant(db, studyId, { versionId: v, stage: 'instructions', startedAt: ago(1), durationSec: 30 });
    await seedParticipant(db, studyId, { versionId: v, armKey: 'baseline', outcome: 'completed' });
    await seedParticipant(db, studyId, { versionId: v, armKey: 'baseline', outcome: 'timed_out' });
    await seedParticipant(db, studyId, { versionId: v, armKey: 'baseline', isPreview: true, source: 'preview' });
  });
  afterAll(closeDb);

  it('shows stage, turns, last heartbeat and flags idle and stuck participants', async () => {
    const snap = await monitorSnapshot(db, { studyId, idleMinutes: 5, stuckReplySeconds: 90, now });
    const byId = new Map(snap.participants.map((p) => [p.participantId, p]));
    expect(byId.get(freshId)).toMatchObject({ stage: 'chat', turns: 2, armKey: 'baseline', flags: [] });
    expect(byId.get(freshId)!.lastHeartbeatAt).toBeInstanceOf(Date);
    expect(byId.get(idleId)!.flags).toContain('idle');
    expect(byId.get(stuckId)!.flags).toEqual(['stuck_reply']);
    expect(byId.get(stuckId)!.turns).toBe(1);
    expect(snap.totals).toEqual({ active: 4, finished: 2, needingAttention: 2 });
  });

  it('counts per arm without previews', async () => {
    const snap = await monitorSnapshot(db, { studyId, idleMinutes: 5, stuckReplySeconds: 90, now });
    const baseline = snap.counts.find((c) => c.armKey === 'baseline')!;
    expect(baseline).toMatchObject({ activeTotal: 1, active: { chat: 1 }, finished: { completed: 1, timed_out: 1 } });
    expect(snap.counts.find((c) => c.armKey === 'collabllm')!.activeTotal).toBe(2);
    expect(snap.counts.find((c) => c.armKey === 'unassigned')).toMatchObject({ activeTotal: 1, active: { instructions: 1 } });
    // The preview is listed (marked) but not counted.
    expect(snap.participants.filter((p) => p.isPreview)).toHaveLength(1);
  });

  it('is readable by viewers and refused to anonymous callers', async () => {
    const [user] = await db.insert(schema.users).values({ email: `v-${crypto.randomUUID()}@test.local`, role: 'viewer' }).returning();
    const viewer = createCaller(createInnerContext({ db, actor: { id: user!.id, email: user!.email, name: null, role: 'viewer', via: 'session' } }));
    const snap = await viewer.monitor.snapshot({ studyId });
    expect(snap.totals.active).toBe(4);
    await expect(createCaller(createInnerContext({ db })).monitor.snapshot({ studyId })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(viewer.monitor.snapshot({ studyId: crypto.randomUUID() })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
