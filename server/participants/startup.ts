/** Web-process start-up step for the participant flow (called from instrumentation.ts). */
import { getDbHandle } from '../../db';
import { startReplyOwnership } from './reply-owners';

/** Registers this web process as a reply owner (heartbeat, sweeps of dead processes' replies, relay). */
export async function startParticipantRuntime(): Promise<void> {
  await startReplyOwnership(await getDbHandle(), { installSignalHandlers: true });
}
