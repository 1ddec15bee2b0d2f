/**
 * Sending a participant message: stored before it is acknowledged (idempotent by clientMessageId), with the
 * assistant reply started in the generation hub, detached from the request.
 */
import crypto from 'node:crypto';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Database, DbExecutor } from '../../db';
import { schema } from '../../db';
import { resolveArmTarget } from '../llm/resolve';
import { armCall } from '../arms/generate';
import { studyArmContext } from '../arms/context';
import type { ChatMessage } from '../llm/types';
import type { StudyConfig } from '../studies/config';
import { ServiceError } from '../services/errors';
import { participantNotFound, type ParticipantIdentity, type ParticipantRow } from './identity';
import { startGeneration } from './generation-hub';
import { webProcessId } from './owner-id';
import { assertStage, finishWithOutcome, loadVersionConfig, sessionDeadline, sessionEndedError } from './session';
import { modelHistory, progressFrom } from './conversation';
import { markNotStarted } from './replies';

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
