/**
 * The chat stage of a simulated pilot participant, through the participant path's own functions:
 * `sendMessage` (the same limits, prompts and arm snapshot; the reply runs in the generation hub as for a
 * person), `submitRating` when the rating gate asks, `saveDraft` for "Use this in my document" and edits in
 * the document pane, `retryReply` after a failed or interrupted reply, and `finishChat`.
 *
 * Everything is read back from the database at each step, so a resumed attempt continues the stored
 * conversation. A reply still `generating` that no generation in this process owns was left by a killed
 * attempt: it is marked interrupted and retried, as a person would press "Try again".
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db';
import { schema } from '../../db';
import { countWords } from '../metrics';
import { documentToInsert, splitReply } from '../llm/document-part';
import type { Usage } from '../llm/types';
import type { TranscriptMessage } from '../benchmarks/simulator-prompt';
import type { SimulatedUser } from '../benchmarks/types';
import { chatProgress } from '../participants/conversation';
import { saveDraft } from '../participants/drafts';
import { submitRating } from '../participants/ratings';
import { retryReply } from '../participants/replies';
import { sendMessage } from '../participants/send-message';
import { finishChat as finishChatStep } from '../participants/flow';
import { isGenerating, waitForGeneration } from '../participants/generation-hub';
import type { ParticipantRow } from '../participants/identity';
import { ServiceError } from '../services/errors';
import type { StudyConfig } from '../studies/config';
import { rateInteraction, seededPick, seededUnit, type RespondentContext } from './respondent';
import { PilotParticipantError } from './errors';

/** Consecutive failed replies (each retried like "Try again") before the participant's attempt gives up. */
const MAX_REPLY_FAILURES = 3;
/** A reply this long without markers is still a draft a participant would copy into the pane. */
const DRAFT_MIN_WORDS = 150;
/** What a participant says to keep going when they would stop but the study asks for more turns (our own text). */
const KEEP_GOING = [
  'Before I finish: could you make it a little more concise?',
  'Can you make the opening more engaging?',
  'Could you add one concrete example to make it more vivid?',
  'Please check that the tone suits the people who will read it.',
  'Can you give it a stronger ending?',
];

export async function conversationOf(db: Database, participantId: string): Promise<string | null> {
  const [row] = await db
    .select({ id: schema.conversations.id })
    .from(schema.conversations)
    .where(eq(schema.conversations.participantId, participantId));
  return row?.id ?? null;
}

/** Stores where the simulated participant came from (persona, simulator, seeds) with its conversation, once. */
export async function recordProvenance(db: Database, conversationId: string, pilot: Record<string, unknown>): Promise<void> {
  const c = schema.conversations;
  await db
    .update(c)
    .set({ metadata: sql`${c.metadata} || jsonb_build_object('pilot', ${JSON.stringify(pilot)}::jsonb)` })
    .where(and(eq(c.id, conversationId), sql`not (${c.metadata} ? 'pilot')`));
}

/** Adds the simulated participant's own model usage (messages, ratings, answers) to its conversation's metadata. */
export async function addSimulatorUsage(db: Database, conversationId: string, usage: Usage): Promise<void> {
  if (!usage.promptTokens && !usage.completionTokens) return;
  const c = schema.conversations;
  const prior = (field: string) => sql`coalesce((${c.metadata} -> 'pilotSimulatorUsage' ->> ${field})::bigint, 0)`;
  await db
    .update(c)
    .set({
      metadata: sql`${c.metadata} || jsonb_build_object('pilotSimulatorUsage', jsonb_build_object(
        'promptTokens', ${prior('promptTokens')} + ${usage.promptTokens}::bigint,
        'completionTokens', ${prior('completionTokens')} + ${usage.completionTokens}::bigint))`,
    })
    .where(eq(c.id, conversationId));
}

interface StoredMessage {
  id: string;
  role: 'system' | 'user' | 'assistant';
  content: string;
  status: 'complete' | 'generating' | 'failed' | 'interrupted';
  error: string | null;
}

async function messagesOf(db: Database, conversationId: string): Promise<StoredMessage[]> {
  return db
    .select({ id: schema.messages.id, role: schema.messages.role, content: schema.messages.content, status: schema.messages.status, error: schema.messages.error })
    .from(schema.messages)
    .where(eq(schema.messages.conversationId, conversationId))
    .orderBy(asc(schema.messages.seq));
}

/** What the participant saw: their messages and the completed replies (shown text only). */
function visibleHistory(rows: StoredMessage[]): TranscriptMessage[] {
  return rows
    .filter((m) => m.role === 'user' || (m.role === 'assistant' && m.status === 'complete'))
    .map((m) => ({ role: m.role as 'user' | 'assistant', content: m.content }));
}

export async function transcriptOf(db: Database, participantId: string, conversationId: string | null) {
  const [rows, ratings] = await Promise.all([
    conversationId ? messagesOf(db, conversationId) : Promise.resolve([]),
    db.select({ value: schema.ratings.value }).from(schema.ratings).where(eq(schema.ratings.participantId, participantId)).orderBy(asc(schema.ratings.afterTurn)),
  ]);
  return { history: visibleHistory(rows), ratings: ratings.map((r) => r.value) };
}

function abortable(promise: Promise<unknown>, signal?: AbortSignal): Promise<unknown> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason ?? new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function sleep(ms: number, signal?: AbortSignal): Promise<unknown> {
  return abortable(new Promise((resolve) => setTimeout(resolve, ms).unref()), signal);
}

/** "Use this in my document" for a reply that holds a draft, and now and then an edit of one's own. */
async function usePane(db: Database, participant: ParticipantRow, reply: StoredMessage, respondent: RespondentContext, turn: number) {
  const parts = splitReply(reply.content);
  if (!parts.document && countWords(reply.content) < DRAFT_MIN_WORDS) return;
  const [used] = await db
    .select({ id: schema.documentDrafts.id })
    .from(schema.documentDrafts)
    .where(and(eq(schema.documentDrafts.participantId, participant.id), eq(schema.documentDrafts.sourceMessageId, reply.id)));
  if (used) return;
  const inserted = documentToInsert(reply.content);
  await saveDraft(db, participant, { content: inserted, source: 'use_message', sourceMessageId: reply.id });
  // Experienced writers tighten drafts themselves more often: the edit cuts the closing sentence.
  const editChance = respondent.persona.expertise === 'an experienced writer' ? 0.5 : 0.2;
  if (seededUnit(respondent.seed, `edit:${turn}`) >= editChance) return;
  const sentences = inserted.split(/(?<=[.!?])\s+/);
  if (sentences.length < 4) return;
  await saveDraft(db, participant, { content: sentences.slice(0, -1).join(' '), source: 'edit' });
}

export interface SimulatedChatInput {
  participant: ParticipantRow;
  study: StudyConfig;
  simulator: SimulatedUser;
  respondent: RespondentContext;
  signal?: AbortSignal;
  stillOwned?: () => Promise<boolean>;
}

/** Chats until the simulated user is done (and the study allows finishing) or the turn limit, then finishes the chat. */
export async function runSimulatedChat(db: Database, input: SimulatedChatInput): Promise<void> {
  const { study, simulator, respondent, signal } = input;
  const participantId = input.participant.id;
  let failures = 0;
  const maxSteps = study.maxTurns * 6 + 20;
  for (let step = 0; step < maxSteps; step++) {
    signal?.throwIfAborted();
    if (input.stillOwned && !(await input.stillOwned())) return;
    const [participant] = await db.select().from(schema.participants).where(eq(schema.participants.id, participantId));
    if (!participant || participant.outcome || participant.stage !== 'chat') return;
    const conversationId = await conversationOf(db, participantId);
    if (!conversationId) throw new PilotParticipantError('The participant has no conversation.', 'retryable');
    const rows = await messagesOf(db, conversationId);
    const lastReply = [...rows].reverse().find((m) => m.role === 'assistant');

    if (lastReply?.status === 'generating') {
      if (isGenerating(lastReply.id)) {
        await abortable(waitForGeneration(lastReply.id), signal);
        continue;
      }
      // Left by a killed attempt (no generation here owns it): interrupted, then retried below.
      await db
        .update(schema.messages)
        .set({ status: 'interrupted', completedAt: new Date() })
        .where(and(eq(schema.messages.id, lastReply.id), eq(schema.messages.status, 'generating')));
      continue;
    }
    if (lastReply && (lastReply.status === 'failed' || lastReply.status === 'interrupted')) {
      failures += 1;
      if (failures > MAX_REPLY_FAILURES) {
        const terminal = lastReply.error?.startsWith('terminal') ?? false;
        throw new PilotParticipantError(`The assistant's reply failed ${MAX_REPLY_FAILURES} times: ${lastReply.error ?? lastReply.status}`, terminal ? 'terminal' : 'retryable');
      }
      await retryReply(db, participant, { messageId: lastReply.id });
      await abortable(waitForGeneration(lastReply.id), signal);
      continue;
    }
    if (lastReply?.status === 'complete') failures = 0;

    const history = visibleHistory(rows);
    const progress = await chatProgress(db, participantId, study);
    if (lastReply?.status === 'complete') await usePane(db, participant, lastReply, respondent, progress.turnsCompleted);
    if (progress.pendingRatingAfterTurn !== null) {
      const rating = await rateInteraction(respondent, history, progress.pendingRatingAfterTurn);
      await submitRating(db, participant, { afterTurn: progress.pendingRatingAfterTurn, value: rating.value });
      await addSimulatorUsage(db, conversationId, rating.usage);
      continue;
    }
    if (progress.userMessages >= study.maxTurns) {
      await finishChatStep(db, participant);
      return;
    }

    const turn = await simulator.next(history, { signal });
    await addSimulatorUsage(db, conversationId, turn.usage);
    let content = turn.message.trim();
    if (turn.terminate && progress.turnsCompleted >= study.minTurns) {
      await finishChatStep(db, participant);
      return;
    }
    // The study asks for more turns than the simulated user wanted: it keeps going, as a person would when told to.
    if (turn.terminate || !content) content = seededPick(KEEP_GOING, respondent.seed, `keep-going:${progress.userMessages}`);
    content = content.slice(0, study.maxMessageChars);
    try {
      // The id is per turn, so a resent turn after a crash is recognised as a duplicate by the chat path.
      const sent = await sendMessage(db, { studyId: participant.studyId, participantId }, { clientMessageId: `pilot-${participantId}-${progress.userMessages + 1}`, content });
      if (sent.assistantMessageId) await abortable(waitForGeneration(sent.assistantMessageId), signal);
    } catch (error) {
      // The study's message rate limit applies to simulated participants too: wait, then send again.
      if (error instanceof ServiceError && error.code === 'TOO_MANY_REQUESTS') await sleep(5_000, signal);
      else if (error instanceof ServiceError && error.code === 'CONFLICT') continue;
      else throw error;
    }
  }
  throw new PilotParticipantError('The simulated chat did not finish within its step limit.', 'retryable');
}
