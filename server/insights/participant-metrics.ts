/**
 * Keeps the participant_metrics cache current. Token counts and time decomposition need every message
 * and heartbeat of a participant, far too much to recompute for 10,000 participants on each dashboard
 * load, so they are computed once per participant and recomputed only when the participant has been
 * active since (participants.last_seen_at moves on every heartbeat, message and stage change).
 */
import { and, asc, eq, exists, gte, inArray, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { DbExecutor } from '../../db';
import { schema } from '../../db';
import { countTokens } from '../metrics';
import { participantScope, type DatasetFilter } from './dataset';
import { participantTime } from './time';

/** Bump when the computation changes: every cached row is then recomputed on the next load. */
export const METRICS_ALGORITHM = 'pm-3';
// Small batches keep a budgeted request close to its budget (the budget is checked between batches).
const BATCH = 100;

export async function staleParticipantIds(db: DbExecutor, filter: DatasetFilter): Promise<string[]> {
  const p = schema.participants;
  const pm = schema.participantMetrics;
  const rows = await db
    .select({ id: p.id })
    .from(p)
    .leftJoin(pm, eq(pm.participantId, p.id))
    .where(
      and(
        participantScope(filter),
        or(
          isNull(pm.participantId),
          ne(pm.algorithm, METRICS_ALGORITHM),
          // Postgres keeps microseconds, JavaScript dates milliseconds: compare at the precision that was stored.
          lt(pm.sourceSeenAt, sql`date_trunc('milliseconds', ${p.lastSeenAt})`),
          // A reply can finish after the participant's last heartbeat; recheck in-progress sessions for a while.
          and(isNull(p.outcome), lt(pm.computedAt, sql`${p.lastSeenAt} + interval '5 minutes'`)),
          // Submitting a rating does not touch last_seen_at; a rating newer than the row makes it stale
          // (an index probe per participant on ratings' (participant_id, after_turn) index).
          exists(
            db
              .select({ one: sql`1` })
              .from(schema.ratings)
              .where(and(eq(schema.ratings.participantId, p.id), gte(schema.ratings.createdAt, pm.computedAt))),
          ),
        ),
      ),
    );
  return rows.map((r) => r.id);
}

// `now` is taken before reading, so a rating stored while this runs is newer than computed_at and triggers a recompute.
export async function computeParticipantMetrics(db: DbExecutor, participantIds: string[], now = new Date()) {
  if (!participantIds.length) return [];
  const p = schema.participants;
  const c = schema.conversations;
  const m = schema.messages;
  const [people, messages, visits, beats, ratings] = await Promise.all([
    db
      .select({ id: p.id, studyId: p.studyId, lastSeenAt: p.lastSeenAt, finishedAt: p.finishedAt })
      .from(p)
      .where(inArray(p.id, participantIds)),
    db
      .select({
        participantId: c.participantId,
        role: m.role,
        content: m.content,
        status: m.status,
        createdAt: m.createdAt,
        completedAt: m.completedAt,
        ttftMs: m.ttftMs,
        generationMs: m.generationMs,
      })
      .from(m)
      .innerJoin(c, eq(c.id, m.conversationId))
      .where(inArray(c.participantId, participantIds))
      .orderBy(asc(m.seq)),
    db
      .select({
        participantId: schema.stageVisits.participantId,
        stage: schema.stageVisits.stage,
        enteredAt: schema.stageVisits.enteredAt,
        leftAt: schema.stageVisits.leftAt,
      })
      .from(schema.stageVisits)
      .where(inArray(schema.stageVisits.participantId, participantIds))
      .orderBy(asc(schema.stageVisits.enteredAt)),
    db
      .select({
        participantId: schema.heartbeats.participantId,
        stage: schema.heartbeats.stage,
        focused: schema.heartbeats.focused,
        idle: schema.heartbeats.idle,
        intervalMs: schema.heartbeats.intervalMs,
        waitingForModel: schema.heartbeats.waitingForModel,
        receivedAt: schema.heartbeats.receivedAt,
      })
      .from(schema.heartbeats)
      .where(inArray(schema.heartbeats.participantId, participantIds))
      .orderBy(asc(schema.heartbeats.receivedAt)),
    db
      .select({ participantId: schema.ratings.participantId, afterTurn: schema.ratings.afterTurn, value: schema.ratings.value })
      .from(schema.ratings)
      .where(inArray(schema.ratings.participantId, participantIds))
      .orderBy(asc(schema.ratings.afterTurn)),
  ]);
  const group = <T extends { participantId: string | null }>(list: T[]) => {
    const map = new Map<string, T[]>();
    for (const item of list) {
      if (!item.participantId) continue;
      let l = map.get(item.participantId);
      if (!l) map.set(item.participantId, (l = []));
      l.push(item);
    }
    return map;
  };
  const messagesBy = group(messages);
  const visitsBy = group(visits);
  const beatsBy = group(beats);
  const ratingsBy = group(ratings);

  return people.map((person) => {
    const own = messagesBy.get(person.id) ?? [];
    let turns = 0;
    let assistantReplies = 0;
    let tokensRead = 0;
    let tokensTyped = 0;
    for (const msg of own) {
      if (msg.role === 'user') {
        turns++;
        tokensTyped += countTokens(msg.content);
      } else if (msg.role === 'assistant' && msg.status === 'complete') {
        assistantReplies++;
        tokensRead += countTokens(msg.content);
      }
    }
    const time = participantTime({
      stageVisits: visitsBy.get(person.id) ?? [],
      heartbeats: beatsBy.get(person.id) ?? [],
      messages: own,
      // A session's clock stops at its end, or at its last sign of life for dropouts.
      now: person.finishedAt ?? (person.lastSeenAt < now ? person.lastSeenAt : now),
    });
    const ownRatings = ratingsBy.get(person.id) ?? [];
    return {
      participantId: person.id,
      studyId: person.studyId,
      ratingTurns: ownRatings.map((r) => r.afterTurn),
      ratingValues: ownRatings.map((r) => r.value),
      turns,
      assistantReplies,
      tokensRead,
      tokensTyped,
      totalTimeSec: time?.totalSec ?? null,
      activeTimeSec: time?.activeSec ?? null,
      modelWaitSec: time?.modelWaitSec ?? null,
      algorithm: METRICS_ALGORITHM,
      sourceSeenAt: person.lastSeenAt,
      computedAt: now,
    };
  });
}

/**
 * Recomputes stale rows in batches until done or until `budgetMs` has passed (checked between batches), so a
 * dashboard request never blocks for minutes on a large study's first load: the rest is done by the next
 * requests, and the dashboard reports how many are still pending.
 */
export async function refreshParticipantMetrics(
  db: DbExecutor,
  filter: DatasetFilter,
  opts: { budgetMs?: number } = {},
): Promise<{ refreshed: number; pending: number }> {
  const started = Date.now();
  const budget = opts.budgetMs ?? Infinity;
  const stale = await staleParticipantIds(db, filter);
  const pm = schema.participantMetrics;
  let refreshed = 0;
  for (let i = 0; i < stale.length; i += BATCH) {
    if (i > 0 && Date.now() - started > budget) break;
    const rows = await computeParticipantMetrics(db, stale.slice(i, i + BATCH));
    refreshed += rows.length;
    if (!rows.length) continue;
    await db
      .insert(pm)
      .values(rows)
      .onConflictDoUpdate({
        target: pm.participantId,
        set: {
          turns: sql`excluded.turns`,
          ratingTurns: sql`excluded.rating_turns`,
          ratingValues: sql`excluded.rating_values`,
          assistantReplies: sql`excluded.assistant_replies`,
          tokensRead: sql`excluded.tokens_read`,
          tokensTyped: sql`excluded.tokens_typed`,
          totalTimeSec: sql`excluded.total_time_sec`,
          activeTimeSec: sql`excluded.active_time_sec`,
          modelWaitSec: sql`excluded.model_wait_sec`,
          algorithm: sql`excluded.algorithm`,
          sourceSeenAt: sql`excluded.source_seen_at`,
          computedAt: sql`excluded.computed_at`,
        },
      });
  }
  return { refreshed, pending: stale.length - refreshed };
}
