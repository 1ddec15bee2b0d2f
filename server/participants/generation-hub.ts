/**
 * In-flight assistant replies, detached from any HTTP request: a generation keeps running and is stored
 * when the participant closes the tab, and any number of subscribers (a reload, a second tab) can follow it.
 * Partial text is written to the `messages` row every PARTIAL_WRITE_MS so a restart never loses more than
 * that; followers in other processes get the text as it comes through reply-relay.ts (LISTEN/NOTIFY).
 * Only the owning process (`owner_process_id`, reply-owners.ts) writes a reply row: a reply whose process
 * died is marked `interrupted` by the others' sweep, and a late write from that process then changes nothing.
 *
 * Time to first token: a send may start its generation before its transaction commits (`stored`), so the
 * model request overlaps the insert and commit. Deltas go to subscribers the moment the SDK yields them
 * (nobody can subscribe before the send is acknowledged, which is after the commit); every database
 * write waits for `stored`, and if the transaction fails the model call is aborted and nothing is written.
 */
import { EventEmitter, on } from 'node:events';
import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../../db';
import { schema } from '../../db';
import { streamArmReply, type StructuredFormat } from '../arms/generate';
import type { ChatMessage, ModelTarget } from '../llm/types';
import { logger } from '../lib/logger';
import { webProcessId } from './owner-id';
import { followRemoteReply, publishDelta, publishEnd, relayActive } from './reply-relay';

let partialWriteMs = 500;
/** Tests only: a long interval proves that followers in other processes get the text from the relay. */
export function setPartialWriteIntervalForTests(ms: number): void {
  partialWriteMs = ms;
}
/** How often a subscriber polls the row when the generation runs in another process. */
const POLL_MS = 300;

type Status = 'generating' | 'complete' | 'failed' | 'interrupted';

interface LiveGeneration {
  messageId: string;
  /** Whose reply this is, so a subscriber's ownership check needs no database read while it runs. */
  participantId: string | null;
  text: string;
  /** Bumped when the LLM layer restarts a reply after partial output; subscribers then start over. */
  epoch: number;
  status: Status;
  emitter: EventEmitter;
  settled: Promise<void>;
  abort: AbortController;
  /** Set when this process stops: the row was marked interrupted here, the generation must not write. */
  stopping: boolean;
}

/** What a participant's browser receives while following a reply: text only, never model details. */
export type ReplyEvent =
  | { type: 'text'; epoch: number; offset: number; text: string }
  | { type: 'end'; status: Exclude<Status, 'generating'>; text: string };

const globalHub = globalThis as unknown as { __collabGenerations?: Map<string, LiveGeneration> };
const hub = (globalHub.__collabGenerations ??= new Map<string, LiveGeneration>());

export function isGenerating(messageId: string): boolean {
  return hub.get(messageId)?.status === 'generating';
}

export function liveText(messageId: string): string | undefined {
  return hub.get(messageId)?.text;
}

/** Resolves when the generation for `messageId` (if running in this process) has been stored. */
export function waitForGeneration(messageId: string): Promise<void> {
  return hub.get(messageId)?.settled ?? Promise.resolve();
}

/** What the relay sends a follower that joins in another process. */
export function liveSnapshot(messageId: string): { epoch: number; text: string; generating: boolean } | undefined {
  const live = hub.get(messageId);
  return live && { epoch: live.epoch, text: live.text, generating: live.status === 'generating' };
}

/** Only the process that owns a reply row writes it (see reply-owners.ts). */
function ownedRow(messageId: string) {
  const owner = webProcessId();
  return and(
    eq(schema.messages.id, messageId),
    eq(schema.messages.status, 'generating'),
    owner ? eq(schema.messages.ownerProcessId, owner) : isNull(schema.messages.ownerProcessId),
  );
}

/** The participant a generation in this process belongs to, or undefined when it is not here. */
export function generationOwner(messageId: string): string | null | undefined {
  return hub.get(messageId)?.participantId;
}

interface GenerationInput {
  messageId: string;
  target: ModelTarget;
  messages: ChatMessage[];
  participantId?: string;
  /** Template-mode arms: only this field of the JSON reply is streamed and stored as the text. */
  structured?: StructuredFormat;
  /**
   * Resolves when the message rows are committed; rejects when their transaction failed. Omitted when
   * the rows are already stored.
   */
  stored?: Promise<void>;
}

export function startGeneration(db: Database, input: GenerationInput): void {
  // A finished entry lingers for late subscribers; a retry of the same row replaces it.
  if (hub.get(input.messageId)?.status === 'generating') return;
  const emitter = new EventEmitter();
  emitter.setMaxListeners(100);
  const generation: LiveGeneration = {
    messageId: input.messageId,
    participantId: input.participantId ?? null,
    text: '',
    epoch: 0,
    status: 'generating',
    emitter,
    settled: Promise.resolve(),
    abort: new AbortController(),
    stopping: false,
  };
  hub.set(input.messageId, generation);
  generation.settled = run(db, generation, input).finally(() => {
    emitter.emit('change');
    // Keep the finished entry briefly so late subscribers get the end without a database read.
    setTimeout(() => {
      if (hub.get(input.messageId) === generation) hub.delete(input.messageId);
    }, 30_000).unref();
  });
}

async function run(db: Database, generation: LiveGeneration, input: GenerationInput): Promise<void> {
  const row = ownedRow(input.messageId);
  const abort = generation.abort;
  // Every write below awaits this: true once the rows exist, false if their transaction failed.
  const stored = (input.stored ?? Promise.resolve()).then(
    () => true,
    () => {
      abort.abort();
      return false;
    },
  );
  let lastWrite = Date.now();
  let pendingWrite: Promise<unknown> = Promise.resolve();
  const writePartial = () => {
    const text = generation.text;
    // Only while still generating: a late partial write must never overwrite the final reply.
    pendingWrite = pendingWrite
      .then(() => stored)
      .then((ok) => ok && !generation.stopping && db.update(schema.messages).set({ content: text }).where(row))
      .catch((error: unknown) => logger.warn('partial reply write failed', { messageId: input.messageId, error }));
  };
  const dropUnstored = () => {
    generation.status = 'failed';
    if (hub.get(input.messageId) === generation) hub.delete(input.messageId);
  };
  try {
    for await (const event of streamArmReply(input, { signal: abort.signal })) {
      if (event.type === 'delta') {
        publishDelta(input.messageId, generation.epoch, generation.text.length, event.text);
        generation.text += event.text;
        generation.emitter.emit('change');
        if (Date.now() - lastWrite >= partialWriteMs) {
          lastWrite = Date.now();
          writePartial();
        }
      } else if (event.type === 'reset') {
        generation.text = '';
        generation.epoch += 1;
        generation.emitter.emit('change');
      } else {
        await pendingWrite;
        if (!(await stored)) return dropUnstored();
        if (generation.stopping) return;
        const written = await db
          .update(schema.messages)
          .set({
            content: event.text,
            status: 'complete',
            model: event.model,
            isDemoModel: event.isDemo,
            promptTokens: event.usage.promptTokens,
            completionTokens: event.usage.completionTokens,
            ttftMs: Math.round(event.ttftMs),
            generationMs: Math.round(event.generationMs),
            attempts: event.attempts,
            structuredOutput: event.structured ? { ...event.structured } : null,
            error: null,
            completedAt: new Date(),
          })
          .where(row)
          .returning({ id: schema.messages.id });
        if (written.length === 0) {
          // Swept as interrupted meanwhile (this process missed its heartbeats): the participant retries.
          logger.warn('a reply finished after it was marked interrupted; not stored', { messageId: input.messageId });
          generation.status = 'interrupted';
          return;
        }
        generation.text = event.text;
        generation.status = 'complete';
        publishEnd(input.messageId);
        return;
      }
    }
    throw new Error('the model stream ended without a final event');
  } catch (error) {
    await pendingWrite;
    if (!(await stored)) return dropUnstored();
    if (generation.stopping) return;
    logger.warn('assistant reply failed', { messageId: input.messageId, error });
    const err = error as { message?: string; kind?: string; status?: number };
    await db
      .update(schema.messages)
      .set({
        status: 'failed',
        content: generation.text,
        error: [err.kind, err.status, err.message].filter((p) => p !== undefined).join(' ').slice(0, 2000),
        completedAt: new Date(),
      })
      .where(row)
      .catch((writeError: unknown) => logger.error('could not store a failed reply', { messageId: input.messageId, writeError }));
    generation.status = 'failed';
    publishEnd(input.messageId);
  }
}

/** Parses a `tracked()` id of the form "<epoch>:<offset>" (or "end"). */
function parseEventId(lastEventId: string | null | undefined): { epoch: number; offset: number } | 'end' | null {
  if (!lastEventId) return null;
  if (lastEventId === 'end') return 'end';
  const match = /^(\d+):(\d+)$/.exec(lastEventId);
  return match ? { epoch: Number(match[1]), offset: Number(match[2]) } : null;
}

export interface TrackedReplyEvent {
  id: string;
  event: ReplyEvent;
}

/**
 * Follows one assistant reply from where the subscriber left off (`lastEventId`), from the in-process
 * generation when there is one, otherwise from the stored row.
 */
export async function* followReply(
  db: Database,
  messageId: string,
  lastEventId: string | null | undefined,
  signal: AbortSignal | undefined,
): AsyncGenerator<TrackedReplyEvent> {
  const resumeFrom = parseEventId(lastEventId);
  let epoch = resumeFrom && resumeFrom !== 'end' ? resumeFrom.epoch : 0;
  let offset = resumeFrom && resumeFrom !== 'end' ? resumeFrom.offset : 0;

  function* catchUp(text: string, currentEpoch: number): Generator<TrackedReplyEvent> {
    if (currentEpoch !== epoch || text.length < offset) {
      epoch = currentEpoch;
      offset = 0;
      yield { id: `${epoch}:${text.length}`, event: { type: 'text', epoch, offset: 0, text } };
      offset = text.length;
      return;
    }
    if (text.length > offset) {
      yield { id: `${epoch}:${text.length}`, event: { type: 'text', epoch, offset, text: text.slice(offset) } };
      offset = text.length;
    }
  }

  const live = hub.get(messageId);
  if (live) {
    const changes = on(live.emitter, 'change', { signal });
    try {
      while (true) {
        yield* catchUp(live.text, live.epoch);
        if (live.status !== 'generating') {
          yield { id: 'end', event: { type: 'end', status: live.status, text: live.text } };
          return;
        }
        const next = await changes.next();
        if (next.done) return;
      }
    } catch (error) {
      if (signal?.aborted) return;
      throw error;
    } finally {
      await changes.return?.();
    }
  }

  // Not in this process: generating in another one (its text comes through the relay), or finished.
  if (relayActive()) {
    yield* followRemoteReply(db, messageId, { epoch, offset }, signal);
    return;
  }
  // No relay (embedded database, one process): the row is the source of truth.
  while (!signal?.aborted) {
    const [row] = await db
      .select({ content: schema.messages.content, status: schema.messages.status })
      .from(schema.messages)
      .where(eq(schema.messages.id, messageId));
    if (!row) return;
    if (row.status !== 'generating') {
      yield { id: 'end', event: { type: 'end', status: row.status, text: row.content } };
      return;
    }
    const nowLive = hub.get(messageId);
    if (nowLive) {
      yield* followReply(db, messageId, `${epoch}:${offset}`, signal);
      return;
    }
    yield* catchUp(row.content, epoch);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * This process is stopping: its replies still generating are stored as `interrupted` with the text so far
 * (the participant gets "Try again"), their model calls are aborted, and their followers are told.
 */
export async function interruptOwnGenerations(db: Database): Promise<number> {
  const live = [...hub.values()].filter((g) => g.status === 'generating');
  await Promise.all(
    live.map(async (generation) => {
      generation.stopping = true;
      generation.abort.abort();
      await db
        .update(schema.messages)
        .set({ status: 'interrupted', content: generation.text, completedAt: new Date() })
        .where(ownedRow(generation.messageId))
        .catch((error: unknown) => logger.warn('could not mark a reply interrupted', { messageId: generation.messageId, error }));
      generation.status = 'interrupted';
      generation.emitter.emit('change');
      publishEnd(generation.messageId);
    }),
  );
  return live.length;
}
