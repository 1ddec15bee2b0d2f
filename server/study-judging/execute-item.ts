/**
 * Judges one participant of a study judging run: reads the participant's transcript, document pane and
 * pre-chat answers, runs the benchmark's judge (extraction only when the pane is empty), and stores the
 * scores, the item's completion and the tokens spent in one transaction fenced by the job's lease.
 *
 * Idempotent: scores are keyed (participant, judge label, metric) and upserted, so an item re-run after a
 * crash, a retry, or a new run with the same judge leaves exactly one score per metric; another judge's
 * label adds its own rows. Errors propagate to the queue (`isTerminalError` decides whether a retry can help).
 */
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../../db';
import { schema } from '../../db';
import { classifyFailure, isCancellation, isTerminalError, type FailureStage } from '../benchmarks/errors';
import { resolveJudge } from '../benchmarks/judges';
import { requestSeed } from '../benchmarks/persona';
import { addUsage, zeroUsage } from '../benchmarks/types';
import { holdsLease, leaseHeld, type JobLease } from '../jobs/queue';
import { logger } from '../lib/logger';
import { notFound } from '../services/errors';
import { judgeCostUsd, judgeIdentity, studyJudgeConfigSchema } from './config';
import { failJudgeItem } from './lifecycle';
import { judgeInputForParticipant, type ParticipantMaterial } from './material';

const { studyJudgeRuns, studyJudgeItems, studyJudgeScores, studyJudgeUsage } = schema;

export interface JudgeItemResult {
  status: 'completed' | 'skipped' | 'failed';
}

/** Everything the judge reads of one participant, from the version the participant saw. */
export async function loadParticipantMaterial(db: Database, participantId: string): Promise<ParticipantMaterial> {
  const p = schema.participants;
  const [participant] = await db.select().from(p).where(eq(p.id, participantId));
  if (!participant) throw notFound('The participant');
  const [conversation] = await db.select({ id: schema.conversations.id }).from(schema.conversations).where(eq(schema.conversations.participantId, participantId));
  const [messages, [survey], [draft], [version]] = await Promise.all([
    conversation
      ? db
          .select({ role: schema.messages.role, content: schema.messages.content, status: schema.messages.status })
          .from(schema.messages)
          .where(eq(schema.messages.conversationId, conversation.id))
          .orderBy(asc(schema.messages.seq))
      : Promise.resolve([]),
    db.select({ finalDocument: schema.surveyResponses.finalDocument }).from(schema.surveyResponses).where(eq(schema.surveyResponses.participantId, participantId)),
    db
      .select({ content: schema.documentDrafts.content })
      .from(schema.documentDrafts)
      .where(eq(schema.documentDrafts.participantId, participantId))
      .orderBy(desc(schema.documentDrafts.createdAt), desc(schema.documentDrafts.id))
      .limit(1),
    db.select({ config: schema.studyVersions.config }).from(schema.studyVersions).where(eq(schema.studyVersions.id, participant.studyVersionId)),
  ]);
  const config = version?.config;
  const answers = participant.topicAnswers ?? {};
  return {
    messages,
    documentType: participant.documentType,
    documentTypeLabel: config?.documentTypes.find((d) => d.key === participant.documentType)?.label ?? null,
    topicLabel: config?.topics.find((t) => t.id === participant.topicId)?.label ?? participant.topicId,
    setupAnswers: (config?.topicQuestions ?? []).map((q) => ({ prompt: q.prompt, answer: answers[q.id] ?? null })),
    surveyDocument: survey?.finalDocument ?? null,
    latestDraft: draft?.content ?? null,
  };
}

export async function executeStudyJudgeItem(
  db: Database,
  itemId: string,
  opts: { signal?: AbortSignal; lease?: JobLease } = {},
): Promise<JudgeItemResult> {
  const [row] = await db
    .select({ item: studyJudgeItems, run: studyJudgeRuns })
    .from(studyJudgeItems)
    .innerJoin(studyJudgeRuns, eq(studyJudgeRuns.id, studyJudgeItems.runId))
    .where(eq(studyJudgeItems.id, itemId));
  if (!row) throw notFound('Judging item');
  const { item, run } = row;
  if (item.status === 'completed' || item.status === 'cancelled' || item.status === 'failed' || (run.status !== 'queued' && run.status !== 'running'))
    return { status: 'skipped' };
  const config = studyJudgeConfigSchema.parse(run.config);

  // Claim the attempt, only while this job attempt holds its lease.
  const claimed = await db
    .update(studyJudgeItems)
    .set({ status: 'running', attempts: sql`${studyJudgeItems.attempts} + 1`, startedAt: new Date(), finishedAt: null, failure: null })
    .where(and(eq(studyJudgeItems.id, itemId), inArray(studyJudgeItems.status, ['pending', 'running']), opts.lease ? leaseHeld(opts.lease) : undefined))
    .returning({ id: studyJudgeItems.id });
  if (claimed.length === 0) return { status: 'skipped' };

  const usage = zeroUsage();
  const { label, promptVersion } = judgeIdentity(config.judge);
  let stage: FailureStage = 'setup';
  try {
    const material = await loadParticipantMaterial(db, item.participantId);
    const { input, documentSource } = judgeInputForParticipant(material);
    if (input.history.length === 0) {
      // Nothing to judge; only this participant fails, the run goes on.
      await failJudgeItem(db, itemId, { stage: 'setup', reason: 'The participant has no complete messages to judge.' });
      return { status: 'failed' };
    }
    stage = 'judge';
    const judge = await resolveJudge(db, config.judge);
    // A fixed sampling seed per participant: judging the same participant again asks the same way.
    const judged = await judge.judge(input, { signal: opts.signal, seed: judge.isDemo ? undefined : requestSeed(`study-judge:${item.participantId}`, 'judge') });
    addUsage(usage, judged.usage);

    const stored = await db.transaction(async (tx) => {
      if (opts.lease && !(await holdsLease(tx, opts.lease))) return false;
      const [done] = await tx
        .update(studyJudgeItems)
        .set({ status: 'completed', finalDocument: judged.finalDocument, documentSource, finishedAt: new Date(), failure: null })
        .where(and(eq(studyJudgeItems.id, itemId), eq(studyJudgeItems.status, 'running')))
        .returning({ id: studyJudgeItems.id });
      if (!done) return false;
      const now = new Date();
      if (judged.scores.length > 0)
        await tx
          .insert(studyJudgeScores)
          .values(
            judged.scores.map((s) => ({
              itemId,
              participantId: item.participantId,
              judge: judge.label,
              promptVersion,
              metric: s.metric,
              value: s.value,
              rationale: s.rationale ?? null,
              details: { ...(s.details ?? {}), documentSource },
              createdAt: now,
            })),
          )
          .onConflictDoUpdate({
            target: [studyJudgeScores.participantId, studyJudgeScores.judge, studyJudgeScores.metric],
            set: {
              itemId: sql`excluded.item_id`,
              promptVersion: sql`excluded.prompt_version`,
              value: sql`excluded.value`,
              rationale: sql`excluded.rationale`,
              details: sql`excluded.details`,
              createdAt: sql`excluded.created_at`,
            },
          });
      await recordJudgeUsage(tx, run.id, itemId, config.pricing, usage);
      return true;
    });
    if (!stored) {
      // The attempt lost its job (or the run was cancelled): its tokens were still spent.
      await recordJudgeUsage(db, run.id, itemId, config.pricing, usage);
      return { status: 'skipped' };
    }
    return { status: 'completed' };
  } catch (err) {
    await recordJudgeUsage(db, run.id, itemId, config.pricing, usage).catch((e: unknown) => logger.warn('could not add usage of a failed judging item', { error: String(e) }));
    const cancelled = isCancellation(err);
    const message = cancelled ? 'Cancelled before it finished.' : err instanceof Error ? err.message : String(err);
    const category = classifyFailure(err, stage, label);
    await db
      .update(studyJudgeItems)
      .set({
        status: !cancelled && isTerminalError(err) ? 'failed' : 'pending',
        failure: { stage: category.stage, reason: `${category.reason}: ${message}`.slice(0, 2000), ...(category.judge && { judge: category.judge }) },
        finishedAt: new Date(),
      })
      .where(and(eq(studyJudgeItems.id, itemId), eq(studyJudgeItems.status, 'running'), opts.lease ? leaseHeld(opts.lease) : undefined))
      .catch((e: unknown) => logger.warn('could not record a failed judging item', { error: String(e) }));
    throw err;
  }
}

/** Appends one attempt's tokens to the run's ledger (nothing when it spent none, e.g. the demo-judge). */
async function recordJudgeUsage(
  db: Pick<Database, 'insert'>,
  runId: string,
  itemId: string,
  pricing: Parameters<typeof judgeCostUsd>[0],
  usage: { promptTokens: number; completionTokens: number },
): Promise<void> {
  if (usage.promptTokens === 0 && usage.completionTokens === 0) return;
  await db.insert(studyJudgeUsage).values({
    runId,
    itemId,
    promptTokens: usage.promptTokens,
    completionTokens: usage.completionTokens,
    estimatedCostUsd: judgeCostUsd(pricing, usage),
  });
}
