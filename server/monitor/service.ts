/**
 * Live monitor: who is where right now, and who needs attention (no heartbeat for a while, or a reply
 * that has been generating too long). Read-only, a few grouped queries per call, cheap enough to poll
 * every 2 seconds from each open monitor tab.
 */
import { and, count, desc, eq, inArray, isNull, min } from 'drizzle-orm';
import type { DbExecutor } from '../../db';
import { schema } from '../../db';
import { loadStudyOverview } from '../insights/study-access';
import type { Outcome, Stage } from '../insights/dataset';

export interface MonitorOptions {
  studyId: string;
  /** A participant without a heartbeat for this long is flagged idle. */
  idleMinutes: number;
  /** A reply still generating after this long is flagged stuck. */
  stuckReplySeconds: number;
  now?: Date;
  /** Most participants listed (most recently active first); counts always cover everyone. */
  limit?: number;
}

export interface MonitorParticipant {
  participantId: string;
  externalId: string | null;
  source: string;
  isPreview: boolean;
  armKey: string | null;
  stage: Stage;
  turns: number;
  startedAt: Date;
  lastSeenAt: Date;
  lastHeartbeatAt: Date | null;
  lastHeartbeatFocused: boolean | null;
  lastHeartbeatIdle: boolean | null;
  generatingSince: Date | null;
  flags: ('idle' | 'stuck_reply' | 'unfocused')[];
}

export interface MonitorSnapshot {
  generatedAt: Date;
  arms: { key: string; label: string }[];
  /** Non-preview participants by arm ("unassigned" before randomization) and by stage or outcome. */
  counts: { armKey: string; active: Partial<Record<Stage, number>>; finished: Partial<Record<Outcome, number>>; activeTotal: number }[];
  totals: { active: number; finished: number; needingAttention: number };
  participants: MonitorParticipant[];
  listTruncated: boolean;
}

export const UNASSIGNED = 'unassigned';

export async function monitorSnapshot(db: DbExecutor, opts: MonitorOptions): Promise<MonitorSnapshot> {
  const now = opts.now ?? new Date();
  const limit = opts.limit ?? 300;
  const study = await loadStudyOverview(db, opts.studyId);
  const p = schema.participants;

  const grouped = await db
    .select({ armKey: p.armKey, stage: p.stage, outcome: p.outcome, n: count() })
    .from(p)
    .where(and(eq(p.studyId, opts.studyId), eq(p.isPreview, false), isNull(p.pilotId)))
    .groupBy(p.armKey, p.stage, p.outcome);

  const countsByArm = new Map<string, MonitorSnapshot['counts'][number]>();
  const bucket = (armKey: string) => {
    let c = countsByArm.get(armKey);
    if (!c) countsByArm.set(armKey, (c = { armKey, active: {}, finished: {}, activeTotal: 0 }));
    return c;
  };
  for (const arm of study.arms) bucket(arm.key);
  let activeTotal = 0;
  let finishedTotal = 0;
  for (const g of grouped) {
    const c = bucket(g.armKey ?? UNASSIGNED);
    if (g.outcome === null) {
      c.active[g.stage] = (c.active[g.stage] ?? 0) + g.n;
      c.activeTotal += g.n;
      activeTotal += g.n;
    } else {
      c.finished[g.outcome] = (c.finished[g.outcome] ?? 0) + g.n;
      finishedTotal += g.n;
    }
  }

  const activeRows = await db
    .select({
      participantId: p.id,
      externalId: p.externalId,
      source: p.source,
      isPreview: p.isPreview,
      armKey: p.armKey,
      stage: p.stage,
      startedAt: p.createdAt,
      lastSeenAt: p.lastSeenAt,
    })
    .from(p)
    // Previews are listed (flagged); simulated pilot participants have their own page and are never listed here.
    .where(and(eq(p.studyId, opts.studyId), isNull(p.outcome), isNull(p.pilotId)))
    .orderBy(desc(p.lastSeenAt))
    .limit(limit + 1);
  const listTruncated = activeRows.length > limit;
  const listed = activeRows.slice(0, limit);
  const ids = listed.map((r) => r.participantId);

  const turnsBy = new Map<string, number>();
  const generatingBy = new Map<string, Date>();
  const heartbeatBy = new Map<string, { at: Date; focused: boolean; idle: boolean }>();
  if (ids.length) {
    const c = schema.conversations;
    const m = schema.messages;
    const h = schema.heartbeats;
    const [turnRows, generatingRows, lastBeats] = await Promise.all([
      db
        .select({ participantId: c.participantId, turns: count() })
        .from(m)
        .innerJoin(c, eq(c.id, m.conversationId))
        .where(and(inArray(c.participantId, ids), eq(m.role, 'user')))
        .groupBy(c.participantId),
      db
        .select({ participantId: c.participantId, since: min(m.createdAt) })
        .from(m)
        .innerJoin(c, eq(c.id, m.conversationId))
        .where(and(inArray(c.participantId, ids), eq(m.status, 'generating')))
        .groupBy(c.participantId),
      // Latest heartbeat per participant: DISTINCT ON uses the (participant_id, received_at) index.
      db
        .selectDistinctOn([h.participantId], {
          participantId: h.participantId,
          at: h.receivedAt,
          focused: h.focused,
          idle: h.idle,
        })
        .from(h)
        .where(inArray(h.participantId, ids))
        .orderBy(h.participantId, desc(h.receivedAt)),
    ]);
    for (const t of turnRows) if (t.participantId) turnsBy.set(t.participantId, t.turns);
    for (const g of generatingRows) if (g.participantId && g.since) generatingBy.set(g.participantId, g.since);
    for (const b of lastBeats) heartbeatBy.set(b.participantId, { at: b.at, focused: b.focused, idle: b.idle });
  }

  const idleMs = opts.idleMinutes * 60_000;
  const stuckMs = opts.stuckReplySeconds * 1000;
  const participants: MonitorParticipant[] = listed.map((row) => {
    const beat = heartbeatBy.get(row.participantId) ?? null;
    const generatingSince = generatingBy.get(row.participantId) ?? null;
    const lastSignal = beat ? Math.max(beat.at.getTime(), row.lastSeenAt.getTime()) : row.lastSeenAt.getTime();
    const flags: MonitorParticipant['flags'] = [];
    if (now.getTime() - lastSignal > idleMs || beat?.idle) flags.push('idle');
    if (generatingSince && now.getTime() - generatingSince.getTime() > stuckMs) flags.push('stuck_reply');
    if (beat && !beat.focused) flags.push('unfocused');
    return {
      ...row,
      turns: turnsBy.get(row.participantId) ?? 0,
      lastHeartbeatAt: beat?.at ?? null,
      lastHeartbeatFocused: beat?.focused ?? null,
      lastHeartbeatIdle: beat?.idle ?? null,
      generatingSince,
      flags,
    };
  });

  return {
    generatedAt: now,
    arms: study.arms,
    counts: [...countsByArm.values()],
    totals: {
      active: activeTotal,
      finished: finishedTotal,
      needingAttention: participants.filter((x) => !x.isPreview && (x.flags.includes('idle') || x.flags.includes('stuck_reply'))).length,
    },
    participants,
    listTruncated,
  };
}
