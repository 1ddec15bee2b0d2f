/** The periodic in-chat ratings: storing the one that is due (the gate itself is in conversation.ts `chatProgress`). */
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db';
import { schema } from '../../db';
import { ServiceError } from '../services/errors';
import type { ParticipantRow } from './identity';
import { assertSessionOpen, assertStage, loadVersionConfig } from './session';
import { chatProgress } from './conversation';

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
