/**
 * Datasets from a human study on Postgres and PGlite: only completed, non-excluded, non-preview participants;
 * arm, version and rating filters; periodic ratings on their turns; pseudonymous ids only; valid SFT exports.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { closeDb, getDb, schema, type Database } from '../../../db';
import { openTestPglite } from '../../../db/testing/pglite';
import { seedParticipant, seedStudy } from '../../insights/testing/seed';
import type { ServiceContext } from '../../services/context';
import { pseudonymize } from '../../exports/participant-scope';
import { datasetExportLines } from './export';
import { lineSchemas } from './formats';
import { createHumanStudyDataset } from './human-study';

const turns = (n: number, tag: string) => Array.from({ length: n }, (_, i) => ({ user: `${tag} user ${i + 1}`, assistant: `${tag} reply ${i + 1}` }));

function suite(label: string, open: () => Promise<{ db: Database; close(): Promise<void> }>) {
  describe(`human-study datasets on ${label}`, () => {
    let db: Database;
    let close: () => Promise<void>;
    let ctx: ServiceContext;
    let studyId: string;
    let v1: string;
    let v2: string;
    const ids: Record<string, string> = {};
    beforeAll(async () => {
      ({ db, close } = await open());
      const [user] = await db.insert(schema.users).values({ email: `hs-${randomUUID()}@test.local`, role: 'researcher' }).returning();
      ctx = { db, actor: { id: user!.id, email: user!.email, name: null, role: 'researcher', via: 'session' } };
      const seeded = await seedStudy(db, { versions: 2 });
      studyId = seeded.study.id;
      v1 = seeded.versions[0]!.id;
      v2 = seeded.versions[1]!.id;
      const add = async (key: string, p: Parameters<typeof seedParticipant>[2]) => {
        const r = await seedParticipant(db, studyId, { externalId: `PID-${key}-${randomUUID().slice(0, 6)}`, ...p });
        ids[key] = (r as { participant?: { id: string }; id?: string }).participant?.id ?? (r as { id: string }).id;
      };
      await add('good', { versionId: v1, armKey: 'collabllm', outcome: 'completed', turns: turns(4, 'good'), ratings: [{ afterTurn: 3, value: 9 }], survey: { documentQuality: 9, overallInteraction: 8 } });
      await add('lowrated', { versionId: v1, armKey: 'baseline', outcome: 'completed', turns: turns(3, 'low'), ratings: [{ afterTurn: 3, value: 2 }], survey: { documentQuality: 3, overallInteraction: 4 } });
      await add('v2', { versionId: v2, armKey: 'baseline', outcome: 'completed', turns: turns(2, 'vtwo'), survey: { documentQuality: 7, overallInteraction: 7 } });
      await add('excluded', { versionId: v1, armKey: 'collabllm', outcome: 'completed', excluded: true, exclusionReason: 'test', turns: turns(2, 'excl'), survey: { documentQuality: 9, overallInteraction: 9 } });
      await add('dropout', { versionId: v1, armKey: 'collabllm', outcome: null, turns: turns(2, 'drop') });
      await add('preview', { versionId: v1, armKey: 'collabllm', outcome: 'completed', isPreview: true, source: 'preview', turns: turns(2, 'prev'), survey: { documentQuality: 9, overallInteraction: 9 } });
    });
    afterAll(() => close());

    it('keeps completed, non-excluded participants with turns, ratings and pseudonyms', async () => {
      const { datasetId, conversations } = await createHumanStudyDataset(ctx, { name: `study ${label}`, evalRatio: 0, settings: { studyId } });
      expect(conversations).toBe(3);
      const convs = await db.select().from(schema.trainingConversations).where(eq(schema.trainingConversations.datasetId, datasetId)).orderBy(asc(schema.trainingConversations.idx));
      const text = JSON.stringify(convs);
      for (const tag of ['excl', 'drop', 'prev']) expect(text).not.toContain(`${tag} user`);
      expect(text).not.toContain('PID-');
      expect(text).not.toContain(ids.good);
      const good = convs.find((c) => c.sourceRef.participant === pseudonymize(studyId, ids.good!))!;
      expect(good.sourceRef).toMatchObject({ armKey: 'collabllm', studyVersion: 1, finalRatings: { documentQuality: 9, overallInteraction: 8 } });
      const goodTurns = await db.select().from(schema.trainingTurns).where(eq(schema.trainingTurns.conversationId, good.id)).orderBy(asc(schema.trainingTurns.turnIndex));
      expect(goodTurns).toHaveLength(4);
      expect(goodTurns[2]!.ratings).toEqual({ periodic: 9, afterTurn: 3 });
      expect(goodTurns[2]!.prompt.at(-1)).toEqual({ role: 'user', content: 'good user 3' });
      expect(goodTurns[2]!.completion).toBe('good reply 3');
      const lines = [];
      for await (const l of datasetExportLines(db, datasetId, 'openai-sft')) lines.push(lineSchemas['openai-sft'].parse(JSON.parse(l)));
      expect(lines).toHaveLength(3);
      const none = [];
      for await (const l of datasetExportLines(db, datasetId, 'trl-dpo')) none.push(l);
      expect(none).toHaveLength(0);
    });

    it('filters by arm, version, final and periodic ratings, and refuses an empty result or a viewer', async () => {
      expect((await createHumanStudyDataset(ctx, { name: 'arm', settings: { studyId, armKeys: ['collabllm'] } })).conversations).toBe(1);
      expect((await createHumanStudyDataset(ctx, { name: 'ver', settings: { studyId, versionIds: [v2] } })).conversations).toBe(1);
      expect((await createHumanStudyDataset(ctx, { name: 'final', settings: { studyId, minDocumentQuality: 7 } })).conversations).toBe(2);
      expect((await createHumanStudyDataset(ctx, { name: 'periodic', settings: { studyId, minMeanPeriodicRating: 5 } })).conversations).toBe(1);
      await expect(createHumanStudyDataset(ctx, { name: 'none', settings: { studyId, minOverallInteraction: 10 } })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      await expect(createHumanStudyDataset({ db, actor: { ...ctx.actor!, role: 'viewer' } }, { name: 'x', settings: { studyId } })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    });
  });
}

suite('Postgres', async () => ({ db: await getDb(), close: closeDb }));
suite('PGlite (in-process)', () => openTestPglite(fs.mkdtempSync(path.join(os.tmpdir(), 'hs-pglite-'))));
