/**
 * The chat step: participant messages (stored before they are acknowledged, idempotent by clientMessageId),
 * assistant replies (started in the generation hub, detached from the request), periodic ratings,
 * retries after a failed reply, and the working document's drafts.
 */
import { and, asc, count, eq, inArray } from 'drizzle-orm';
import type { Database, DbExecutor } from '../../db';
import { schema } from '../../db';
import { resolveArmTarget } from '../llm/resolve';
import { armCall } from '../arms/generate';
import { studyArmContext } from '../arms/context';
import type { ChatMessage } from '../llm/types';
import type { StudyConfig } from '../studies/config';
import { ServiceError } from '../services/errors';
import crypto from 'node:crypto';
import { participantNotFound, type ParticipantIdentity, type ParticipantRow } from './identity';
import { followReply, generationOwner, startGeneration, type TrackedReplyEvent } from './generation-hub';
import { webProcessId } from './owner-id';
import { publishEnd } from './reply-relay';
import { assertSessionOpen, assertStage, enforceTimeLimit, finishWithOutcome, loadVersionConfig, sessionDeadline, sessionEndedError } from './session';
import { DRAFT_SAVE_LIMIT, hitRateLimit } from './rate-limit';
import { latestSavedDraft } from './drafts';

export const MAX_DRAFT_CHARS = 100_000;
/** Autosave is debounced in the browser; this only stops a runaway client from filling the table. */
const MAX_DRAFTS_PER_PARTICIPANT = 5_000;

export interface ChatProgress {
  conversationId: string | null;
  turnsCompleted: number;
  userMessages: number;
  generating: boolean;
  /** The rating due now ("after turn N"), or null. */
  pendingRatingAfterTurn: number | null;
  lastAssistant: { id: string; status: string } | null;
}

export async function conversationIdOf(db: DbExecutor, participantId: string): Promise<string | null> {
  const [row] = await db
    .select({ id: schema.conversations.id })
    .from(schema.conversations)
    .where(eq(schema.conversations.participantId, participantId));
  return row?.id ?? null;
}

interface MessageFacts {
  id: string;
  role: 'system' | 'user' | 'assistant';
  status: 'complete' | 'generating' | 'failed' | 'interrupted';
}

/** Turn counts and the rating due, from the conversation's messages (in seq order). */
async function progressFrom(db: DbExecutor, participantId: string, conversationId: string | null, rows: MessageFacts[], config: StudyConfig): Promise<ChatProgress> {
  const turnsCompleted = rows.filter((m) => m.role === 'assistant' && m.status === 'complete').length;
  const userMessages = rows.filter((m) => m.role === 'user').length;
  const lastAssistantRow = [...rows].reverse().find((m) => m.role === 'assistant');
  const dueAfter = Math.floor(turnsCompleted / config.ratingInterval) * config.ratingInterval;
  let pendingRatingAfterTurn: number | null = null;
  if (dueAfter >= config.ratingInterval) {
    const [rated] = await db
      .select({ id: schema.ratings.id })
      .from(schema.ratings)
      .where(and(eq(schema.ratings.participantId, participantId), eq(schema.ratings.afterTurn, dueAfter)));
    if (!rated) pendingRatingAfterTurn = dueAfter;
  }
  return {
    conversationId,
    turnsCompleted,
    userMessages,
    generating: rows.some((m) => m.status === 'generating'),
    pendingRatingAfterTurn,
    lastAssistant: lastAssistantRow ? { id: lastAssistantRow.id, status: lastAssistantRow.status } : null,
  };
}

export async function chatProgress(db: DbExecutor, participantId: string, config: StudyConfig): Promise<ChatProgress> {
  const conversationId = await conversationIdOf(db, participantId);
  if (!conversationId) return progressFrom(db, participantId, null, [], config);
  const rows = await db
    .select({ id: schema.messages.id, role: schema.messages.role, status: schema.messages.status })
    .from(schema.messages)
    .where(eq(schema.messages.conversationId, conversationId))
    .orderBy(asc(schema.messages.seq));
  return progressFrom(db, participantId, conversationId, rows, config);
}

/** The model's view of the chat: completed turns only (the caller adds the arm's system prompt). Topic answers never go in. */
function modelHistory(rows: { role: string; content: string; status: string }[]): ChatMessage[] {
  const history: ChatMessage[] = [];
  for (const row of rows) {
    if (row.role === 'user') history.push({ role: 'user', content: row.content });
    else if (row.role === 'assistant' && row.status === 'complete') history.push({ role: 'assistant', content: row.content });
  }
  return history;
}

async function loadModelHistory(db: DbExecutor, conversationId: string): Promise<ChatMessage[]> {
  const rows = await db
    .select({ role: schema.messages.role, content: schema.messages.content, status: schema.messages.status })
    .from(schema.messages)
    .where(eq(schema.messages.conversationId, conversationId))
    .orderBy(asc(schema.messages.seq));
  return modelHistory(rows);
}

function armOf(participant: ParticipantRow, config: StudyConfig) {
  const arm = config.arms.find((a) => a.key === participant.armKey);
  if (!arm) throw new Error(`participant ${participant.id} has no arm in its study version`);
  return arm;
}

export interface SendResult {
  userMessageId: string;
  assistantMessageId: string;
  /** True when this clientMessageId was already stored (a resend); nothing new was started. */
  duplicate: boolean;
}

/**
 * Facts about a participant that never change once an arm is assigned, so the send path can resolve the
 * model endpoint while its transaction runs instead of after it.
 */
const assignedFacts = new Map<string, { studyVersionId: string; armKey: string }>();

function rememberAssigned(participant: Pick<ParticipantRow, 'id' | 'studyVersionId' | 'armKey'>) {
  if (!participant.armKey || assignedFacts.has(participant.id)) return;
  if (assignedFacts.size > 20_000) assignedFacts.clear();
  assignedFacts.set(participant.id, { studyVersionId: participant.studyVersionId, armKey: participant.armKey });
}

function startTargetFor(db: Database, config: StudyConfig, armKey: string | null) {
  const arm = armKey ? (config.arms.find((a) => a.key === armKey) ?? null) : null;
  const target = arm ? resolveArmTarget(db, arm) : null;
  target?.catch(() => {}); // awaited (and reported) by the caller; never an unhandled rejection
  return { arm, target };
}

type SendRows = Awaited<ReturnType<typeof readSendState>>['rows'];

/** The participant (with its conversation id) and the conversation's messages, as two statements sent together. */
async function readSendState(db: DbExecutor, who: ParticipantIdentity, lock: boolean) {
  const participantQuery = db
    .select({ participant: schema.participants, conversationId: schema.conversations.id })
    .from(schema.participants)
    .leftJoin(schema.conversations, eq(schema.conversations.participantId, schema.participants.id))
    .where(and(eq(schema.participants.id, who.participantId), eq(schema.participants.studyId, who.studyId)));
  const [participantRows, rows] = await Promise.all([
    lock ? participantQuery.for('update', { of: schema.participants }) : participantQuery,
    db
      .select({
        id: schema.messages.id,
        seq: schema.messages.seq,
        role: schema.messages.role,
        status: schema.messages.status,
        content: schema.messages.content,
        clientMessageId: schema.messages.clientMessageId,
        createdAt: schema.messages.createdAt,
      })
      .from(schema.messages)
      .where(
        inArray(
          schema.messages.conversationId,
          db.select({ id: schema.conversations.id }).from(schema.conversations).where(eq(schema.conversations.participantId, who.participantId)),
        ),
      )
      .orderBy(asc(schema.messages.seq)),
  ]);
  return { found: participantRows[0], rows };
}

type SendCheck =
  | { kind: 'ended'; outcome: ParticipantRow['outcome'] }
  | { kind: 'duplicate'; userMessageId: string; assistantMessageId: string }
  | { kind: 'ok'; conversationId: string; seq: number; history: ChatMessage[] };

/** Every rule a send must pass; throws the participant-facing error. Writes nothing. */
async function checkSend(
  db: DbExecutor,
  current: ParticipantRow,
  conversationId: string | null,
  rows: SendRows,
  config: StudyConfig,
  input: { clientMessageId: string; content: string; now: Date },
): Promise<SendCheck> {
  if (current.outcome || input.now >= sessionDeadline(current, config)) return { kind: 'ended', outcome: current.outcome };
  if (!conversationId) throw new ServiceError('CONFLICT', 'Please reload the page to continue.');
  const existing = rows.find((m) => m.clientMessageId === input.clientMessageId);
  if (existing) {
    const reply = rows.find((m) => m.seq === existing.seq + 1);
    return { kind: 'duplicate', userMessageId: existing.id, assistantMessageId: reply?.id ?? '' };
  }
  assertStage(current, 'chat');
  const content = input.content;
  if (!content) throw new ServiceError('BAD_REQUEST', 'Please write a message first.');
  if (content.length > config.maxMessageChars)
    throw new ServiceError('BAD_REQUEST', `Messages can be at most ${config.maxMessageChars} characters (yours has ${content.length}).`);
  const progress = await progressFrom(db, current.id, conversationId, rows, config);
  if (progress.generating) throw new ServiceError('CONFLICT', 'Please wait until the assistant has finished replying.');
  if (progress.lastAssistant && progress.lastAssistant.status !== 'complete')
    throw new ServiceError('CONFLICT', 'The last reply did not arrive. Please use "Try again" first.');
  if (progress.pendingRatingAfterTurn !== null)
    throw new ServiceError('PRECONDITION_FAILED', 'Please rate your experience so far before continuing.');
  if (progress.userMessages >= config.maxTurns)
    throw new ServiceError('PRECONDITION_FAILED', `You have reached the limit of ${config.maxTurns} turns. Please finish the chat.`);
  const minuteAgo = input.now.getTime() - 60_000;
  const recent = rows.filter((m) => m.role === 'user' && m.createdAt.getTime() > minuteAgo).length;
  if (recent >= config.messagesPerMinute)
    throw new ServiceError('TOO_MANY_REQUESTS', 'You are sending messages very quickly. Please wait a moment and try again.');
  return {
    kind: 'ok',
    conversationId,
    seq: (rows.at(-1)?.seq ?? 0) + 1,
    history: modelHistory([...rows, { role: 'user', content, status: 'complete' }]),
  };
}

/** What a send's reply was started from; the locked read must match it for the early start to stand. */
function sendBasis(current: ParticipantRow, rows: SendRows): string {
  return [current.stage, current.outcome, current.armKey, ...rows.map((m) => `${m.id}:${m.status}`)].join('|');
}

interface StartedReply {
  userMessageId: string;
  assistantMessageId: string;
  basis: string;
  /** Set when the reply could not start (e.g. a deleted connection); stored on the row after the commit. */
  notStarted: unknown;
}

/**
 * Stores the participant's message and an empty reply row, and starts the reply.
 *
 * Time to first token is dominated by what happens between Send and the model request, so the request
 * goes out after a single database round trip: an unlocked read of the participant and the messages
 * (two statements at once), checked against every rule, with the endpoint lookup overlapping it. Then the
 * transaction locks the participant (serializing sends from several tabs), reads again, checks again and
 * inserts both rows. If the locked read differs from the one the reply was started from, that reply is
 * abandoned and one is started from the locked read. A generation writes nothing until the commit and is
 * aborted if the transaction fails or its reply was abandoned. The message is stored before the send is
 * acknowledged, because this returns only after the commit.
 */
export async function sendMessage(
  db: Database,
  who: ParticipantIdentity,
  input: { clientMessageId: string; content: string; now?: Date; slug?: string },
): Promise<SendResult> {
  const now = input.now ?? new Date();
  const facts = { clientMessageId: input.clientMessageId, content: input.content.trim(), now };
  const known = assignedFacts.get(who.participantId);
  const endpoint = known ? startTargetFor(db, await loadVersionConfig(db, known.studyVersionId), known.armKey) : null;

  let markCommitted!: () => void;
  let markFailed!: (error: unknown) => void;
  const committed = new Promise<void>((resolve, reject) => {
    markCommitted = resolve;
    markFailed = reject;
  });
  committed.catch(() => {}); // consumed by the generations, if any started
  let kept: StartedReply | null = null;
  /** Starts a reply whose writes wait until the commit, and only if the transaction keeps it. */
  const startReply = async (config: StudyConfig, current: ParticipantRow, check: Extract<SendCheck, { kind: 'ok' }>, basis: string) => {
    const started: StartedReply = { userMessageId: crypto.randomUUID(), assistantMessageId: crypto.randomUUID(), basis, notStarted: null };
    try {
      const { arm, target } = endpoint ?? startTargetFor(db, config, current.armKey);
      if (!arm || !target) throw new Error(`participant ${current.id} has no arm in its study version`);
      const resolved = await target;
      startGeneration(db, {
        messageId: started.assistantMessageId,
        participantId: current.id,
        ...armCall(arm, resolved, check.history, studyArmContext(config, current)),
        stored: committed.then(() => {
          if (kept !== started) throw new Error('superseded by the locked read');
        }),
      });
    } catch (error) {
      started.notStarted = error;
    }
    return started;
  };

  // Early start from the unlocked read. Any rule it breaks is reported by the locked read below instead.
  let early: StartedReply | null = null;
  try {
    const pre = await readSendState(db, who, false);
    if (pre.found) {
      const config = await loadVersionConfig(db, pre.found.participant.studyVersionId);
      const check = await checkSend(db, pre.found.participant, pre.found.conversationId, pre.rows, config, facts);
      if (check.kind === 'ok') early = await startReply(config, pre.found.participant, check, sendBasis(pre.found.participant, pre.rows));
    }
  } catch {
    early = null;
  }

  let result;
  try {
    result = await db.transaction(async (tx) => {
      const { found, rows } = await readSendState(tx, who, true);
      if (!found) throw input.slug ? participantNotFound(input.slug) : new ServiceError('NOT_FOUND', 'Your session was not found.');
      const current = found.participant;
      rememberAssigned(current);
      const config = await loadVersionConfig(tx, current.studyVersionId);
      const check = await checkSend(tx, current, found.conversationId, rows, config, facts);
      if (check.kind === 'ended') {
        if (!current.outcome) await finishWithOutcome(tx, current, config, 'timed_out', now);
        return check;
      }
      if (check.kind === 'duplicate') return check;
      const basis = sendBasis(current, rows);
      const reply = early && early.basis === basis ? early : await startReply(config, current, check, basis);
      await tx.insert(schema.messages).values([
        { id: reply.userMessageId, conversationId: check.conversationId, seq: check.seq, role: 'user', content: facts.content, clientMessageId: facts.clientMessageId, createdAt: now, completedAt: now },
        { id: reply.assistantMessageId, conversationId: check.conversationId, seq: check.seq + 1, role: 'assistant', content: '', status: 'generating', ownerProcessId: webProcessId(), createdAt: now },
      ]);
      kept = reply;
      return { kind: 'sent' as const, reply };
    });
  } catch (error) {
    kept = null;
    markFailed(error);
    throw error;
  }
  markCommitted();

  // A send after the end: "finished" for someone who completed, "time is up" only when it is.
  if (result.kind === 'ended') throw sessionEndedError(result.outcome);
  if (result.kind === 'duplicate') return { userMessageId: result.userMessageId, assistantMessageId: result.assistantMessageId, duplicate: true };
  const { reply } = result;
  if (reply.notStarted) await markNotStarted(db, reply.assistantMessageId, reply.notStarted);
  return { userMessageId: reply.userMessageId, assistantMessageId: reply.assistantMessageId, duplicate: false };
}

/** Follows one of the caller's own replies; while it runs in this process, ownership is checked in memory. */
export async function* followOwnReply(
  db: Database,
  participantId: string,
  input: { messageId: string; lastEventId?: string | null },
  signal: AbortSignal | undefined,
): AsyncGenerator<TrackedReplyEvent> {
  if (generationOwner(input.messageId) !== participantId) await assertOwnAssistantMessage(db, participantId, input.messageId);
  yield* followReply(db, input.messageId, input.lastEventId, signal);
}

async function markNotStarted(db: Database, messageId: string, error: unknown) {
  await db
    .update(schema.messages)
    .set({ status: 'failed', error: String((error as Error)?.message ?? error).slice(0, 2000), completedAt: new Date() })
    .where(eq(schema.messages.id, messageId));
  publishEnd(messageId);
}

/** If the reply cannot even start (e.g. a deleted connection), the row says so and the UI offers a retry. */
async function startReplyOrFail(db: Database, participant: ParticipantRow, config: StudyConfig, conversationId: string, messageId: string) {
  try {
    const arm = armOf(participant, config);
    const [target, history] = await Promise.all([resolveArmTarget(db, arm), loadModelHistory(db, conversationId)]);
    startGeneration(db, { messageId, participantId: participant.id, ...armCall(arm, target, history, studyArmContext(config, participant)) });
  } catch (error) {
    await markNotStarted(db, messageId, error);
  }
}

export async function retryReply(db: Database, participant: ParticipantRow, input: { messageId: string; now?: Date }): Promise<void> {
  const now = input.now ?? new Date();
  const config = await loadVersionConfig(db, participant.studyVersionId);
  await assertSessionOpen(db, participant, config, now);
  const conversationId = await db.transaction(async (tx) => {
    const [current] = await tx.select().from(schema.participants).where(eq(schema.participants.id, participant.id)).for('update');
    if (!current) throw new ServiceError('NOT_FOUND', 'Your session was not found.');
    assertStage(current, 'chat');
    const conversationId = await conversationIdOf(tx, current.id);
    // Scoped to the caller's own conversation: another participant's message id is simply "not found".
    const [message] = conversationId
      ? await tx
          .select()
          .from(schema.messages)
          .where(and(eq(schema.messages.id, input.messageId), eq(schema.messages.conversationId, conversationId)))
      : [];
    if (!message || message.role !== 'assistant') throw new ServiceError('NOT_FOUND', 'That reply was not found.');
    if (message.status === 'generating' || message.status === 'complete') return null; // already retried
    await tx
      .update(schema.messages)
      .set({ status: 'generating', content: '', error: null, completedAt: null, ownerProcessId: webProcessId() })
      .where(eq(schema.messages.id, message.id));
    return conversationId;
  });
  if (conversationId) await startReplyOrFail(db, participant, config, conversationId, input.messageId);
}

/** Throws unless `messageId` is an assistant message of the caller's own conversation. */
export async function assertOwnAssistantMessage(db: DbExecutor, participantId: string, messageId: string): Promise<void> {
  const [message] = await db
    .select({ id: schema.messages.id })
    .from(schema.messages)
    .innerJoin(schema.conversations, eq(schema.conversations.id, schema.messages.conversationId))
    .where(
      and(
        eq(schema.messages.id, messageId),
        eq(schema.conversations.participantId, participantId),
        eq(schema.messages.role, 'assistant'),
      ),
    );
  if (!message) throw new ServiceError('NOT_FOUND', 'That reply was not found.');
}

export async function submitRating(
  db: Database,
  participant: ParticipantRow,
  input: { afterTurn: number; value: number; now?: Date },
): Promise<void> {
  const now = input.now ?? new Date();
  const config = await loadVersionConfig(db, participant.studyVersionId);
  await assertSessionOpen(db, participant, config, now);
  assertStage(participant, 'chat');
  const progress = await chatProgress(db, participant.id, config);
  if (progress.pendingRatingAfterTurn !== input.afterTurn) {
    const [already] = await db
      .select({ id: schema.ratings.id })
      .from(schema.ratings)
      .where(and(eq(schema.ratings.participantId, participant.id), eq(schema.ratings.afterTurn, input.afterTurn)));
    if (already) return;
    throw new ServiceError('CONFLICT', 'No rating is due right now. Please reload the page.');
  }
  await db
    .insert(schema.ratings)
    .values({ participantId: participant.id, afterTurn: input.afterTurn, value: input.value, createdAt: now })
    .onConflictDoNothing();
}

export async function saveDraft(
  db: Database,
  participant: ParticipantRow,
  input: { content: string; source: 'edit' | 'use_message'; sourceMessageId?: string | null; now?: Date },
): Promise<{ saved: boolean; revision: number }> {
  const now = input.now ?? new Date();
  if (participant.outcome) throw sessionEndedError(participant.outcome);
  if (participant.stage !== 'chat')
    throw new ServiceError('PRECONDITION_FAILED', 'The document can only be edited during the chat.');
  if (input.content.length > MAX_DRAFT_CHARS)
    throw new ServiceError('BAD_REQUEST', `The document can be at most ${MAX_DRAFT_CHARS} characters.`);
  await hitRateLimit(db, `draft:${participant.id}`, DRAFT_SAVE_LIMIT, now);
  if (input.source === 'use_message') {
    if (!input.sourceMessageId) throw new ServiceError('BAD_REQUEST', 'Which reply should be used?');
    await assertOwnAssistantMessage(db, participant.id, input.sourceMessageId);
  }
  const latest = await latestSavedDraft(db, participant.id);
  if (latest && latest.content === input.content) return { saved: false, revision: latest.revision };
  const [total] = await db
    .select({ n: count() })
    .from(schema.documentDrafts)
    .where(eq(schema.documentDrafts.participantId, participant.id));
  if ((total?.n ?? 0) >= MAX_DRAFTS_PER_PARTICIPANT)
    throw new ServiceError('TOO_MANY_REQUESTS', 'Too many saves. Please reload the page.');
  await db.insert(schema.documentDrafts).values({
    participantId: participant.id,
    content: input.content,
    source: input.source,
    sourceMessageId: input.source === 'use_message' ? input.sourceMessageId : null,
    createdAt: now,
  });
  return { saved: true, revision: now.getTime() };
}

/** Messages for the participant's own screen: no model ids, usage or errors. */
export async function participantMessages(db: DbExecutor, conversationId: string) {
  return db
    .select({
      id: schema.messages.id,
      seq: schema.messages.seq,
      role: schema.messages.role,
      content: schema.messages.content,
      status: schema.messages.status,
    })
    .from(schema.messages)
    .where(and(eq(schema.messages.conversationId, conversationId), inArray(schema.messages.role, ['user', 'assistant'])))
    .orderBy(asc(schema.messages.seq));
}
