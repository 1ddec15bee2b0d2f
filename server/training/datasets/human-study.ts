/**
 * Datasets from a human study: the conversations of completed, non-excluded, non-preview participants,
 * filtered by arm, study version, final ratings and mean periodic rating; each assistant reply becomes a
 * turn (prompt = the chat before it) with the periodic rating given after it attached. Participants appear
 * only under the study export's pseudonym (HMAC of the participant id with a study-specific key); no
 * external id, topic answer or free text leaves the study. No model calls: built in one transaction.
 */
import { and, asc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import { schema } from '../../../db';
import { requireRole } from '../../auth/roles';
import { pseudonymize } from '../../exports/participant-scope';
import { recordAudit } from '../../services/audit';
import type { ServiceContext } from '../../services/context';
import { badRequest, notFound } from '../../services/errors';
import { appVersion } from '../app-version';
import { summarizeRewards } from '../reward';
import { datasetBaseSchema, humanStudySettingsSchema, type HumanStudySettings } from './settings';
import { splitAssignment } from './split';
import { datasetCounts } from './synthetic';
import { nextVersion } from './service';

const { participants, studyVersions, studies, surveyResponses, ratings, conversations, messages, trainingDatasets, trainingConversations, trainingTurns } = schema;

/** More than this many conversations is a job for an export, not one transaction. */
export const MAX_HUMAN_CONVERSATIONS = 5_000;
const PAGE = 100;

export interface CreateHumanStudyInput {
  name: string;
  splitSeed?: string;
  evalRatio?: number;
  settings: unknown;
}

interface Candidate {
  id: string;
  armKey: string | null;
  versionNumber: number;
  documentType: string | null;
  documentQuality: number | null;
  overallInteraction: number | null;
}

function passes(s: HumanStudySettings, c: Candidate, periodic: number[]): boolean {
  if (s.minDocumentQuality !== null && (c.documentQuality ?? 0) < s.minDocumentQuality) return false;
  if (s.minOverallInteraction !== null && (c.overallInteraction ?? 0) < s.minOverallInteraction) return false;
  if (s.minMeanPeriodicRating !== null) {
    if (periodic.length === 0) return false;
    if (summarizeRewards(periodic).mean < s.minMeanPeriodicRating) return false;
  }
  return true;
}

export async function createHumanStudyDataset(ctx: ServiceContext, input: CreateHumanStudyInput): Promise<{ datasetId: string; version: number; conversations: number }> {
  const actor = requireRole(ctx.actor, 'researcher');
  const base = datasetBaseSchema.safeParse(input);
  if (!base.success) throw badRequest(base.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const parsed = humanStudySettingsSchema.safeParse(input.settings);
  if (!parsed.success) throw badRequest(parsed.error.issues.map((i) => `settings.${i.path.join('.')}: ${i.message}`).join('; '));
  const settings = parsed.data;
  const [study] = await ctx.db.select({ id: studies.id }).from(studies).where(eq(studies.id, settings.studyId));
  if (!study) throw notFound('The study');

  return ctx.db.transaction(async (tx) => {
    const picked: { c: Candidate; periodic: { afterTurn: number; value: number }[] }[] = [];
    let after: string | null = null;
    for (;;) {
      const conditions = [
        eq(participants.studyId, settings.studyId),
        eq(participants.outcome, 'completed'),
        eq(participants.excluded, false),
        eq(participants.isPreview, false),
        isNull(participants.pilotId),
      ];
      if (after) conditions.push(gt(participants.id, after));
      if (settings.armKeys.length) conditions.push(inArray(participants.armKey, settings.armKeys));
      if (settings.versionIds.length) conditions.push(inArray(participants.studyVersionId, settings.versionIds));
      const page: Candidate[] = await tx
        .select({
          id: participants.id,
          armKey: participants.armKey,
          versionNumber: studyVersions.version,
          documentType: participants.documentType,
          documentQuality: surveyResponses.documentQuality,
          overallInteraction: surveyResponses.overallInteraction,
        })
        .from(participants)
        .innerJoin(studyVersions, eq(studyVersions.id, participants.studyVersionId))
        .leftJoin(surveyResponses, eq(surveyResponses.participantId, participants.id))
        .where(and(...conditions))
        .orderBy(asc(participants.id))
        .limit(PAGE);
      if (page.length === 0) break;
      after = page[page.length - 1]!.id;
      const rated = await tx
        .select({ participantId: ratings.participantId, afterTurn: ratings.afterTurn, value: ratings.value })
        .from(ratings)
        .where(inArray(ratings.participantId, page.map((p) => p.id)))
        .orderBy(asc(ratings.afterTurn));
      for (const c of page) {
        const periodic = rated.filter((r) => r.participantId === c.id).map((r) => ({ afterTurn: r.afterTurn, value: r.value }));
        if (passes(settings, c, periodic.map((p) => p.value))) picked.push({ c, periodic });
      }
      if (picked.length > MAX_HUMAN_CONVERSATIONS)
        throw badRequest(`More than ${MAX_HUMAN_CONVERSATIONS} conversations match; narrow the filters (arms, versions, ratings).`);
    }
    if (picked.length === 0) throw badRequest('No completed, non-excluded participant matches these filters.');

    const { name, splitSeed, evalRatio } = base.data;
    const version = await nextVersion(tx, name);
    const [dataset] = await tx
      .insert(trainingDatasets)
      .values({ name, version, sourceKind: 'human_study', status: 'generating', settings, seed: 'none', splitSeed, evalRatio, isDemo: false, appVersion: appVersion(), createdById: actor.id })
      .returning({ id: trainingDatasets.id });
    const datasetId = dataset!.id;
    const splits = splitAssignment(picked.length, evalRatio, splitSeed);
    let kept = 0;
    for (let start = 0; start < picked.length; start += PAGE) {
      const chunk = picked.slice(start, start + PAGE);
      const msgs = await tx
        .select({ participantId: conversations.participantId, seq: messages.seq, role: messages.role, content: messages.content, isDemoModel: messages.isDemoModel })
        .from(messages)
        .innerJoin(conversations, eq(conversations.id, messages.conversationId))
        .where(and(inArray(conversations.participantId, chunk.map((p) => p.c.id)), eq(messages.status, 'complete'), sql`${messages.role} <> 'system'`))
        .orderBy(asc(conversations.participantId), asc(messages.seq));
      for (const [i, { c, periodic }] of chunk.entries()) {
        const own = msgs.filter((m) => m.participantId === c.id).map((m) => ({ role: m.role as 'user' | 'assistant', content: m.content }));
        const idx = start + i;
        const turns: Omit<typeof trainingTurns.$inferInsert, 'conversationId'>[] = [];
        own.forEach((m, j) => {
          if (m.role !== 'assistant' || own[j - 1]?.role !== 'user') return;
          const turnIndex = turns.length;
          const rating = periodic.find((p) => p.afterTurn === turnIndex + 1);
          turns.push({
            datasetId,
            turnIndex,
            prompt: own.slice(0, j),
            completion: m.content,
            ratings: rating ? { periodic: rating.value, afterTurn: rating.afterTurn } : {},
          });
        });
        // A completed participant without a single reply has nothing to train on.
        if (turns.length === 0) continue;
        const [conv] = await tx
          .insert(trainingConversations)
          .values({
            datasetId,
            idx,
            split: splits[idx]!,
            status: 'completed',
            sourceRef: {
              participant: pseudonymize(settings.studyId, c.id),
              armKey: c.armKey,
              studyVersion: c.versionNumber,
              documentType: c.documentType,
              finalRatings: { documentQuality: c.documentQuality, overallInteraction: c.overallInteraction },
              periodicRatings: periodic,
            },
            messages: own,
            endReason: 'completed',
            finishedAt: sql`now()`,
          })
          .returning({ id: trainingConversations.id });
        await tx.insert(trainingTurns).values(turns.map((t) => ({ ...t, conversationId: conv!.id })));
        kept++;
      }
    }
    const counts = await datasetCounts(tx, datasetId);
    await tx.update(trainingDatasets).set({ status: 'ready', counts, finishedAt: sql`now()` }).where(eq(trainingDatasets.id, datasetId));
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: 'dataset.create',
      targetType: 'training_dataset',
      targetId: datasetId,
      details: { name, version, source: 'human_study', studyId: settings.studyId, conversations: kept },
    });
    return { datasetId, version, conversations: kept };
  });
}
