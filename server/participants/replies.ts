/** A participant's assistant replies after the send: following one, retrying a failed one, and the ownership check. */
import { and, eq } from 'drizzle-orm';
import type { Database, DbExecutor } from '../../db';
import { schema } from '../../db';
import { resolveArmTarget } from '../llm/resolve';
import { armCall } from '../arms/generate';
import { studyArmContext } from '../arms/context';
import type { StudyConfig } from '../studies/config';
import { ServiceError } from '../services/errors';
import type { ParticipantRow } from './identity';
import { followReply, generationOwner, startGeneration, type TrackedReplyEvent } from './generation-hub';
import { webProcessId } from './owner-id';
import { publishEnd } from './reply-relay';
import { assertSessionOpen, assertStage, loadVersionConfig } from './session';
import { conversationIdOf, loadModelHistory } from './conversation';

function armOf(participant: ParticipantRow, config: StudyConfig) {
  const arm = config.arms.find((a) => a.key === participant.armKey);
  if (!arm) throw new Error(`participant ${participant.id} has no arm in its study version`);
  return arm;
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

/** Marks a reply that could not start as failed and tells its followers. */
export async function markNotStarted(db: Database, messageId: string, error: unknown) {
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
