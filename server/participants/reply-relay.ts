/**
 * Streams replies between web processes on one Postgres with LISTEN/NOTIFY, so a participant whose
 * subscription lands on another process than the one generating (any load balancer does that) sees the
 * text as it is generated, not at the next partial write of the row.
 *
 * One channel (`collab_replies`) carries JSON arrays of entries:
 * - `{ m, e, o, t }`: text `t` of reply `m` in epoch `e`, starting at offset `o` (the generating process
 *   publishes every delta, batched every FLUSH_MS into as few NOTIFYs as fit in Postgres's 8000-byte payload);
 * - `{ m, end }`: the reply ended (after the final row write): followers read the row once;
 * - `{ m, sync }`: a follower joined (or found a gap): the generating process answers with the whole
 *   text so far as one `o: 0` entry.
 * The row stays the source of truth; a follower re-reads it every FALLBACK_READ_MS in case a notification
 * was lost (the listening connection dropped). Without LISTEN (embedded PGlite: one process) followers of a
 * reply that is not in this process's hub read the row, as before.
 */
import { eq, sql } from 'drizzle-orm';
import type { Database, DbHandle } from '../../db';
import { schema } from '../../db';
import { logger } from '../lib/logger';

export const REPLIES_CHANNEL = 'collab_replies';
const FLUSH_MS = 10;
/** Below Postgres's 8000-byte NOTIFY payload limit. */
const MAX_PAYLOAD_BYTES = 7000;
const MAX_PIECE_CHARS = 1500;
const FALLBACK_READ_MS = 5_000;

type EndStatus = 'complete' | 'failed' | 'interrupted';
type Entry = { m: string; e: number; o: number; t: string } | { m: string; end: true } | { m: string; sync: true };

interface LiveSnapshot {
  epoch: number;
  text: string;
  generating: boolean;
}

interface RelayState {
  db: Database;
  snapshot: (messageId: string) => LiveSnapshot | undefined;
  followers: Map<string, Set<(entry: Entry) => void>>;
  pending: Entry[];
  flushing: Promise<void> | null;
  timer: NodeJS.Timeout | null;
  unlisten: (() => Promise<void>) | null;
}

const globalRelay = globalThis as unknown as { __collabReplyRelay?: RelayState };

/** Starts the relay in this process (web processes on Postgres). `snapshot` reads the hub's live text. */
export async function startReplyRelay(handle: DbHandle, snapshot: RelayState['snapshot']): Promise<boolean> {
  if (globalRelay.__collabReplyRelay) return true;
  if (!handle.listen) return false;
  const state: RelayState = { db: handle.db, snapshot, followers: new Map(), pending: [], flushing: null, timer: null, unlisten: null };
  const listen = handle.listen;
  globalRelay.__collabReplyRelay = state;
  try {
    state.unlisten = await listen(REPLIES_CHANNEL, (payload) => receive(state, payload));
  } catch (error) {
    globalRelay.__collabReplyRelay = undefined;
    logger.warn('could not listen for replies of other processes; following them by reading the row', { error });
    return false;
  }
  return true;
}

export async function stopReplyRelay(): Promise<void> {
  const state = globalRelay.__collabReplyRelay;
  if (!state) return;
  await flush(state);
  globalRelay.__collabReplyRelay = undefined;
  if (state.timer) clearTimeout(state.timer);
  await state.unlisten?.().catch(() => {});
}

export function relayActive(): boolean {
  return globalRelay.__collabReplyRelay !== undefined;
}

function receive(state: RelayState, payload: string | undefined): void {
  let entries: Entry[];
  try {
    entries = JSON.parse(payload ?? '[]') as Entry[];
  } catch {
    return;
  }
  for (const entry of entries) {
    if ('sync' in entry) {
      const live = state.snapshot(entry.m);
      // A follower is waiting to catch up: answer without the batching delay.
      if (live && !live.generating) enqueue(state, { m: entry.m, end: true });
      else if (live && live.text) enqueuePieces(state, entry.m, live.epoch, 0, live.text);
      if (live) flushNow(state);
      continue;
    }
    for (const listener of state.followers.get(entry.m) ?? []) listener(entry);
  }
}

function enqueue(state: RelayState, entry: Entry): void {
  state.pending.push(entry);
  state.timer ??= setTimeout(() => {
    state.timer = null;
    void flush(state);
  }, FLUSH_MS);
}

function enqueuePieces(state: RelayState, m: string, e: number, o: number, text: string): void {
  let i = 0;
  while (i < text.length) {
    let end = Math.min(text.length, i + MAX_PIECE_CHARS);
    // Never split a surrogate pair between two pieces.
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    enqueue(state, { m, e, o: o + i, t: text.slice(i, end) });
    i = end;
  }
}

/** Sends what is pending, one NOTIFY at a time so a reply's entries arrive in order. */
function flush(state: RelayState): Promise<void> {
  const previous = state.flushing ?? Promise.resolve();
  const run = previous.then(async () => {
    while (state.pending.length > 0) {
      const batch: Entry[] = [];
      let bytes = 2;
      while (state.pending.length > 0) {
        const size = Buffer.byteLength(JSON.stringify(state.pending[0])) + 1;
        if (batch.length > 0 && bytes + size > MAX_PAYLOAD_BYTES) break;
        batch.push(state.pending.shift()!);
        bytes += size;
      }
      await state.db
        .execute(sql`select pg_notify(${REPLIES_CHANNEL}, ${JSON.stringify(batch)})`)
        .catch((error: unknown) => logger.warn('could not relay reply text to other processes', { error }));
    }
  });
  state.flushing = run.finally(() => {
    if (state.flushing === run) state.flushing = null;
  });
  return run;
}

/**
 * Called by the generating process for every delta. The first text of a reply (offset 0) is sent at once
 * rather than after the batching delay: it is what the participant is waiting for (time to first text);
 * later deltas are batched, which costs them at most FLUSH_MS.
 */
export function publishDelta(messageId: string, epoch: number, offset: number, text: string): void {
  const state = globalRelay.__collabReplyRelay;
  if (!state || !text) return;
  enqueuePieces(state, messageId, epoch, offset, text);
  if (offset === 0) flushNow(state);
}

function flushNow(state: RelayState): void {
  if (state.timer) clearTimeout(state.timer);
  state.timer = null;
  void flush(state);
}

/** Called once the reply's final state is stored (by its process, a sweeper or a shutdown). */
export function publishEnd(messageId: string): void {
  const state = globalRelay.__collabReplyRelay;
  if (!state) return;
  const entry: Entry = { m: messageId, end: true };
  enqueue(state, entry);
  // Followers in this process hear it at once (also while the relay is stopping with the process).
  for (const listener of state.followers.get(messageId) ?? []) listener(entry);
}

export interface RelayEvent {
  id: string;
  event: { type: 'text'; epoch: number; offset: number; text: string } | { type: 'end'; status: EndStatus; text: string };
}

/**
 * Follows a reply generated in another process: the row for the start and the end, notifications for the
 * text in between. `inHub` tells whether the generation has meanwhile appeared in this process.
 */
export async function* followRemoteReply(
  db: Database,
  messageId: string,
  from: { epoch: number; offset: number },
  signal: AbortSignal | undefined,
): AsyncGenerator<RelayEvent> {
  const state = globalRelay.__collabReplyRelay;
  if (!state) throw new Error('the reply relay is not running in this process');
  let { epoch, offset } = from;
  const inbox: Entry[] = [];
  let wake: (() => void) | null = null;
  const listener = (entry: Entry) => {
    inbox.push(entry);
    wake?.();
  };
  let followers = state.followers.get(messageId);
  if (!followers) state.followers.set(messageId, (followers = new Set()));
  followers.add(listener);
  const onAbort = () => wake?.();
  signal?.addEventListener('abort', onAbort);

  function* fromText(text: string, textEpoch: number, start: number): Generator<RelayEvent> {
    if (textEpoch !== epoch) {
      if (start !== 0) return; // a later epoch's middle: wait for its whole text (sync below)
      epoch = textEpoch;
      offset = 0;
      yield { id: `${epoch}:${text.length}`, event: { type: 'text', epoch, offset: 0, text } };
      offset = text.length;
      return;
    }
    if (start <= offset && start + text.length > offset) {
      const rest = text.slice(offset - start);
      yield { id: `${epoch}:${offset + rest.length}`, event: { type: 'text', epoch, offset, text: rest } };
      offset += rest.length;
    }
  }
  const readRow = async () =>
    (
      await db
        .select({ content: schema.messages.content, status: schema.messages.status })
        .from(schema.messages)
        .where(eq(schema.messages.id, messageId))
    )[0];
  /** The row's text (written every partial write) when it is ahead of what was sent. */
  function* fromRow(content: string): Generator<RelayEvent> {
    if (content.length < offset) return; // behind the notifications; they are newer
    yield* fromText(content, epoch, 0);
  }

  try {
    let row = await readRow();
    if (!row) return;
    enqueue(state, { m: messageId, sync: true });
    flushNow(state);
    while (!signal?.aborted) {
      if (row && row.status !== 'generating') {
        // The stored text is final: send the rest, or all of it again if it is shorter than what was streamed.
        if (row.content.length < offset) yield* fromText(row.content, epoch + 1, 0);
        else yield* fromText(row.content, epoch, 0);
        yield { id: 'end', event: { type: 'end', status: row.status, text: row.content } };
        return;
      }
      if (row) yield* fromRow(row.content);
      row = undefined;
      let timedOut = false;
      if (inbox.length === 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            timedOut = true;
            resolve();
          }, FALLBACK_READ_MS);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
      }
      let ended = false;
      let gap = false;
      for (const entry of inbox.splice(0)) {
        if ('end' in entry) ended = true;
        else if ('t' in entry) {
          if (entry.e === epoch && entry.o > offset) gap = true;
          else if (entry.e !== epoch && entry.o !== 0) gap = true;
          else yield* fromText(entry.t, entry.e, entry.o);
        }
      }
      if (gap) enqueue(state, { m: messageId, sync: true });
      if (ended || timedOut) row = (await readRow()) ?? { content: '', status: 'interrupted' as const };
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    followers.delete(listener);
    if (followers.size === 0 && state.followers.get(messageId) === followers) state.followers.delete(messageId);
  }
}
