/**
 * Which web process owns which reply, so several web processes on one Postgres never interrupt each
 * other's replies (instrumentation.ts starts this in every web process).
 *
 * - Each web process inserts a `web_processes` row with a random id and beats every HEARTBEAT_MS
 *   (database clock). Reply rows it generates name it (`messages.owner_process_id`).
 * - Every web process sweeps every SWEEP_MS (and once at start): a participant reply still `generating`
 *   whose owner has not beaten for OWNER_STALE_MS (killed, frozen, or a row from before owners existed)
 *   is marked `interrupted`, its followers are told, and the participant can "Try again". A restarting
 *   process has a new id, so it only ever sweeps replies of processes that stopped beating.
 * - On SIGTERM/SIGINT a web process answers /api/health with 503 (load balancers stop sending), marks its own
 *   generating replies interrupted at once (with the text so far) and keeps beating while Next.js drains open
 *   connections; with NEXT_MANUAL_SIG_HANDLE set it exits right after that instead.
 * Simulated (benchmark) conversations belong to the worker and are never swept here, nor are simulated pilot
 * participants' replies (their pilot job recovers them).
 */
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNull, lt, notInArray, or, sql } from 'drizzle-orm';
import type { Database, DbHandle } from '../../db';
import { schema } from '../../db';
import { logger } from '../lib/logger';
import { interruptOwnGenerations, liveSnapshot } from './generation-hub';
import { markWebProcessStopping, setWebProcessId, webProcessId } from './owner-id';
import { publishEnd, startReplyRelay, stopReplyRelay } from './reply-relay';

const HEARTBEAT_MS = 2_000;
const SWEEP_MS = 3_000;
/** A process silent this long is dead: its replies are interrupted (five missed heartbeats). */
export const OWNER_STALE_MS = 10_000;
/** Rows of processes gone this long are deleted (kept a while for looking into incidents). */
const FORGET_AFTER_MS = 24 * 60 * 60_000;

const ms = (n: number) => sql`now() - ${Math.round(n)} * interval '1 millisecond'`;

/**
 * Marks participant replies whose owner stopped beating as interrupted; returns their ids. Any process may
 * run it at any time: replies of live processes are never touched.
 */
export async function sweepOrphanedReplies(db: Database, staleMs = OWNER_STALE_MS): Promise<string[]> {
  const liveOwners = db
    .select({ id: schema.webProcesses.id })
    .from(schema.webProcesses)
    .where(sql`${schema.webProcesses.heartbeatAt} > ${ms(staleMs)}`);
  // Simulated pilot participants' replies belong to their pilot job (server/pilots), which may run in a worker
  // process that never registers here; the job itself recovers a reply its killed attempt left generating.
  const participantConversations = db
    .select({ id: schema.conversations.id })
    .from(schema.conversations)
    .innerJoin(schema.participants, eq(schema.participants.id, schema.conversations.participantId))
    .where(and(eq(schema.conversations.kind, 'participant'), isNull(schema.participants.pilotId)));
  const rows = await db
    .update(schema.messages)
    .set({ status: 'interrupted', completedAt: new Date() })
    .where(
      and(
        eq(schema.messages.status, 'generating'),
        inArray(schema.messages.conversationId, participantConversations),
        or(isNull(schema.messages.ownerProcessId), notInArray(schema.messages.ownerProcessId, liveOwners)),
      ),
    )
    .returning({ id: schema.messages.id });
  for (const row of rows) publishEnd(row.id);
  return rows.map((r) => r.id);
}

interface Registration {
  id: string;
  db: Database;
  heartbeat: NodeJS.Timeout;
  sweeper: NodeJS.Timeout;
  stopping: Promise<void> | null;
}

const globalOwners = globalThis as unknown as { __collabReplyOwners?: Registration };

async function beat(db: Database, id: string): Promise<void> {
  // An upsert: a row removed by mistake (or by a restored backup) comes back with the next beat.
  await db
    .insert(schema.webProcesses)
    .values({ id, hostname: os.hostname(), pid: process.pid })
    .onConflictDoUpdate({ target: schema.webProcesses.id, set: { heartbeatAt: sql`now()` } });
}

/** Registers this web process, starts its heartbeat, its sweeps and the reply relay. Idempotent. */
export async function startReplyOwnership(handle: DbHandle, opts: { installSignalHandlers?: boolean } = {}): Promise<string> {
  const existing = globalOwners.__collabReplyOwners;
  if (existing) return existing.id;
  const { db } = handle;
  const id = randomUUID();
  await beat(db, id);
  setWebProcessId(id);
  await startReplyRelay(handle, liveSnapshot);
  const sweep = () =>
    sweepOrphanedReplies(db)
      .then((ids) => ids.length > 0 && logger.info('marked replies of stopped web processes as interrupted', { count: ids.length }))
      .catch((error: unknown) => logger.warn('reply sweep failed', { error }));
  const registration: Registration = {
    id,
    db,
    heartbeat: setInterval(() => void beat(db, id).catch((error: unknown) => logger.warn('web process heartbeat failed', { error })), HEARTBEAT_MS),
    sweeper: setInterval(() => void sweep(), SWEEP_MS),
    stopping: null,
  };
  registration.heartbeat.unref();
  registration.sweeper.unref();
  globalOwners.__collabReplyOwners = registration;
  await sweep();
  await db
    .delete(schema.webProcesses)
    .where(lt(schema.webProcesses.heartbeatAt, ms(FORGET_AFTER_MS)))
    .catch(() => {});
  if (opts.installSignalHandlers) {
    const onSignal = (signal: NodeJS.Signals) => {
      logger.info('web process stopping', { signal });
      markWebProcessStopping();
      // Next.js exits by itself once its server has drained, unless told to leave signals to the app.
      if (process.env.NEXT_MANUAL_SIG_HANDLE) void stopReplyOwnership().finally(() => process.exit(0));
      else
        void interruptOwnGenerations(db)
          .then((count) => count > 0 && logger.info('interrupted this process’s replies on shutdown', { count }))
          .catch((error: unknown) => logger.warn('could not interrupt replies on shutdown', { error }));
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }
  logger.info('web process registered', { id });
  return id;
}

/** Graceful stop: interrupts this process's own replies (only those), then unregisters it. */
export function stopReplyOwnership(): Promise<void> {
  const registration = globalOwners.__collabReplyOwners;
  if (!registration) return Promise.resolve();
  registration.stopping ??= (async () => {
    clearInterval(registration.heartbeat);
    clearInterval(registration.sweeper);
    const count = await interruptOwnGenerations(registration.db);
    if (count > 0) logger.info('interrupted this process’s replies on shutdown', { count });
    await stopReplyRelay();
    await registration.db
      .delete(schema.webProcesses)
      .where(eq(schema.webProcesses.id, registration.id))
      .catch(() => {});
    if (webProcessId() === registration.id) setWebProcessId(null);
    globalOwners.__collabReplyOwners = undefined;
  })();
  return registration.stopping;
}
