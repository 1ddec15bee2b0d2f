/**
 * Where a participant's time went. Pure: plain data in, numbers out; `now` closes whatever is
 * still open, so the same function serves the live monitor and the final export.
 *
 * Definitions
 * - Total time ("time spent" in the paper): from the first stage entry to entering `done`. Without
 *   a `done` visit it runs to `now` while a stage is open, else to the last recorded exit.
 * - Stage time: the sum of the stage's visits. Visits are ordered by entry time and never overlap:
 *   each visit ends at the earliest of its exit, the next visit's entry and `now` (a missing exit is
 *   closed by the next entry; a still-open last visit runs to `now`). Time after `done` is not counted,
 *   so the stage times add up to at most the total.
 * - Waiting for the model: for every participant message, from its creation to the completion of
 *   the first assistant message after it (a reply still generating runs to `now`; a message with
 *   no reply waits until the chat ends). Intervals are merged (a double send is not counted twice)
 *   and clipped to the chat visits. The participant's own chat time is chat time minus waiting.
 * - Attention: each heartbeat covers `intervalMs` before it (already capped by the server) of its
 *   stage: blurred when the page was not focused, idle when focused but idle, otherwise focused.
 *   Heartbeats that arrived while waiting for the model are also reported separately for the chat.
 *   Sums do not depend on arrival order. Coverage (observedMs vs stage time) shows missing beats.
 */

export const timedStages = ['consent', 'instructions', 'setup', 'chat', 'survey'] as const;
export type TimedStage = (typeof timedStages)[number];
export type StageName = TimedStage | 'done';

export interface StageVisitInput {
  stage: StageName;
  enteredAt: Date;
  leftAt: Date | null;
}

export interface HeartbeatInput {
  stage: StageName;
  focused: boolean;
  idle: boolean;
  intervalMs: number;
  waitingForModel?: boolean;
}

export interface MessageInput {
  role: 'system' | 'user' | 'assistant';
  createdAt: Date;
  completedAt: Date | null;
  status?: 'complete' | 'generating' | 'failed' | 'interrupted';
  /** Order within the conversation; when every message has one it takes precedence over createdAt. */
  seq?: number;
}

export interface AttentionMs {
  focusedMs: number;
  blurredMs: number;
  idleMs: number;
  /** focused + blurred + idle: the time heartbeats account for. */
  observedMs: number;
}

export type TimingWarning =
  | 'no_stage_visits'
  | 'visit_without_exit_closed_by_next'
  | 'overlapping_visits'
  | 'invalid_timestamp_ignored'
  | 'reply_without_completion_time'
  | 'message_without_reply'
  | 'invalid_heartbeat_ignored';

export interface ParticipantTimeSummary {
  startedAt: Date | null;
  endedAt: Date | null;
  /** True when the participant reached `done`. */
  finished: boolean;
  totalMs: number;
  stageMs: Record<TimedStage, number>;
  chat: {
    totalMs: number;
    waitingForModelMs: number;
    ownMs: number;
    participantMessages: number;
  };
  attention: AttentionMs & {
    byStage: Record<TimedStage, AttentionMs>;
    /** Chat heartbeats split by whether the participant was waiting for the model. */
    chatOwn: AttentionMs;
    chatWaiting: AttentionMs;
  };
  /** Data problems that were worked around (each listed once). */
  warnings: TimingWarning[];
}

type Interval = readonly [start: number, end: number];

const isValidDate = (d: Date | null | undefined): d is Date => d instanceof Date && Number.isFinite(d.getTime());
const isTimedStage = (s: string): s is TimedStage => (timedStages as readonly string[]).includes(s);

function emptyAttention(): AttentionMs {
  return { focusedMs: 0, blurredMs: 0, idleMs: 0, observedMs: 0 };
}

function addBeat(into: AttentionMs, beat: HeartbeatInput, ms: number) {
  if (!beat.focused) into.blurredMs += ms;
  else if (beat.idle) into.idleMs += ms;
  else into.focusedMs += ms;
  into.observedMs += ms;
}

/** Sorted, non-overlapping union of intervals. */
function mergeIntervals(intervals: Interval[]): Interval[] {
  const sorted = intervals.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/** Total length of the overlap between two sets of merged intervals. */
function overlapMs(a: Interval[], b: Interval[]): number {
  let total = 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const start = Math.max(a[i]![0], b[j]![0]);
    const end = Math.min(a[i]![1], b[j]![1]);
    if (end > start) total += end - start;
    if (a[i]![1] < b[j]![1]) i++;
    else j++;
  }
  return total;
}

export function summarizeParticipantTime(input: {
  stageVisits: readonly StageVisitInput[];
  heartbeats: readonly HeartbeatInput[];
  messages: readonly MessageInput[];
  now: Date;
}): ParticipantTimeSummary {
  const now = input.now.getTime();
  const warnings = new Set<TimingWarning>();

  // Stage visits → non-overlapping intervals up to `done`.
  const visits = input.stageVisits
    .filter((v) => {
      const ok = isValidDate(v.enteredAt) && (v.leftAt === null || isValidDate(v.leftAt));
      if (!ok) warnings.add('invalid_timestamp_ignored');
      return ok;
    })
    .map((v, order) => ({ ...v, order }))
    .sort((a, b) => a.enteredAt.getTime() - b.enteredAt.getTime() || a.order - b.order);
  if (visits.length === 0) warnings.add('no_stage_visits');

  const doneIndex = visits.findIndex((v) => v.stage === 'done');
  const startedAt = visits.length > 0 ? visits[0]!.enteredAt : null;
  const stageIntervals: { stage: TimedStage; interval: Interval }[] = [];
  let lastExit = startedAt?.getTime() ?? 0;
  let anyOpen = false;
  const counted = doneIndex === -1 ? visits : visits.slice(0, doneIndex);
  counted.forEach((visit, i) => {
    const start = visit.enteredAt.getTime();
    const next = visits[i + 1];
    let end = visit.leftAt?.getTime() ?? now;
    if (next) {
      const nextStart = next.enteredAt.getTime();
      if (visit.leftAt === null) warnings.add('visit_without_exit_closed_by_next');
      else if (end > nextStart) warnings.add('overlapping_visits');
      end = Math.min(end, nextStart);
    } else if (visit.leftAt === null) {
      anyOpen = true;
    }
    end = Math.min(end, now);
    lastExit = Math.max(lastExit, end);
    if (isTimedStage(visit.stage)) stageIntervals.push({ stage: visit.stage, interval: [start, Math.max(start, end)] });
  });

  let endedAt: Date | null = null;
  if (doneIndex !== -1) endedAt = visits[doneIndex]!.enteredAt;
  else if (startedAt) endedAt = new Date(anyOpen ? now : lastExit);
  const totalMs = startedAt && endedAt ? Math.max(0, endedAt.getTime() - startedAt.getTime()) : 0;

  const stageMs = Object.fromEntries(timedStages.map((s) => [s, 0])) as Record<TimedStage, number>;
  for (const { stage, interval } of stageIntervals) stageMs[stage] += interval[1] - interval[0];

  // Waiting for the model, clipped to the chat visits.
  const chatWindows = mergeIntervals(stageIntervals.filter((v) => v.stage === 'chat').map((v) => v.interval));
  const chatEnd = chatWindows.length > 0 ? chatWindows[chatWindows.length - 1]![1] : now;
  const validMessages = input.messages.filter((m) => {
    const ok = isValidDate(m.createdAt) && (m.completedAt === null || isValidDate(m.completedAt));
    if (!ok) warnings.add('invalid_timestamp_ignored');
    return ok;
  });
  const bySeq = validMessages.every((m) => typeof m.seq === 'number');
  const ordered = validMessages
    .map((m, order) => ({ ...m, order }))
    .sort((a, b) =>
      bySeq ? a.seq! - b.seq! : a.createdAt.getTime() - b.createdAt.getTime() || a.order - b.order,
    );
  const waits: Interval[] = [];
  let participantMessages = 0;
  ordered.forEach((m, i) => {
    if (m.role !== 'user') return;
    participantMessages++;
    const reply = ordered.slice(i + 1).find((r) => r.role === 'assistant');
    let end: number;
    if (!reply) {
      warnings.add('message_without_reply');
      end = chatEnd;
    } else if (reply.completedAt) {
      end = reply.completedAt.getTime();
    } else if (reply.status === 'generating') {
      end = now;
    } else {
      // A finished reply without its completion time: the start of generation is the last thing known.
      warnings.add('reply_without_completion_time');
      end = reply.createdAt.getTime();
    }
    waits.push([m.createdAt.getTime(), Math.min(end, now)]);
  });
  const waitingForModelMs = overlapMs(mergeIntervals(waits), chatWindows);

  // Heartbeats.
  const attention = {
    ...emptyAttention(),
    byStage: Object.fromEntries(timedStages.map((s) => [s, emptyAttention()])) as Record<TimedStage, AttentionMs>,
    chatOwn: emptyAttention(),
    chatWaiting: emptyAttention(),
  };
  for (const beat of input.heartbeats) {
    if (!Number.isFinite(beat.intervalMs) || beat.intervalMs < 0) {
      warnings.add('invalid_heartbeat_ignored');
      continue;
    }
    if (!isTimedStage(beat.stage)) continue;
    addBeat(attention, beat, beat.intervalMs);
    addBeat(attention.byStage[beat.stage], beat, beat.intervalMs);
    if (beat.stage === 'chat') addBeat(beat.waitingForModel ? attention.chatWaiting : attention.chatOwn, beat, beat.intervalMs);
  }

  return {
    startedAt,
    endedAt,
    finished: doneIndex !== -1,
    totalMs,
    stageMs,
    chat: {
      totalMs: stageMs.chat,
      waitingForModelMs,
      ownMs: stageMs.chat - waitingForModelMs,
      participantMessages,
    },
    attention,
    warnings: [...warnings],
  };
}
