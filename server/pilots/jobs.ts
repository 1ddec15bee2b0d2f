/**
 * The pilot's background work: one `pilot.participant` job per simulated participant, in the pilot's queue
 * group (its concurrency holds across every worker). Payloads carry ids only.
 *
 * Failure policy (as for benchmark items): retryable errors (the simulator's endpoint overloaded, a reply
 * that kept failing) try the participant again later, continuing its stored session, up to
 * PARTICIPANT_MAX_ATTEMPTS; then the participant is marked failed and the pilot goes on. Terminal errors
 * (rejected credentials, a request the endpoint refuses) stop the whole pilot with the reason.
 */
import { z } from 'zod';
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db';
import { schema } from '../../db';
import { RetryableJobError, TerminalJobError } from '../jobs/errors';
import { holdsLease, type JobLease } from '../jobs/queue';
import { defineJob, type JobDefinition } from '../jobs/worker';
import { logger } from '../lib/logger';
import { parsePilotConfig } from './config';
import { isTerminalPilotError } from './errors';
import { endPilotEarly, finalizePilotIfDone, recordParticipantFailure, startPilotIfLive } from './lifecycle';
import { ensurePilotParticipant, runSimulatedParticipant } from './simulated-participant';

export const PILOT_PARTICIPANT_JOB = 'pilot.participant';
export const PARTICIPANT_MAX_ATTEMPTS = 4;
/** A guard against a stuck attempt, far above any healthy session; per-call timeouts live in the LLM layer. */
const PARTICIPANT_TIMEOUT_MS = 60 * 60_000;

export const pilotParticipantPayload = z.object({ pilotId: z.uuid(), index: z.number().int().min(0) });

function messageOf(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 1000);
}

/** Whether this attempt still holds its job (not cancelled, not claimed again after a lapsed lease). */
async function stillHolds(db: Database, lease: JobLease): Promise<boolean> {
  const [row] = await db
    .select({ id: schema.jobs.id })
    .from(schema.jobs)
    .where(and(eq(schema.jobs.id, lease.id), eq(schema.jobs.lease, lease.lease), eq(schema.jobs.status, 'active')));
  return row !== undefined;
}

export function pilotJobDefinitions(): JobDefinition[] {
  const participant = defineJob({
    kind: PILOT_PARTICIPANT_JOB,
    payload: pilotParticipantPayload,
    maxAttempts: PARTICIPANT_MAX_ATTEMPTS,
    timeoutMs: PARTICIPANT_TIMEOUT_MS,
    async handler({ pilotId, index }, { db, signal, lease }) {
      if (!(await startPilotIfLive(db, pilotId))) return;
      try {
        await runSimulatedParticipant(db, pilotId, index, { signal, stillOwned: () => stillHolds(db, lease) });
      } catch (err) {
        // Aborted by the worker (cancel, lost lease, shutdown): the worker decides what happens next.
        if (signal.aborted) throw err;
        if (isTerminalPilotError(err)) {
          const reason = `Stopped because a simulated participant failed with an error that retrying cannot fix: ${messageOf(err)}`;
          await db.transaction(async (tx) => {
            // Fenced: an attempt whose job was claimed again must not end the pilot.
            if (!(await holdsLease(tx, lease))) return;
            await recordParticipantFailure(tx, pilotId, index, messageOf(err));
            await endPilotEarly(tx, pilotId, { status: 'failed', error: reason });
          });
          logger.warn('pilot stopped by a terminal error', { pilotId, index, error: messageOf(err) });
          throw new TerminalJobError(messageOf(err));
        }
        throw new RetryableJobError(messageOf(err));
      }
      await finalizePilotIfDone(db, pilotId);
    },
    async onFailed({ pilotId, index }, { db, error }) {
      const [pilot] = await db.select().from(schema.studyPilots).where(eq(schema.studyPilots.id, pilotId));
      if (!pilot) return;
      // The failure lives on the participant row (job rows are pruned), so it must exist to carry it.
      await ensurePilotParticipant(db, pilot, parsePilotConfig(pilot.config), index).catch(() => null);
      await recordParticipantFailure(db, pilotId, index, error);
      await finalizePilotIfDone(db, pilotId);
    },
  });
  return [participant] as unknown as JobDefinition[];
}
