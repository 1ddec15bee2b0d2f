/**
 * Runs jobs from the queue (queue.ts) in one process: the web process on the embedded database
 * (or when RUN_JOBS_IN_APP), and `npm run worker` processes on a shared Postgres.
 *
 * A job's lease is renewed while its handler runs; when renewal finds the job is no longer ours
 * (cancelled), the handler's signal aborts. On stop(), the worker stops claiming, lets running jobs
 * finish for a grace period, then aborts and releases the rest so another worker picks them up at once.
 *
 * Lease deadline (what keeps a group's concurrency when a worker stalls): every attempt carries the
 * deadline of its lease by this process's monotonic clock, measured from *before* the claim or renewal
 * was sent. The database's lease runs from its own `now()`, which is later, so this deadline is never
 * after the moment the database lets anyone claim the job again. When it passes without a successful
 * renewal (the database was unreachable or slow, or the event loop stalled), the attempt is aborted
 * (`lease-lapsed`) and handed back; and before this process starts any newly claimed job it aborts
 * every attempt of its own whose deadline has passed, so in one process a re-claimed job never runs
 * next to its previous attempt. An attempt that has not noticed yet (a process frozen longer than a
 * lease) writes nothing: every queue write and the handler's domain writes (`ctx.lease`, `leaseHeld`)
 * are fenced by the claim's token.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { Database } from '../../db';
import { logger } from '../lib/logger';
import { backoffDelayMs } from './backoff';
import { RetryableJobError, TerminalJobError } from './errors';
import {
  claimJobs,
  completeJob,
  extendLeases,
  failJob,
  pruneFinishedJobs,
  releaseJob,
  retryJob,
  type ClaimedJob,
  type EnqueueInput,
  type JobLease,
} from './queue';

export interface JobContext {
  db: Database;
  signal: AbortSignal;
  jobId: string;
  attempt: number;
  maxAttempts: number;
  /** This attempt's fencing token: guard domain writes with `leaseHeld(ctx.lease)` (queue.ts). */
  lease: JobLease;
}

export interface JobDefinition<P extends Record<string, unknown> = Record<string, unknown>> {
  kind: string;
  payload: z.ZodType<P>;
  handler(payload: P, ctx: JobContext): Promise<void>;
  /** Runs once when the job fails for good (terminal error, attempts used up, or found abandoned). */
  onFailed?(payload: P, ctx: { db: Database; error: string }): Promise<void>;
  /** An attempt running longer than this is aborted and retried. */
  timeoutMs?: number;
  maxAttempts?: number;
}

export function defineJob<P extends Record<string, unknown>>(definition: JobDefinition<P>): JobDefinition<P> {
  return definition;
}

/** Builds an enqueue input for a definition, checking the payload now rather than in the worker. */
export function jobInput<P extends Record<string, unknown>>(
  definition: JobDefinition<P>,
  payload: P,
  opts: Omit<EnqueueInput, 'kind' | 'payload'> = {},
): EnqueueInput {
  return {
    kind: definition.kind,
    payload: definition.payload.parse(payload),
    maxAttempts: definition.maxAttempts,
    ...opts,
  };
}

export interface WorkerOptions {
  db: Database;
  definitions: JobDefinition<never>[] | JobDefinition[];
  /** Jobs this process runs at once (per-group limits apply on top, across all workers). */
  concurrency: number;
  pollIntervalMs?: number;
  leaseMs?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  workerId?: string;
  /** When set, finished jobs older than this are deleted once an hour. */
  keepFinishedMs?: number;
}

interface InFlight {
  job: ClaimedJob;
  controller: AbortController;
  done: Promise<void>;
  /** performance.now() by which the lease must have been renewed; see the file comment. */
  deadline: number;
  timer: NodeJS.Timeout | null;
}

const SHUTDOWN = 'worker-shutdown';
const LEASE_LOST = 'lease-lost';
/** The lease ran out before it could be renewed (the attempt is handed back and counted). */
export const LEASE_LAPSED = 'lease-lapsed';
const TIMED_OUT = 'timed-out';

/** Every running worker of this process: a new attempt starts only after all lapsed ones were aborted. */
const workersInProcess = new Set<JobWorker>();

function abortLapsedInProcess(): void {
  const now = performance.now();
  for (const worker of workersInProcess) worker.abortLapsed(now);
}

const attemptKey = (lease: JobLease) => `${lease.id}:${lease.lease}`;

export class JobWorker {
  readonly workerId: string;
  private readonly definitions = new Map<string, JobDefinition>();
  private readonly inflight = new Map<string, InFlight>();
  private running = false;
  private loopDone: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private nudged = false;
  private heartbeat: NodeJS.Timeout | null = null;
  private pruner: NodeJS.Timeout | null = null;
  private readonly pollIntervalMs: number;
  private readonly leaseMs: number;

  constructor(private readonly opts: WorkerOptions) {
    for (const d of opts.definitions as JobDefinition[]) this.definitions.set(d.kind, d);
    this.workerId = opts.workerId ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.pollIntervalMs = opts.pollIntervalMs ?? 500;
    this.leaseMs = opts.leaseMs ?? 30_000;
  }

  get activeJobs(): number {
    return this.inflight.size;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    workersInProcess.add(this);
    this.loopDone = this.loop();
    this.heartbeat = setInterval(() => void this.renewLeases(), Math.max(50, Math.floor(this.leaseMs / 3)));
    this.heartbeat.unref();
    if (this.opts.keepFinishedMs !== undefined) {
      const keep = this.opts.keepFinishedMs;
      this.pruner = setInterval(() => {
        pruneFinishedJobs(this.opts.db, keep).catch((err: unknown) => logger.error('job pruning failed', { error: err }));
      }, 60 * 60_000);
      this.pruner.unref();
    }
  }

  /** Claim now instead of at the next poll (after enqueueing, or on a NOTIFY from another process). */
  nudge(): void {
    // A nudge during a claim is remembered: the claim may have read the queue before the new jobs committed.
    if (this.wake) this.wake();
    else this.nudged = true;
  }

  async stop(opts: { graceMs?: number } = {}): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.nudge();
    await this.loopDone;
    const all = () => Promise.allSettled([...this.inflight.values()].map((f) => f.done));
    const graceMs = opts.graceMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all(), new Promise((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
    for (const f of this.inflight.values()) f.controller.abort(SHUTDOWN);
    await all();
    workersInProcess.delete(this);
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.pruner) clearInterval(this.pruner);
    this.heartbeat = null;
    this.pruner = null;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (this.running) {
      const free = this.opts.concurrency - this.inflight.size;
      let claimedAny = false;
      if (free > 0) {
        try {
          const sentAt = performance.now();
          const { jobs, exhausted } = await claimJobs(this.opts.db, {
            workerId: this.workerId,
            kinds: [...this.definitions.keys()],
            limit: free,
            leaseMs: this.leaseMs,
          });
          failures = 0;
          for (const job of exhausted) void this.runFailureHook(job, 'The worker running this item stopped responding too many times.');
          if (jobs.length > 0) abortLapsedInProcess();
          for (const job of jobs) this.run(job, sentAt + this.leaseMs);
          claimedAny = jobs.length > 0;
        } catch (err) {
          failures += 1;
          logger.error('job claim failed', { error: err, workerId: this.workerId });
        }
      }
      if (!this.running) break;
      // Claim again at once while there is work and room; otherwise wait for a slot, a nudge or the poll.
      if (claimedAny && this.inflight.size < this.opts.concurrency) continue;
      if (this.nudged) {
        this.nudged = false;
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, this.pollIntervalMs * Math.min(2 ** failures, 20));
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.wake = done;
      });
      this.wake = null;
    }
  }

  private run(job: ClaimedJob, deadline: number): void {
    const controller = new AbortController();
    const key = attemptKey(job);
    const entry: InFlight = { job, controller, done: Promise.resolve(), deadline, timer: null };
    this.inflight.set(key, entry);
    this.scheduleDeadline(entry);
    entry.done = this.execute(job, controller).finally(() => {
      if (entry.timer) clearTimeout(entry.timer);
      this.inflight.delete(key);
      this.nudge();
    });
  }

  private scheduleDeadline(entry: InFlight): void {
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = setTimeout(() => this.abortLapsed(performance.now()), Math.max(0, entry.deadline - performance.now()) + 1);
    entry.timer.unref();
  }

  /** Aborts every attempt whose lease deadline has passed (called by timers and before any new attempt starts). */
  abortLapsed(now: number): void {
    for (const entry of this.inflight.values()) {
      if (entry.deadline <= now && !entry.controller.signal.aborted) {
        logger.warn('job lease lapsed before it could be renewed; stopping the attempt', { jobId: entry.job.id, kind: entry.job.kind });
        entry.controller.abort(LEASE_LAPSED);
      }
    }
  }

  private async execute(job: ClaimedJob, controller: AbortController): Promise<void> {
    const { db } = this.opts;
    const definition = this.definitions.get(job.kind);
    if (!definition) {
      await releaseJob(db, job);
      return;
    }
    const parsed = definition.payload.safeParse(job.payload);
    if (!parsed.success) {
      const error = `Invalid job payload: ${parsed.error.issues.map((i) => i.message).join('; ')}`;
      if (await failJob(db, job, error)) await this.runFailureHook(job, error);
      return;
    }
    const timeout = definition.timeoutMs ? setTimeout(() => controller.abort(TIMED_OUT), definition.timeoutMs) : null;
    try {
      await definition.handler(parsed.data, {
        db,
        signal: controller.signal,
        jobId: job.id,
        attempt: job.attempts,
        maxAttempts: job.maxAttempts,
        lease: { id: job.id, lease: job.lease },
      });
      // A no-op when the job is no longer ours (cancelled or claimed again).
      await completeJob(db, job);
    } catch (err) {
      const reason: unknown = controller.signal.aborted ? controller.signal.reason : null;
      if (reason === LEASE_LOST) return;
      if (reason === SHUTDOWN) {
        await releaseJob(db, job).catch((e) => logger.error('job release failed', { error: e }));
        return;
      }
      const message =
        reason === TIMED_OUT
          ? 'The job took too long and was stopped.'
          : reason === LEASE_LAPSED
            ? 'The worker could not renew the lease in time (database unreachable or process stalled); the attempt was stopped.'
            : errorMessage(err);
      if (err instanceof TerminalJobError && reason !== LEASE_LAPSED) {
        if (await failJob(db, job, message)) await this.runFailureHook(job, message);
        return;
      }
      // A lapsed attempt is handed back at once (fenced: a no-op when someone claimed the job meanwhile).
      const delay =
        reason === LEASE_LAPSED
          ? 0
          : err instanceof RetryableJobError && err.retryAfterMs !== undefined
            ? err.retryAfterMs
            : backoffDelayMs(job.attempts, { baseMs: this.opts.retryBaseMs ?? 1000, maxMs: this.opts.retryMaxMs ?? 60_000 });
      const outcome = await retryJob(db, job, delay, message);
      logger.warn('job attempt failed', { kind: job.kind, jobId: job.id, attempt: job.attempts, outcome, error: message });
      if (outcome === 'failed') await this.runFailureHook(job, message);
    } finally {
      if (timeout) clearTimeout(timeout);
    }
  }

  private async runFailureHook(job: ClaimedJob, error: string): Promise<void> {
    const definition = this.definitions.get(job.kind);
    if (!definition?.onFailed) return;
    const parsed = definition.payload.safeParse(job.payload);
    if (!parsed.success) return;
    try {
      await definition.onFailed(parsed.data, { db: this.opts.db, error });
    } catch (err) {
      logger.error('job failure hook failed', { kind: job.kind, jobId: job.id, error: err });
    }
  }

  private async renewLeases(): Promise<void> {
    const entries = [...this.inflight.values()].filter((e) => !e.controller.signal.aborted);
    if (entries.length === 0) return;
    const sentAt = performance.now();
    try {
      const kept = new Set(await extendLeases(this.opts.db, entries.map((e) => e.job), this.leaseMs));
      const now = performance.now();
      for (const entry of entries) {
        if (!kept.has(entry.job.id)) entry.controller.abort(LEASE_LOST);
        else if (entry.deadline > now) {
          // Renewed in time: the database's new lease runs from after `sentAt`.
          entry.deadline = sentAt + this.leaseMs;
          this.scheduleDeadline(entry);
        }
      }
      this.abortLapsed(now);
    } catch (err) {
      logger.error('job lease renewal failed', { error: err, workerId: this.workerId });
    }
  }
}

function errorMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.length > 2000 ? `${message.slice(0, 2000)}…` : message;
}
