/**
 * Presence: the browser reports every ~15 s and on focus, blur, visibility and idle changes.
 * The server stamps the time and attributes the interval to the participant's current stage.
 */
import { eq } from 'drizzle-orm';
import type { Database } from '../../db';
import { schema } from '../../db';
import type { ParticipantRow } from './identity';

/** A client interval longer than this is a sleeping laptop, not a measurement. */
export const MAX_HEARTBEAT_INTERVAL_MS = 120_000;

export async function recordHeartbeat(
  db: Database,
  participant: ParticipantRow,
  input: { focused: boolean; idle: boolean; intervalMs: number; waitingForModel: boolean; now?: Date },
): Promise<void> {
  const now = input.now ?? new Date();
  await db.insert(schema.heartbeats).values({
    participantId: participant.id,
    stage: participant.stage,
    focused: input.focused,
    idle: input.idle,
    intervalMs: Math.max(0, Math.min(MAX_HEARTBEAT_INTERVAL_MS, Math.round(input.intervalMs))),
    waitingForModel: input.waitingForModel,
    receivedAt: now,
  });
  await db.update(schema.participants).set({ lastSeenAt: now }).where(eq(schema.participants.id, participant.id));
}
