/**
 * The pilot page's read: progress (per arm planned / finished / failed / running), queue state, tokens and
 * cost, the simulated participants with their outcomes, and per-arm outcomes that exist without judges
 * (the simulated participants' survey ratings and in-chat ratings, turns, and time and tokens read computed as
 * the results page computes them for people).
 * Reads only the pilot's own participants (`participants.pilot_id`), never the study's real ones.
 */
import { and, avg, desc, eq, inArray, isNotNull, sql, sum } from 'drizzle-orm';
import type { Database } from '../../db';
import { schema } from '../../db';
import { requireRole } from '../auth/roles';
import { estimateCostUsd } from '../benchmarks/run-config';
import { countGroupJobs } from '../jobs/queue';
import { getTranscript } from '../insights/transcripts';
import { computeParticipantMetrics } from '../insights/participant-metrics';
import type { ServiceContext } from '../services/context';
import { notFound } from '../services/errors';
import { describe, type Description } from '../stats';
import { parsePilotConfig } from './config';
import { pilotGroupKey } from './lifecycle';
import { requirePilot, summarizePilot } from './service';

const { participants: P, conversations: C, messages: M, surveyResponses: S, ratings: R, jobs } = schema;

export const PILOT_OUTCOMES = ['documentQuality', 'overallInteraction', 'meanRating', 'turns', 'totalTimeSec', 'tokensRead'] as const;
export type PilotOutcome = (typeof PILOT_OUTCOMES)[number];

export interface PilotParticipantRow {
  id: string;
  index: number;
  armKey: string | null;
  plannedArmKey: string | null;
  documentType: string | null;
  topicId: string | null;
  stage: string;
  outcome: string | null;
  failure: string | null;
  turns: number;
  documentQuality: number | null;
  overallInteraction: number | null;
  meanRating: number | null;
  totalTimeSec: number | null;
  tokensRead: number;
}

function sorted(values: (number | null)[]): number[] {
  return values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
}

export async function pilotDetail(ctx: ServiceContext, input: { studyId: string; pilotId: string }) {
  requireRole(ctx.actor, 'viewer');
  const db = ctx.db;
  const pilot = await requirePilot(db, input);
  const config = parsePilotConfig(pilot.config);

  const [people, messageTotals, ratingMeans, jobCounts, retrying] = await Promise.all([
    db
      .select({
        id: P.id,
        externalParams: P.externalParams,
        armKey: P.armKey,
        plannedArmKey: P.previewArmKey,
        documentType: P.documentType,
        topicId: P.topicId,
        stage: P.stage,
        outcome: P.outcome,
        documentQuality: S.documentQuality,
        overallInteraction: S.overallInteraction,
        simulatorUsage: sql<{ promptTokens?: number; completionTokens?: number } | null>`${C.metadata} -> 'pilotSimulatorUsage'`,
      })
      .from(P)
      .leftJoin(S, eq(S.participantId, P.id))
      .leftJoin(C, eq(C.participantId, P.id))
      .where(eq(P.pilotId, pilot.id)),
    db
      .select({
        participantId: C.participantId,
        userMessages: sql<number>`count(*) filter (where ${M.role} = 'user')`.mapWith(Number),
        promptTokens: sum(M.promptTokens).mapWith(Number),
        completionTokens: sum(M.completionTokens).mapWith(Number),
      })
      .from(M)
      .innerJoin(C, eq(C.id, M.conversationId))
      .innerJoin(P, eq(P.id, C.participantId))
      .where(eq(P.pilotId, pilot.id))
      .groupBy(C.participantId),
    db
      .select({ participantId: R.participantId, mean: avg(R.value).mapWith(Number) })
      .from(R)
      .innerJoin(P, eq(P.id, R.participantId))
      .where(eq(P.pilotId, pilot.id))
      .groupBy(R.participantId),
    countGroupJobs(db, pilotGroupKey(pilot.id)),
    db
      .select({ payload: jobs.payload, attempts: jobs.attempts, lastError: jobs.lastError })
      .from(jobs)
      .where(and(eq(jobs.groupKey, pilotGroupKey(pilot.id)), inArray(jobs.status, ['queued', 'active']), isNotNull(jobs.lastError)))
      .orderBy(desc(jobs.attempts))
      .limit(20),
  ]);

  const totals = new Map(messageTotals.map((t) => [t.participantId, t]));
  const meanRatings = new Map(ratingMeans.map((r) => [r.participantId, r.mean]));
  const assistant = { promptTokens: 0, completionTokens: 0 };
  const simulator = { promptTokens: 0, completionTokens: 0 };
  const rows: PilotParticipantRow[] = people
    .map((p) => {
      const t = p.id ? totals.get(p.id) : undefined;
      assistant.promptTokens += t?.promptTokens ?? 0;
      assistant.completionTokens += t?.completionTokens ?? 0;
      simulator.promptTokens += Number(p.simulatorUsage?.promptTokens ?? 0);
      simulator.completionTokens += Number(p.simulatorUsage?.completionTokens ?? 0);
      return {
        id: p.id,
        index: Number(p.externalParams.index ?? -1),
        armKey: p.armKey,
        plannedArmKey: p.plannedArmKey,
        documentType: p.documentType,
        topicId: p.topicId,
        stage: p.stage,
        outcome: p.outcome,
        failure: p.externalParams.failure ?? null,
        turns: t?.userMessages ?? 0,
        documentQuality: p.documentQuality,
        overallInteraction: p.overallInteraction,
        meanRating: meanRatings.get(p.id) ?? null,
        totalTimeSec: null as number | null,
        tokensRead: 0,
      };
    })
    .sort((a, b) => a.index - b.index);

  // Tokens read and time exactly as the study's results compute them for people (cl100k, stage visits), for
  // the finished ones; the metrics cache itself stays for real participants only.
  const finishedIds = rows.filter((r) => r.outcome).map((r) => r.id);
  const metrics = new Map((await computeParticipantMetrics(db, finishedIds)).map((m) => [m.participantId, m]));
  for (const r of rows) {
    const m = metrics.get(r.id);
    if (!m) continue;
    r.tokensRead = m.tokensRead;
    r.totalTimeSec = m.totalTimeSec;
  }

  const arms = config.arms.map((arm) => {
    const mine = rows.filter((r) => (r.armKey ?? r.plannedArmKey) === arm.key);
    const completed = mine.filter((r) => r.outcome === 'completed');
    const outcomes = Object.fromEntries(
      PILOT_OUTCOMES.map((o) => [o, describe(sorted(completed.map((r) => r[o] as number | null)))]),
    ) as Record<PilotOutcome, Description>;
    return {
      key: arm.key,
      label: arm.label,
      planned: config.participantsPerArm,
      completed: completed.length,
      otherOutcome: mine.filter((r) => r.outcome && r.outcome !== 'completed').length,
      failed: mine.filter((r) => !r.outcome && r.failure).length,
      inProgress: mine.filter((r) => !r.outcome && !r.failure).length,
      outcomes,
    };
  });
  const ended = rows.filter((r) => r.outcome || r.failure).length;
  const usage = { assistant, simulator };
  return {
    pilot: summarizePilot(pilot),
    config: { concurrency: config.concurrency, source: config.source, versionNumber: config.versionNumber, judge: config.judge },
    progress: { planned: config.participants, ended, fraction: config.participants ? ended / config.participants : 0 },
    jobs: jobCounts,
    retrying: retrying.map((j) => ({ index: Number((j.payload as { index?: number }).index ?? -1), attempts: j.attempts, error: j.lastError ?? '' })),
    usage,
    costUsd: config.pricing ? estimateCostUsd(config.pricing, usage) : null,
    arms,
    participants: rows,
    failures: rows.filter((r) => r.failure).map((r) => ({ index: r.index, armKey: r.armKey ?? r.plannedArmKey, error: r.failure! })),
  };
}

/** One pilot participant's transcript (the researcher transcript view's data), only through its pilot. */
export async function pilotTranscript(ctx: ServiceContext, input: { studyId: string; pilotId: string; participantId: string }) {
  requireRole(ctx.actor, 'viewer');
  await requirePilot(ctx.db, input);
  const [row] = await ctx.db
    .select({ id: P.id })
    .from(P)
    .where(and(eq(P.id, input.participantId), eq(P.pilotId, input.pilotId)));
  if (!row) throw notFound('The pilot participant');
  return getTranscript(ctx.db as Database, input.studyId, input.participantId);
}

