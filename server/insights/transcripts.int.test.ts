import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, getDb, schema, type Database } from '../../db';
import { createCaller } from '../api/root';
import { createInnerContext } from '../api/trpc';
import { seedParticipant, seedStudy } from './testing/seed';

let db: Database;

describe('transcripts', () => {
  let studyId: string;
  let aliceId: string;
  let caller: ReturnType<typeof createCaller>;

  beforeAll(async () => {
    db = await getDb();
    const { study, versions } = await seedStudy(db);
    studyId = study.id;
    const v = versions[0]!.id;
    aliceId = (
      await seedParticipant(db, studyId, {
        versionId: v,
        armKey: 'collabllm',
        outcome: 'completed',
        turns: [
          { user: 'Help me write about 100% organic_farming', assistant: 'Who is the audience?' },
          { user: 'Farmers', assistant: 'Draft: organic farming for farmers.' },
        ],
        ratings: [{ afterTurn: 3, value: 8 }],
        survey: { documentQuality: 9, overallInteraction: 8 },
        drafts: ['v1 draft', 'v2 draft'],
      })
    ).id;
    await seedParticipant(db, studyId, { versionId: v, armKey: 'baseline', outcome: 'completed', excluded: true, exclusionReason: 'bot', turns: [{ user: 'Poem about cats', assistant: 'Sure.' }] });
    await seedParticipant(db, studyId, { versionId: v, armKey: 'baseline', isPreview: true, source: 'preview', turns: [{ user: 'organic preview', assistant: 'x' }] });
    const [user] = await db.insert(schema.users).values({ email: `v-${crypto.randomUUID()}@test.local`, role: 'viewer' }).returning();
    caller = createCaller(createInnerContext({ db, actor: { id: user!.id, email: user!.email, name: null, role: 'viewer', via: 'session' } }));
  });
  afterAll(closeDb);

  it('searches message text literally and filters by arm, outcome and exclusion', async () => {
    expect((await caller.transcripts.list({ studyId, search: 'ORGANIC' })).rows.map((r) => r.participantId)).toEqual([aliceId]);
    // % and _ are literal characters, not wildcards.
    expect((await caller.transcripts.list({ studyId, search: '100% organic_f' })).total).toBe(1);
    expect((await caller.transcripts.list({ studyId, search: '100%%' })).total).toBe(0);
    expect((await caller.transcripts.list({ studyId, armKey: 'baseline' })).total).toBe(1);
    expect((await caller.transcripts.list({ studyId, excluded: true })).rows[0]!.exclusionReason).toBe('bot');
    expect((await caller.transcripts.list({ studyId, outcome: 'in_progress' })).total).toBe(0);
    const all = await caller.transcripts.list({ studyId });
    expect(all.total).toBe(2);
    expect(all.rows.find((r) => r.participantId === aliceId)!.turns).toBe(2);
  });

  it('returns the whole conversation, drafts, ratings and timings of one participant', async () => {
    const t = await caller.transcripts.get({ studyId, participantId: aliceId });
    expect(t.messages.map((m) => m.content)).toEqual([
      'Help me write about 100% organic_farming',
      'Who is the audience?',
      'Farmers',
      'Draft: organic farming for farmers.',
    ]);
    expect(t.drafts.map((d) => d.content)).toEqual(['v1 draft', 'v2 draft']);
    expect(t.ratings).toMatchObject([{ afterTurn: 3, value: 8 }]);
    expect(t.survey).toMatchObject({ documentQuality: 9, overallInteraction: 8 });
    expect(t.stageVisits.map((s) => s.stage)).toEqual(['consent', 'chat']);
    expect(t.assignment).toMatchObject({ armKey: 'collabllm', seed: 'seed-1' });
  });

  it('does not reveal participants of another study', async () => {
    const other = await seedStudy(db);
    await expect(caller.transcripts.get({ studyId: other.study.id, participantId: aliceId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
