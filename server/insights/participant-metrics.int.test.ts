import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, getDb, schema, type Database } from '../../db';
import { countTokens } from '../metrics';
import { refreshParticipantMetrics, staleParticipantIds } from './participant-metrics';
import { seedParticipant, seedStudy } from './testing/seed';

let db: Database;

describe('participant metrics cache', () => {
  beforeAll(async () => {
    db = await getDb();
  });
  afterAll(closeDb);

  it('computes turns and tokens once, and again only after new activity', async () => {
    const { study, versions } = await seedStudy(db);
    const p = await seedParticipant(db, study.id, {
      versionId: versions[0]!.id,
      armKey: 'baseline',
      outcome: 'completed',
      turns: [
        { user: 'Write about tea', assistant: 'Green or black tea?' },
        { user: 'Green', assistant: 'Here is a draft about green tea.' },
      ],
    });
    const filter = { studyId: study.id };
    expect(await refreshParticipantMetrics(db, filter)).toEqual({ refreshed: 1, pending: 0 });
    const [row] = await db.select().from(schema.participantMetrics).where(eq(schema.participantMetrics.participantId, p.id));
    expect(row).toMatchObject({
      turns: 2,
      assistantReplies: 2,
      tokensTyped: countTokens('Write about tea') + countTokens('Green'),
      tokensRead: countTokens('Green or black tea?') + countTokens('Here is a draft about green tea.'),
    });
    expect(await staleParticipantIds(db, filter)).toEqual([]);

    const [conversation] = await db.select().from(schema.conversations).where(eq(schema.conversations.participantId, p.id));
    await db.insert(schema.messages).values({ conversationId: conversation!.id, seq: 4, role: 'user', content: 'Shorter please' });
    await db.update(schema.participants).set({ lastSeenAt: new Date(p.lastSeenAt.getTime() + 1000) }).where(eq(schema.participants.id, p.id));
    expect(await staleParticipantIds(db, filter)).toEqual([p.id]);
    await refreshParticipantMetrics(db, filter);
    const [after] = await db.select().from(schema.participantMetrics).where(eq(schema.participantMetrics.participantId, p.id));
    expect(after!.turns).toBe(3);

    // Submitting a rating does not move last_seen_at; the newer rating alone makes the row stale.
    await db.insert(schema.ratings).values({ participantId: p.id, afterTurn: 3, value: 9 });
    expect(await staleParticipantIds(db, filter)).toEqual([p.id]);
    await refreshParticipantMetrics(db, filter);
    const [rated] = await db.select().from(schema.participantMetrics).where(eq(schema.participantMetrics.participantId, p.id));
    expect([rated!.ratingTurns, rated!.ratingValues]).toEqual([[3], [9]]);
    expect(await staleParticipantIds(db, filter)).toEqual([]);
  });

  it('stops after its time budget and reports what is still pending', async () => {
    const { study, versions } = await seedStudy(db);
    await db.insert(schema.participants).values(
      Array.from({ length: 250 }, () => ({ studyId: study.id, studyVersionId: versions[0]!.id, source: 'link' as const, outcome: 'completed' as const })),
    );
    const first = await refreshParticipantMetrics(db, { studyId: study.id }, { budgetMs: 0 });
    expect(first).toEqual({ refreshed: 100, pending: 150 });
    expect(await refreshParticipantMetrics(db, { studyId: study.id }, { budgetMs: 0 })).toEqual({ refreshed: 100, pending: 50 });
    expect(await refreshParticipantMetrics(db, { studyId: study.id })).toEqual({ refreshed: 50, pending: 0 });
  });
});
