/** The item attempt statements (item-store.ts) on both databases: claim, re-claim, completion, take-over. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq, sql } from 'drizzle-orm';
import { closeDb, getDb, schema, type Database } from '../../db';
import { openTestPglite } from '../../db/testing/pglite';
import { claimJobs, enqueueJobs, type JobLease } from '../jobs/queue';
import { claimItemAttempt, completeItemAttempt, type TranscriptRow } from './item-store';
import { demoRunConfig } from './run-config';
import { builtinTaskIds, ensureBuiltinTaskSet } from './tasks/builtin';

const { benchmarkItems, benchmarkRuns, benchmarkScores, conversations, messages } = schema;

const transcript: TranscriptRow[] = [
  { seq: 1, role: 'user', content: 'I need a blog post about tide pools.', model: 'sim', isDemoModel: false, promptTokens: 120, completionTokens: 12, generationMs: 101, attempts: 1, completedAt: new Date('2026-11-27T10:00:00Z') },
  { seq: 2, role: 'assistant', content: 'Who is it for, and how long?', model: 'arm', isDemoModel: true, promptTokens: 140, completionTokens: 9, generationMs: 99, attempts: 2, completedAt: new Date('2026-11-27T10:00:01Z') },
];

function storeSuite(label: string, open: () => Promise<{ db: Database; close(): Promise<void> }>) {
  describe(`benchmark item attempts on ${label}`, () => {
    let db: Database;
    let close: () => Promise<void>;
    let taskId: string;
    beforeAll(async () => {
      ({ db, close } = await open());
      await ensureBuiltinTaskSet(db);
      [taskId] = (await builtinTaskIds(db)).slice(0, 1) as [string];
    });
    afterAll(() => close());

    async function newItem() {
      const [run] = await db
        .insert(benchmarkRuns)
        .values({ name: 'store', config: demoRunConfig([taskId]) as unknown as Record<string, unknown>, status: 'running' })
        .returning();
      const [item] = await db.insert(benchmarkItems).values({ runId: run!.id, taskId, armKey: 'baseline', replicate: 0 }).returning();
      return item!.id;
    }
    const claim = (itemId: string) =>
      claimItemAttempt(db, { itemId, armKey: 'baseline', assistantConfig: { model: 'arm' }, metadata: { itemId, seed: 's' } });
    const itemRow = async (itemId: string) => (await db.select().from(benchmarkItems).where(eq(benchmarkItems.id, itemId)))[0]!;

    it('claims a pending item: counts the attempt and gives it a conversation with provenance', async () => {
      const itemId = await newItem();
      const conversationId = await claim(itemId);
      expect(conversationId).toEqual(expect.any(String));
      expect(await itemRow(itemId)).toMatchObject({ status: 'running', attempts: 1, conversationId, error: null });
      const [conv] = await db.select().from(conversations).where(eq(conversations.id, conversationId!));
      expect(conv).toMatchObject({ kind: 'simulation', armKey: 'baseline', assistantConfig: { model: 'arm' }, metadata: { itemId, seed: 's', attempt: 1 } });
    });

    it('a second claim replaces the earlier attempt: its conversation, messages and scores are gone', async () => {
      const itemId = await newItem();
      const first = (await claim(itemId))!;
      await db.insert(messages).values({ conversationId: first, seq: 1, role: 'user', content: 'half a chat' });
      await db.insert(benchmarkScores).values({ itemId, judge: 'stale', metric: 'quality', value: 3 });
      const second = (await claim(itemId))!;
      expect(second).not.toBe(first);
      expect(await db.select().from(conversations).where(eq(conversations.id, first))).toEqual([]);
      expect(await db.select().from(messages).where(eq(messages.conversationId, first))).toEqual([]);
      expect(await db.select().from(benchmarkScores).where(eq(benchmarkScores.itemId, itemId))).toEqual([]);
      expect(await itemRow(itemId)).toMatchObject({ attempts: 2, conversationId: second });
      const [conv] = await db.select().from(conversations).where(eq(conversations.id, second));
      expect(conv?.metadata).toMatchObject({ attempt: 2 });
    });

    it('does not claim a completed or cancelled item', async () => {
      for (const status of ['completed', 'cancelled'] as const) {
        const itemId = await newItem();
        await db.update(benchmarkItems).set({ status }).where(eq(benchmarkItems.id, itemId));
        expect(await claim(itemId)).toBeNull();
        expect(await itemRow(itemId)).toMatchObject({ status, attempts: 0, conversationId: null });
      }
    });

    it('completes the running attempt with its transcript, scores and metadata', async () => {
      const itemId = await newItem();
      const conversationId = (await claim(itemId))!;
      const done = await completeItemAttempt(db, {
        itemId,
        conversationId,
        judgeLabel: 'judge@v1',
        finalDocument: 'Tide pools are small worlds.',
        scores: [
          { metric: 'quality', value: 7, rationale: 'clear', details: { attempts: 1 } },
          { metric: 'bleu_word', value: 0.25 },
        ],
        conversationMetadata: { endReason: 'terminated', turns: 1 },
        messages: transcript,
      });
      expect(done).toBe(true);
      expect(await itemRow(itemId)).toMatchObject({ status: 'completed', finalDocument: 'Tide pools are small worlds.', error: null });
      expect((await itemRow(itemId)).finishedAt).toBeInstanceOf(Date);
      const stored = await db.select().from(messages).where(eq(messages.conversationId, conversationId)).orderBy(asc(messages.seq));
      expect(stored.map(({ seq, role, content, model, isDemoModel, promptTokens, completionTokens, generationMs, attempts, completedAt, status }) =>
        ({ seq, role, content, model, isDemoModel, promptTokens, completionTokens, generationMs, attempts, completedAt, status }),
      )).toEqual(transcript.map((m) => ({ ...m, status: 'complete' })));
      const scores = await db.select().from(benchmarkScores).where(eq(benchmarkScores.itemId, itemId)).orderBy(asc(benchmarkScores.metric));
      expect(scores).toMatchObject([
        { judge: 'judge@v1', metric: 'bleu_word', value: 0.25, rationale: null, details: null },
        { judge: 'judge@v1', metric: 'quality', value: 7, rationale: 'clear', details: { attempts: 1 } },
      ]);
      const [conv] = await db.select().from(conversations).where(eq(conversations.id, conversationId));
      expect(conv?.metadata).toMatchObject({ itemId, attempt: 1, endReason: 'terminated', turns: 1 });
    });

    it('writes nothing when another attempt has taken the item over', async () => {
      const itemId = await newItem();
      const stale = (await claim(itemId))!;
      const current = (await claim(itemId))!; // e.g. another worker after a lost lease
      const done = await completeItemAttempt(db, {
        itemId,
        conversationId: stale,
        judgeLabel: 'judge@v1',
        finalDocument: 'stale',
        scores: [{ metric: 'quality', value: 1 }],
        conversationMetadata: { endReason: 'terminated' },
        messages: transcript,
      });
      expect(done).toBe(false);
      expect(await itemRow(itemId)).toMatchObject({ status: 'running', conversationId: current, finalDocument: null });
      expect(await db.select().from(benchmarkScores).where(eq(benchmarkScores.itemId, itemId))).toEqual([]);
      expect(await db.select().from(messages).where(eq(messages.conversationId, current))).toEqual([]);
    });

    it('an attempt whose job was claimed again (stale fencing token) can neither claim nor complete the item', async () => {
      const itemId = await newItem();
      const kind = `test.item-fence.${itemId}`;
      await enqueueJobs(db, [{ kind, payload: { itemId } }]);
      const [zombie] = (await claimJobs(db, { workerId: 'w1', kinds: [kind], limit: 1, leaseMs: 60_000 })).jobs;
      await db.update(schema.jobs).set({ lockedUntil: sql`now() - interval '1 second'` }).where(eq(schema.jobs.kind, kind));
      const [current] = (await claimJobs(db, { workerId: 'w2', kinds: [kind], limit: 1, leaseMs: 60_000 })).jobs;
      const fencedClaim = (lease: JobLease) =>
        claimItemAttempt(db, { itemId, armKey: 'baseline', assistantConfig: {}, metadata: {}, lease });
      // The zombie claimed the item before its lease lapsed; then the current attempt claims it.
      const zombieConversation = (await claim(itemId))!;
      expect(await fencedClaim(zombie!)).toBeNull();
      const conversationId = (await fencedClaim(current!))!;
      const completion = (lease: JobLease, conv: string) =>
        completeItemAttempt(db, { itemId, conversationId: conv, judgeLabel: 'j', finalDocument: 'doc', scores: [], conversationMetadata: {}, messages: transcript, lease });
      expect(await completion(zombie!, zombieConversation)).toBe(false);
      expect(await completion(zombie!, conversationId)).toBe(false);
      expect(await itemRow(itemId)).toMatchObject({ status: 'running', conversationId, attempts: 2 });
      expect(await completion(current!, conversationId)).toBe(true);
      expect(await itemRow(itemId)).toMatchObject({ status: 'completed', conversationId, finalDocument: 'doc' });
    });
  });
}

storeSuite('Postgres', async () => ({ db: await getDb(), close: closeDb }));
storeSuite('PGlite', () => openTestPglite(fs.mkdtempSync(path.join(os.tmpdir(), 'item-store-pglite-'))));
