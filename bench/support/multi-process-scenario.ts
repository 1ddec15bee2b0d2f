/**
 * The multi-process scenario: participants chat through the round-robin proxy while each web process in
 * turn is stopped (SIGTERM or SIGKILL) while it is generating replies, and started again. Afterwards the
 * database must show: every sent message stored, every reply complete (interrupted ones were retried), every
 * participant finished, and the arms balanced. bench/multi-process.ts reports the figures;
 * e2e/multi-process.spec.ts asserts them on a smaller run.
 */
import crypto from 'node:crypto';
import { and, eq, inArray, like, sql } from 'drizzle-orm';
import type { Database } from '../../db';
import * as schema from '../../db/schema';
import { studyConfigSchema } from '../../server/studies/config';
import { chatAsParticipant, type ChatOutcome } from './chatting-participant';
import type { Cluster } from './cluster';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const RATING_INTERVAL = 3;
/** Below the study's turn limit (30). */
const MAX_MESSAGES = 25;

/** `apiKeyEncrypted`: the endpoint's key sealed with the web processes' AUTH_SECRET (server/lib/secret.ts), or null. */
export async function setUpScenarioStudy(db: Database, fakeUrl: string, apiKeyEncrypted: string | null) {
  const [connection] = await db
    .insert(schema.llmConnections)
    .values({ name: `multi-process fake ${crypto.randomBytes(3).toString('hex')}`, baseUrl: fakeUrl, apiKeyEncrypted, defaultModel: 'fake-model' })
    .returning();
  const arm = (key: string, systemPrompt: string) => ({ key, label: key, connectionId: connection!.id, model: 'fake-model', systemPrompt });
  const config = studyConfigSchema.parse({
    title: 'Multi-process study',
    consent: { version: '1', text: 'Consent.' },
    instructions: 'Write a short document with the assistant.',
    documentTypes: [{ key: 'blog-post', label: 'Blog post' }],
    topics: [{ id: 'cities', label: 'Cities' }],
    topicQuestions: [
      { id: 'audience', prompt: 'Who is it for?' },
      { id: 'point', prompt: 'What is the main point?' },
    ],
    arms: [arm('baseline', ''), arm('proactive', 'Ask clarifying questions.'), arm('collabllm', 'Collaborate.')],
    minTurns: 1,
    maxTurns: 30,
    ratingInterval: RATING_INTERVAL,
    messagesPerMinute: 120,
    blindingOptions: ['A', 'B', 'C'],
    attentionChecks: [{ id: 'check1', prompt: 'Select "Blue".', options: ['Red', 'Blue'], correctOption: 'Blue' }],
    completionCodes: { completed: 'DONE1', noConsent: 'NOC1', failedChecks: 'FAIL1', timedOut: 'TIME1' },
  });
  const slug = `mp-${crypto.randomBytes(3).toString('hex')}`;
  const [study] = await db
    .insert(schema.studies)
    .values({ slug, name: 'Multi-process', status: 'running', draftConfig: config, assignmentSeed: crypto.randomUUID() })
    .returning();
  const [version] = await db.insert(schema.studyVersions).values({ studyId: study!.id, version: 1, config }).returning();
  await db.update(schema.studies).set({ currentVersionId: version!.id }).where(eq(schema.studies.id, study!.id));
  return { slug, studyId: study!.id };
}

/** Replies generating right now in web process `pid` (what "mid-stream" means for a restart). */
async function generatingIn(db: Database, pid: number): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(schema.messages)
    .innerJoin(schema.webProcesses, eq(schema.webProcesses.id, schema.messages.ownerProcessId))
    .where(and(eq(schema.messages.status, 'generating'), eq(schema.webProcesses.pid, pid)));
  return row?.n ?? 0;
}

export interface ScenarioOptions {
  db: Database;
  cluster: Cluster;
  slug: string;
  studyId: string;
  participants: number;
  messages: number;
  /** One entry per restart: web process `i % count` is stopped with this signal while it generates replies. */
  restarts: ('SIGTERM' | 'SIGKILL')[];
  timeLimitMs: number;
}

export interface ScenarioReport {
  participants: number;
  /** Each participant sends at least this many messages, more while restarts are still to come. */
  messagesPerParticipant: number;
  wallSeconds: number;
  restarts: { process: number; signal: string; generatingWhenStopped: number; exitedAfterMs: number; healthyAgainAfterMs: number }[];
  participantErrors: string[];
  sent: number;
  lostMessages: number;
  repliesNotComplete: number;
  triesAgain: number;
  resentRequests: number;
  refollowedStreams: number;
  proxy502: number;
  finished: number;
  arms: Record<string, number>;
  armSpread: number;
}

export async function runScenario(opts: ScenarioOptions): Promise<ScenarioReport> {
  const { db, cluster, slug, studyId } = opts;
  const runId = crypto.randomBytes(3).toString('hex');
  const started = Date.now();
  const deadline = started + opts.timeLimitMs;
  let finishedCount = 0;
  let restartsPending = opts.restarts.length > 0;
  const participants = Promise.allSettled(
    Array.from({ length: opts.participants }, (_, i) =>
      chatAsParticipant(cluster.url, {
        slug,
        externalId: `mp-${runId}-${i}`,
        consentVersion: '1',
        messages: opts.messages,
        // Participants keep chatting until every restart has happened mid-stream (bounded by the turn limit).
        moreTurns: () => restartsPending,
        maxMessages: MAX_MESSAGES,
        ratingInterval: RATING_INTERVAL,
        attention: { check1: 'Blue' },
        deadline,
      }).finally(() => (finishedCount += 1)),
    ),
  );

  const restarts: ScenarioReport['restarts'] = [];
  for (const [k, signal] of opts.restarts.entries()) {
    const i = k % cluster.webPorts.length;
    // Mid-stream: wait until this process is generating replies (or everyone is done).
    let generating = 0;
    while (finishedCount < opts.participants && Date.now() < deadline && (generating = await generatingIn(db, cluster.webPid(i))) === 0) await sleep(50);
    if (finishedCount >= opts.participants) break;
    const stoppedAt = Date.now();
    const { exitedAfterMs } = await cluster.restart(i, signal);
    restarts.push({ process: i, signal, generatingWhenStopped: generating, exitedAfterMs, healthyAgainAfterMs: Date.now() - stoppedAt });
  }
  restartsPending = false;

  const results = await participants;
  const wallSeconds = +((Date.now() - started) / 1000).toFixed(1);
  const outcomes = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const participantErrors = results.flatMap((r) => (r.status === 'rejected' ? [String((r.reason as Error)?.message ?? r.reason)] : []));
  const sum = (pick: (o: ChatOutcome) => number) => outcomes.reduce((s, o) => s + pick(o), 0);

  const people = await db
    .select({ id: schema.participants.id, externalId: schema.participants.externalId, armKey: schema.participants.armKey, outcome: schema.participants.outcome })
    .from(schema.participants)
    .where(and(eq(schema.participants.studyId, studyId), like(schema.participants.externalId, `mp-${runId}-%`)));
  const conversations = people.length
    ? await db
        .select({ id: schema.conversations.id })
        .from(schema.conversations)
        .where(inArray(schema.conversations.participantId, people.map((p) => p.id)))
    : [];
  const stored = conversations.length
    ? await db
        .select({ role: schema.messages.role, status: schema.messages.status, clientMessageId: schema.messages.clientMessageId })
        .from(schema.messages)
        .where(inArray(schema.messages.conversationId, conversations.map((c) => c.id)))
    : [];
  const storedIds = new Set(stored.map((m) => m.clientMessageId));
  const sentIds = outcomes.flatMap((o) => o.sent);
  const arms: Record<string, number> = {};
  for (const p of people) arms[p.armKey ?? 'none'] = (arms[p.armKey ?? 'none'] ?? 0) + 1;
  const counts = Object.values(arms);
  return {
    participants: opts.participants,
    messagesPerParticipant: opts.messages,
    wallSeconds,
    restarts,
    participantErrors: [...new Set(participantErrors)].slice(0, 5),
    sent: sentIds.length,
    lostMessages: sentIds.filter((id) => !storedIds.has(id)).length,
    repliesNotComplete: stored.filter((m) => m.role === 'assistant' && m.status !== 'complete').length,
    triesAgain: sum((o) => o.retried),
    resentRequests: sum((o) => o.resent),
    refollowedStreams: sum((o) => o.refollowed),
    proxy502: cluster.proxy.failures(),
    finished: people.filter((p) => p.outcome === 'completed').length,
    arms,
    armSpread: counts.length ? Math.max(...counts) - Math.min(...counts) : 0,
  };
}
