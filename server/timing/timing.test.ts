import { describe, expect, it } from 'vitest';
import { summarizeParticipantTime, type HeartbeatInput, type MessageInput, type StageVisitInput } from './index';

const t0 = Date.parse('2026-11-27T10:00:00Z');
/** A time `s` seconds after t0. */
const at = (s: number) => new Date(t0 + s * 1000);
const visit = (stage: StageVisitInput['stage'], enter: number, leave: number | null): StageVisitInput => ({
  stage,
  enteredAt: at(enter),
  leftAt: leave === null ? null : at(leave),
});
const msg = (
  role: MessageInput['role'],
  created: number,
  completed: number | null,
  extra: Partial<MessageInput> = {},
): MessageInput => ({ role, createdAt: at(created), completedAt: completed === null ? null : at(completed), ...extra });
const beat = (stage: HeartbeatInput['stage'], intervalMs: number, focused: boolean, idle: boolean, waitingForModel = false): HeartbeatInput => ({
  stage,
  intervalMs,
  focused,
  idle,
  waitingForModel,
});

describe('summarizeParticipantTime', () => {
  it('a complete session: stage times, model waiting and attention (hand-computed)', () => {
    const s = summarizeParticipantTime({
      stageVisits: [
        visit('consent', 0, 30),
        visit('instructions', 30, 90),
        visit('setup', 90, 150),
        visit('chat', 150, 750),
        visit('survey', 750, 870),
        visit('done', 870, null),
      ],
      messages: [
        msg('system', 150, 150, { seq: 0 }),
        msg('user', 160, 160, { seq: 1 }),
        msg('assistant', 161, 175, { seq: 2 }), // wait 160→175 = 15 s
        msg('user', 200, 200, { seq: 3 }),
        msg('user', 205, 205, { seq: 4 }), // double send: merged with the previous wait
        msg('assistant', 206, 230, { seq: 5 }), // wait 200→230 = 30 s
        msg('user', 300, 300, { seq: 6 }),
        msg('assistant', 301, 310, { seq: 7, status: 'failed' }), // the error shows at 310: wait 10 s
        msg('user', 740, 740, { seq: 8 }),
        msg('assistant', 741, 760, { seq: 9 }), // finishes after the chat ended at 750: wait 10 s
      ],
      heartbeats: [
        beat('consent', 15_000, true, false),
        beat('consent', 15_000, true, false),
        beat('chat', 20_000, true, false, true),
        beat('chat', 30_000, false, true), // not focused counts as blurred even if idle
        beat('chat', 5_000, true, true),
        beat('chat', 12_000, true, false),
        beat('survey', 60_000, true, false),
        beat('done', 5_000, true, false), // after the end: ignored
      ],
      now: at(5000),
    });

    expect(s.startedAt).toEqual(at(0));
    expect(s.endedAt).toEqual(at(870));
    expect(s.finished).toBe(true);
    expect(s.totalMs).toBe(870_000);
    expect(s.stageMs).toEqual({ consent: 30_000, instructions: 60_000, setup: 60_000, chat: 600_000, survey: 120_000 });
    expect(s.chat).toEqual({ totalMs: 600_000, waitingForModelMs: 65_000, ownMs: 535_000, participantMessages: 5 });
    expect(s.attention).toMatchObject({ focusedMs: 122_000, blurredMs: 30_000, idleMs: 5_000, observedMs: 157_000 });
    expect(s.attention.byStage.consent).toEqual({ focusedMs: 30_000, blurredMs: 0, idleMs: 0, observedMs: 30_000 });
    expect(s.attention.byStage.chat).toEqual({ focusedMs: 32_000, blurredMs: 30_000, idleMs: 5_000, observedMs: 67_000 });
    expect(s.attention.chatWaiting).toEqual({ focusedMs: 20_000, blurredMs: 0, idleMs: 0, observedMs: 20_000 });
    expect(s.attention.chatOwn).toEqual({ focusedMs: 12_000, blurredMs: 30_000, idleMs: 5_000, observedMs: 47_000 });
    expect(s.warnings).toEqual([]);
  });

  it('an open stage runs to now and the session is not finished', () => {
    const s = summarizeParticipantTime({
      stageVisits: [visit('consent', 0, 20), visit('instructions', 20, null)],
      messages: [],
      heartbeats: [],
      now: at(100),
    });
    expect(s.finished).toBe(false);
    expect(s.endedAt).toEqual(at(100));
    expect(s.totalMs).toBe(100_000);
    expect(s.stageMs.instructions).toBe(80_000);
    expect(s.warnings).toEqual([]);
  });

  it('out-of-order visits, a missing exit and an overlap are repaired without double counting', () => {
    const s = summarizeParticipantTime({
      stageVisits: [
        visit('survey', 700, null),
        visit('consent', 0, 30),
        visit('chat', 100, 720), // overlaps the survey entry at 700: cut there
        visit('instructions', 30, null), // exit missing: closed by the chat entry at 100
      ],
      messages: [
        // Out of order and without seq: ordered by creation time.
        msg('assistant', 120, 150),
        msg('user', 110, 110), // wait 110→150 = 40 s
        msg('assistant', 691, null, { status: 'generating' }),
        msg('user', 690, 690), // reply still generating → to now, but only chat time counts: 690→700 = 10 s
      ],
      heartbeats: [],
      now: at(1000),
    });
    expect(s.stageMs).toEqual({ consent: 30_000, instructions: 70_000, setup: 0, chat: 600_000, survey: 300_000 });
    expect(s.totalMs).toBe(1_000_000);
    expect(s.stageMs.consent + s.stageMs.instructions + s.stageMs.chat + s.stageMs.survey).toBe(s.totalMs);
    expect(s.chat.waitingForModelMs).toBe(50_000);
    expect(s.chat.ownMs).toBe(550_000);
    expect(s.warnings.sort()).toEqual(['overlapping_visits', 'visit_without_exit_closed_by_next']);
  });

  it('while a reply is generating, the wait runs to now', () => {
    const s = summarizeParticipantTime({
      stageVisits: [visit('chat', 0, null)],
      messages: [msg('user', 90, 90), msg('assistant', 91, null, { status: 'generating' })],
      heartbeats: [],
      now: at(100),
    });
    expect(s.chat).toEqual({ totalMs: 100_000, waitingForModelMs: 10_000, ownMs: 90_000, participantMessages: 1 });
  });

  it('a message without a reply waits until the chat ended; a reply without completion time ends at its start', () => {
    const s = summarizeParticipantTime({
      stageVisits: [visit('chat', 0, 300), visit('survey', 300, 400), visit('done', 400, null)],
      messages: [
        msg('user', 10, 10),
        msg('assistant', 25, null, { status: 'complete' }), // completion time lost: wait 10→25
        msg('user', 280, 280), // never answered: wait 280→300 (chat end)
      ],
      heartbeats: [],
      now: at(1000),
    });
    expect(s.chat.waitingForModelMs).toBe(35_000);
    expect(s.warnings.sort()).toEqual(['message_without_reply', 'reply_without_completion_time']);
  });

  it('uses seq over createdAt when every message has one (clock skew between writers)', () => {
    const s = summarizeParticipantTime({
      stageVisits: [visit('chat', 0, 200)],
      messages: [msg('user', 100, 100, { seq: 1 }), msg('assistant', 99, 120, { seq: 2 })],
      heartbeats: [],
      now: at(200),
    });
    expect(s.chat.waitingForModelMs).toBe(20_000);
    expect(s.warnings).toEqual([]);
  });

  it('a participant who left without finishing ends at the last recorded exit', () => {
    const s = summarizeParticipantTime({
      stageVisits: [visit('consent', 0, 40), visit('instructions', 40, 100)],
      messages: [],
      heartbeats: [],
      now: at(5000),
    });
    expect(s.finished).toBe(false);
    expect(s.endedAt).toEqual(at(100));
    expect(s.totalMs).toBe(100_000);
  });

  it('no data at all gives zeros and says why; bad heartbeats and timestamps are skipped', () => {
    const empty = summarizeParticipantTime({ stageVisits: [], messages: [], heartbeats: [], now: at(0) });
    expect(empty).toMatchObject({ startedAt: null, endedAt: null, finished: false, totalMs: 0 });
    expect(empty.chat).toEqual({ totalMs: 0, waitingForModelMs: 0, ownMs: 0, participantMessages: 0 });
    expect(empty.warnings).toEqual(['no_stage_visits']);

    const bad = summarizeParticipantTime({
      stageVisits: [visit('chat', 0, 60), { stage: 'survey', enteredAt: new Date(Number.NaN), leftAt: null }],
      messages: [],
      heartbeats: [beat('chat', -5, true, false), beat('chat', Number.NaN, true, false), beat('chat', 4000, true, false)],
      now: at(60),
    });
    expect(bad.stageMs.chat).toBe(60_000);
    expect(bad.attention.observedMs).toBe(4000);
    expect(bad.warnings.sort()).toEqual(['invalid_heartbeat_ignored', 'invalid_timestamp_ignored']);
  });

  it('waiting never exceeds chat time and own time never goes negative (random sessions)', () => {
    // Deterministic pseudo-random sessions (LCG) with messages scattered inside and outside the chat.
    let state = 12345;
    const rand = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let trial = 0; trial < 200; trial++) {
      const chatStart = Math.floor(rand() * 100);
      const chatEnd = chatStart + Math.floor(rand() * 500);
      const messages: MessageInput[] = [];
      for (let i = 0; i < 8; i++) {
        const created = Math.floor(rand() * 700);
        messages.push(msg(rand() < 0.5 ? 'user' : 'assistant', created, rand() < 0.8 ? created + Math.floor(rand() * 60) : null));
      }
      const s = summarizeParticipantTime({
        stageVisits: [visit('setup', 0, chatStart), visit('chat', chatStart, chatEnd)],
        messages,
        heartbeats: [],
        now: at(800),
      });
      expect(s.chat.waitingForModelMs).toBeGreaterThanOrEqual(0);
      expect(s.chat.waitingForModelMs).toBeLessThanOrEqual(s.chat.totalMs);
      expect(s.chat.ownMs).toBe(s.chat.totalMs - s.chat.waitingForModelMs);
    }
  });
});
