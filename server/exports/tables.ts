/**
 * The export's tables: columns (with their codebook entries) and a paged row source for each.
 * Every table is read participant page by participant page (keyset on participants.id), so memory
 * stays bounded by one page however large the study is.
 */
import { and, asc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { DbExecutor } from '../../db';
import { schema } from '../../db';
import { hmac } from '../lib/secret';
import { redactSecrets } from '../insights/transcripts';
import { csvSafeText, csvText } from './serialize';
import { judgeScoresTableSpec } from './judge-scores';

export type ColumnType = 'uuid' | 'text' | 'integer' | 'number' | 'boolean' | 'timestamp' | 'json';
export interface Column {
  name: string;
  type: ColumnType;
  description: string;
}
export type Row = Record<string, unknown>;

export interface ExportScope {
  studyId: string;
  /** Empty = every version. */
  versionIds: string[];
  includePreviews: boolean;
  hashExternalIds: boolean;
}

export interface ExportContext {
  db: DbExecutor;
  scope: ExportScope;
  versionNumbers: Map<string, number>;
  /** `<versionId>:<armKey>` → the arm's label in that version (the label researchers see on every page). */
  armLabels: Map<string, string>;
  /** Participants per page; child rows per page are bounded by the study's turn and rating limits. */
  pageSize: number;
  /** Set when any exported message came from the built-in offline demo model. */
  stats: { demoModelUsed: boolean };
}

export interface TableSpec {
  name: string;
  description: string;
  columns: Column[];
  pages(ctx: ExportContext): AsyncGenerator<Row[]>;
}

const P = schema.participants;

/** Keyset pagination over the participants in scope. */
export async function* participantPages(ctx: ExportContext) {
  let after: string | null = null;
  for (;;) {
    const rows: (typeof P.$inferSelect)[] = await ctx.db
      .select()
      .from(P)
      .where(
        and(
          eq(P.studyId, ctx.scope.studyId),
          // Simulated pilot participants never reach an export of the study's participants.
          isNull(P.pilotId),
          ctx.scope.includePreviews ? undefined : eq(P.isPreview, false),
          // Simulated pilot participants are never exported with the study's data, previews included or not.
          isNull(P.pilotId),
          ctx.scope.versionIds.length ? inArray(P.studyVersionId, ctx.scope.versionIds) : undefined,
          after ? gt(P.id, after) : undefined,
        ),
      )
      .orderBy(asc(P.id))
      .limit(ctx.pageSize);
    if (!rows.length) return;
    yield rows;
    if (rows.length < ctx.pageSize) return;
    after = rows[rows.length - 1]!.id;
  }
}

/** Study-specific keyed hash: the same participant maps to the same pseudonym within a study, never across studies. */
export function pseudonymize(studyId: string, value: string): string {
  return hmac(`export-participant-ids:${studyId}`, value);
}

function externalIdOf(ctx: ExportContext, value: string | null): string | null {
  if (value === null) return null;
  return ctx.scope.hashExternalIds ? pseudonymize(ctx.scope.studyId, value) : value;
}

const pid: Column = { name: 'participant_id', type: 'uuid', description: 'Internal participant id (random UUID; joins every table).' };

const participantsTable: TableSpec = {
  name: 'participants',
  description: 'One row per participant session (previews only if requested).',
  columns: [
    pid,
    { name: 'external_id', type: 'text', description: 'PROLIFIC_PID / MTurk workerId, or its HMAC-SHA256 pseudonym (base64url) when the export hashes ids; empty for plain links.' },
    { name: 'external_id_hashed', type: 'boolean', description: 'Whether external_id and external_params values are pseudonymized.' },
    { name: 'source', type: 'text', description: 'Recruitment source: prolific, mturk, link or preview.' },
    { name: 'external_params', type: 'json', description: 'Recruitment query parameters as received (values pseudonymized when hashing).' },
    { name: 'is_preview', type: 'boolean', description: 'Researcher preview session; never counted in statistics.' },
    { name: 'study_version', type: 'integer', description: 'Study version the participant saw.' },
    { name: 'arm_key', type: 'text', description: 'Assigned arm; empty before randomization.' },
    { name: 'arm_label', type: 'text', description: "The assigned arm's label in the participant's study version, as shown on the staff pages." },
    { name: 'stage', type: 'text', description: 'Last stage reached: consent, instructions, setup, chat, survey, done.' },
    { name: 'outcome', type: 'text', description: 'completed, no_consent, failed_checks, timed_out; empty while in progress or after dropping out.' },
    { name: 'consent_version', type: 'text', description: 'Version of the consent text agreed to.' },
    { name: 'consented_at', type: 'timestamp', description: 'When consent was given (ISO 8601, UTC).' },
    { name: 'document_type', type: 'text', description: 'Document type assigned.' },
    { name: 'topic_id', type: 'text', description: 'Topic chosen.' },
    { name: 'topic_answers', type: 'json', description: 'Answers to the pre-chat topic questions (never shown to the assistant).' },
    { name: 'completion_code', type: 'text', description: 'Completion code shown at the end.' },
    { name: 'attention_failures', type: 'integer', description: 'Number of attention checks failed.' },
    { name: 'excluded', type: 'boolean', description: 'Excluded manually by a researcher.' },
    { name: 'exclusion_reason', type: 'text', description: 'Reason given for a manual exclusion.' },
    { name: 'created_at', type: 'timestamp', description: 'Session start (ISO 8601, UTC).' },
    { name: 'finished_at', type: 'timestamp', description: 'When an outcome was reached.' },
    { name: 'last_seen_at', type: 'timestamp', description: 'Last server-side activity.' },
  ],
  async *pages(ctx) {
    for await (const page of participantPages(ctx)) {
      yield page.map((p) => ({
        participant_id: p.id,
        external_id: externalIdOf(ctx, p.externalId),
        external_id_hashed: ctx.scope.hashExternalIds,
        source: p.source,
        external_params: ctx.scope.hashExternalIds
          ? Object.fromEntries(Object.entries(p.externalParams).map(([k, v]) => [k, pseudonymize(ctx.scope.studyId, v)]))
          : p.externalParams,
        is_preview: p.isPreview,
        study_version: ctx.versionNumbers.get(p.studyVersionId) ?? null,
        arm_key: p.armKey,
        arm_label: p.armKey ? (ctx.armLabels.get(`${p.studyVersionId}:${p.armKey}`) ?? null) : null,
        stage: p.stage,
        outcome: p.outcome,
        consent_version: p.consentVersion,
        consented_at: p.consentedAt,
        document_type: p.documentType,
        topic_id: p.topicId,
        topic_answers: p.topicAnswers,
        completion_code: p.completionCode,
        attention_failures: p.attentionFailures,
        excluded: p.excluded,
        exclusion_reason: p.exclusionReason,
        created_at: p.createdAt,
        finished_at: p.finishedAt,
        last_seen_at: p.lastSeenAt,
      }));
    }
  },
};

const assignmentsTable: TableSpec = {
  name: 'assignments',
  description: 'The recorded randomization draw per assigned participant: enough to audit and replay it.',
  columns: [
    pid,
    { name: 'study_version', type: 'integer', description: 'Study version at assignment.' },
    { name: 'arm_key', type: 'text', description: 'Arm drawn.' },
    { name: 'algorithm_version', type: 'text', description: 'Randomization algorithm version.' },
    { name: 'seed', type: 'text', description: 'Seed used for the draw.' },
    { name: 'draw', type: 'number', description: 'Uniform random number drawn in [0, 1).' },
    { name: 'counts_seen', type: 'json', description: 'Per-arm counts (completed + recently active) the algorithm balanced on.' },
    { name: 'sequence', type: 'integer', description: 'Order of the assignment within the study.' },
    { name: 'assigned_at', type: 'timestamp', description: 'Time of the draw.' },
    { name: 'stratum_factor', type: 'text', description: 'Stratified draws: document_type or topic_question:<id>; empty when unstratified.' },
    { name: 'stratum', type: 'text', description: 'Stratified draws: the participant\'s stratum value (counts_seen are within it).' },
  ],
  async *pages(ctx) {
    const A = schema.assignments;
    for await (const page of participantPages(ctx)) {
      const rows = await ctx.db
        .select()
        .from(A)
        .where(inArray(A.participantId, page.map((p) => p.id)))
        .orderBy(asc(A.sequence));
      yield rows.map((a) => ({
        participant_id: a.participantId,
        study_version: ctx.versionNumbers.get(a.studyVersionId) ?? null,
        arm_key: a.armKey,
        algorithm_version: a.algorithmVersion,
        seed: a.seed,
        draw: a.draw,
        counts_seen: a.countsSeen,
        sequence: a.sequence,
        assigned_at: a.createdAt,
        stratum_factor: a.stratumFactor,
        stratum: a.stratum,
      }));
    }
  },
};

export const messageColumns: Column[] = [
  pid,
  { name: 'conversation_id', type: 'uuid', description: 'Conversation id.' },
  { name: 'message_id', type: 'uuid', description: 'Message id.' },
  { name: 'seq', type: 'integer', description: 'Position in the conversation (0-based, ordered).' },
  { name: 'role', type: 'text', description: 'system, user (participant) or assistant.' },
  { name: 'content', type: 'text', description: 'Message text as stored (partial text for interrupted replies).' },
  { name: 'status', type: 'text', description: 'complete, generating, failed or interrupted.' },
  { name: 'model', type: 'text', description: 'Model id that produced an assistant message.' },
  { name: 'is_demo_model', type: 'boolean', description: 'Produced by the built-in offline demo model, not a real LLM.' },
  { name: 'prompt_tokens', type: 'integer', description: 'Prompt tokens reported by the endpoint.' },
  { name: 'completion_tokens', type: 'integer', description: 'Completion tokens reported by the endpoint.' },
  { name: 'ttft_ms', type: 'integer', description: 'Time to first token (ms).' },
  { name: 'generation_ms', type: 'integer', description: 'Total generation time (ms).' },
  { name: 'attempts', type: 'integer', description: 'Endpoint attempts (retries + 1).' },
  { name: 'error', type: 'text', description: 'Error shown for a failed reply.' },
  { name: 'created_at', type: 'timestamp', description: 'When the message was stored (participant send time / reply start).' },
  { name: 'completed_at', type: 'timestamp', description: 'When an assistant reply finished.' },
  {
    name: 'structured_output',
    type: 'json',
    description: 'Template-mode arms: every field of the reply\'s JSON (content holds only the shown field), the raw reply and rejected samples. Never shown to the participant.',
  },
];

/**
 * Timestamps as ISO 8601 text made by Postgres: the messages table is the export's bulk, and parsing then
 * re-formatting two dates per row in JavaScript was a measurable share of the time.
 */
const isoText = (column: typeof schema.messages.createdAt | typeof schema.messages.completedAt) =>
  sql<string | null>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Messages of a page of participants, ordered by participant then position. */
export async function messagesForParticipants(db: DbExecutor, participantIds: string[]) {
  const C = schema.conversations;
  const M = schema.messages;
  return db
    .select({
      participantId: C.participantId,
      conversationId: M.conversationId,
      id: M.id,
      seq: M.seq,
      role: M.role,
      content: M.content,
      status: M.status,
      model: M.model,
      isDemoModel: M.isDemoModel,
      promptTokens: M.promptTokens,
      completionTokens: M.completionTokens,
      ttftMs: M.ttftMs,
      generationMs: M.generationMs,
      attempts: M.attempts,
      error: M.error,
      createdAt: isoText(M.createdAt),
      completedAt: isoText(M.completedAt),
      structuredOutput: M.structuredOutput,
    })
    .from(M)
    .innerJoin(C, eq(C.id, M.conversationId))
    .where(inArray(C.participantId, participantIds))
    .orderBy(asc(C.participantId), asc(M.seq));
}

/** Written by archive.ts in one pass with messages.jsonl and the chat file (messageBatches); listed here for the codebook and order. */
export const messagesTable: TableSpec = {
  name: 'messages',
  description: 'Every chat message in conversation order (long format).',
  columns: messageColumns,
  async *pages(ctx) {
    for await (const batch of messageBatches(ctx)) yield batch.messages.map(messageRecord);
  },
};

function messageRecord(m: MessageRow): Row {
  return {
    participant_id: m.participantId,
    conversation_id: m.conversationId,
    message_id: m.id,
    seq: m.seq,
    role: m.role,
    content: m.content,
    status: m.status,
    model: m.model,
    is_demo_model: m.isDemoModel,
    prompt_tokens: m.promptTokens,
    completion_tokens: m.completionTokens,
    ttft_ms: m.ttftMs,
    generation_ms: m.generationMs,
    attempts: m.attempts,
    error: m.error,
    created_at: m.createdAt,
    completed_at: m.completedAt,
    structured_output: m.structuredOutput,
  };
}

const ratingsTable: TableSpec = {
  name: 'ratings',
  description: 'Periodic in-chat interaction ratings (1-10).',
  columns: [
    pid,
    { name: 'after_turn', type: 'integer', description: 'Shown after this many completed turns (3, 6, 9, ...).' },
    { name: 'value', type: 'integer', description: 'Rating 1 (worst) to 10 (best) of the interaction so far.' },
    { name: 'created_at', type: 'timestamp', description: 'When the rating was given.' },
  ],
  async *pages(ctx) {
    const R = schema.ratings;
    for await (const page of participantPages(ctx)) {
      const rows = await ctx.db
        .select()
        .from(R)
        .where(inArray(R.participantId, page.map((p) => p.id)))
        .orderBy(asc(R.participantId), asc(R.afterTurn));
      yield rows.map((r) => ({ participant_id: r.participantId, after_turn: r.afterTurn, value: r.value, created_at: r.createdAt }));
    }
  },
};

const surveysTable: TableSpec = {
  name: 'surveys',
  description: 'Final survey, one row per participant who submitted it.',
  columns: [
    pid,
    { name: 'document_quality', type: 'integer', description: 'Final document quality, 1-10.' },
    { name: 'overall_interaction', type: 'integer', description: 'Overall interaction, 1-10.' },
    { name: 'strengths', type: 'text', description: 'Free text: strengths of the assistant.' },
    { name: 'weaknesses', type: 'text', description: 'Free text: weaknesses of the assistant.' },
    { name: 'blinding_guess', type: 'text', description: 'Which assistant the participant believes they used.' },
    { name: 'attention_answers', type: 'json', description: 'Answers to the attention-check items, by check id.' },
    { name: 'final_document', type: 'text', description: 'The document as submitted.' },
    { name: 'created_at', type: 'timestamp', description: 'Submission time.' },
  ],
  async *pages(ctx) {
    const S = schema.surveyResponses;
    for await (const page of participantPages(ctx)) {
      const rows = await ctx.db
        .select()
        .from(S)
        .where(inArray(S.participantId, page.map((p) => p.id)))
        .orderBy(asc(S.participantId));
      yield rows.map((s) => ({
        participant_id: s.participantId,
        document_quality: s.documentQuality,
        overall_interaction: s.overallInteraction,
        strengths: s.strengths,
        weaknesses: s.weaknesses,
        blinding_guess: s.blindingGuess,
        attention_answers: s.attentionAnswers,
        final_document: s.finalDocument,
        created_at: s.createdAt,
      }));
    }
  },
};

const stageTimingsTable: TableSpec = {
  name: 'stage_timings',
  description: 'Server-side time per stage visit.',
  columns: [
    pid,
    { name: 'stage', type: 'text', description: 'consent, instructions, setup, chat, survey or done.' },
    { name: 'entered_at', type: 'timestamp', description: 'Entered the stage (server clock).' },
    { name: 'left_at', type: 'timestamp', description: 'Left the stage; empty if never left.' },
    { name: 'duration_sec', type: 'number', description: 'left_at - entered_at in seconds; empty if never left.' },
  ],
  async *pages(ctx) {
    const V = schema.stageVisits;
    for await (const page of participantPages(ctx)) {
      const rows = await ctx.db
        .select()
        .from(V)
        .where(inArray(V.participantId, page.map((p) => p.id)))
        .orderBy(asc(V.participantId), asc(V.enteredAt));
      yield rows.map((v) => ({
        participant_id: v.participantId,
        stage: v.stage,
        entered_at: v.enteredAt,
        left_at: v.leftAt,
        duration_sec: v.leftAt ? (v.leftAt.getTime() - v.enteredAt.getTime()) / 1000 : null,
      }));
    }
  },
};

const draftsTable: TableSpec = {
  name: 'drafts',
  description: "Every saved state of the participant's working document.",
  columns: [
    pid,
    { name: 'draft_id', type: 'uuid', description: 'Draft id.' },
    { name: 'source', type: 'text', description: 'edit (typed by the participant) or use_message (copied from an assistant reply).' },
    { name: 'source_message_id', type: 'uuid', description: 'The assistant message copied, for use_message.' },
    { name: 'content', type: 'text', description: 'Full draft text at that moment.' },
    { name: 'created_at', type: 'timestamp', description: 'When it was saved.' },
  ],
  async *pages(ctx) {
    const D = schema.documentDrafts;
    for await (const page of participantPages(ctx)) {
      const rows = await ctx.db
        .select()
        .from(D)
        .where(inArray(D.participantId, page.map((p) => p.id)))
        .orderBy(asc(D.participantId), asc(D.createdAt));
      yield rows.map((d) => ({
        participant_id: d.participantId,
        draft_id: d.id,
        source: d.source,
        source_message_id: d.sourceMessageId,
        content: d.content,
        created_at: d.createdAt,
      }));
    }
  },
};

const heartbeatsTable: TableSpec = {
  name: 'heartbeats',
  description: 'Client heartbeats (focus, idle, waiting for the model) attributed to a stage.',
  columns: [
    pid,
    { name: 'stage', type: 'text', description: 'Stage the participant was in.' },
    { name: 'focused', type: 'boolean', description: 'The study tab had focus.' },
    { name: 'idle', type: 'boolean', description: 'No input for the idle threshold.' },
    { name: 'interval_ms', type: 'integer', description: 'Milliseconds since the previous heartbeat (capped server-side).' },
    { name: 'waiting_for_model', type: 'boolean', description: 'A reply was being generated during the interval.' },
    { name: 'received_at', type: 'timestamp', description: 'Server receive time.' },
  ],
  async *pages(ctx) {
    const H = schema.heartbeats;
    for await (const page of participantPages(ctx)) {
      const rows = await ctx.db
        .select()
        .from(H)
        .where(inArray(H.participantId, page.map((p) => p.id)))
        .orderBy(asc(H.participantId), asc(H.receivedAt));
      yield rows.map((h) => ({
        participant_id: h.participantId,
        stage: h.stage,
        focused: h.focused,
        idle: h.idle,
        interval_ms: h.intervalMs,
        waiting_for_model: h.waitingForModel,
        received_at: h.receivedAt,
      }));
    }
  },
};

export const tables: TableSpec[] = [
  participantsTable,
  assignmentsTable,
  messagesTable,
  ratingsTable,
  surveysTable,
  stageTimingsTable,
  draftsTable,
  heartbeatsTable,
  judgeScoresTableSpec(participantPages),
];

export const chatColumns: Column[] = [
  { name: 'messages', type: 'json', description: 'Complete messages in order as [{"role","content"}] (failed or interrupted replies left out).' },
  pid,
  { name: 'external_id', type: 'text', description: 'As in participants (pseudonymized when hashing).' },
  { name: 'study_version', type: 'integer', description: 'Study version.' },
  { name: 'arm_key', type: 'text', description: 'Assigned arm.' },
  { name: 'document_type', type: 'text', description: 'Document type.' },
  { name: 'topic_id', type: 'text', description: 'Topic.' },
  { name: 'outcome', type: 'text', description: 'Outcome (see participants).' },
  { name: 'excluded', type: 'boolean', description: 'Excluded manually by a researcher.' },
  { name: 'is_demo_model', type: 'boolean', description: 'Any reply came from the offline demo model.' },
  { name: 'document_quality', type: 'integer', description: 'Final document quality, 1-10 (empty without a survey).' },
  { name: 'overall_interaction', type: 'integer', description: 'Overall interaction, 1-10.' },
];

type MessageRow = Awaited<ReturnType<typeof messagesForParticipants>>[number];

/** One participant page with its messages and survey scores: everything the three message files need. */
export interface MessageBatch {
  participants: (typeof P.$inferSelect)[];
  messages: MessageRow[];
  surveys: { participantId: string; documentQuality: number; overallInteraction: number }[];
}

/**
 * Reads the messages once per participant page for all message outputs (messages.csv, messages.jsonl and
 * the chat file); before, each output queried and mapped the largest table again.
 */
export async function* messageBatches(ctx: ExportContext): AsyncGenerator<MessageBatch> {
  for await (const participants of participantPages(ctx)) {
    const ids = participants.map((p) => p.id);
    const [messages, surveys] = await Promise.all([
      messagesForParticipants(ctx.db, ids),
      ctx.db
        .select({
          participantId: schema.surveyResponses.participantId,
          documentQuality: schema.surveyResponses.documentQuality,
          overallInteraction: schema.surveyResponses.overallInteraction,
        })
        .from(schema.surveyResponses)
        .where(inArray(schema.surveyResponses.participantId, ids)),
    ]);
    if (!ctx.stats.demoModelUsed && messages.some((m) => m.isDemoModel)) ctx.stats.demoModelUsed = true;
    yield { participants, messages, surveys };
  }
}

/** messages.csv lines for a batch, column by column in messageColumns' order. */
export function messagesCsv(batch: MessageBatch): string {
  let out = '';
  for (const m of batch.messages) {
    out +=
      `${m.participantId ?? ''},${m.conversationId},${m.id},${m.seq},${csvSafeText(m.role)},${csvSafeText(m.content)},` +
      `${csvSafeText(m.status)},${m.model === null ? '' : csvSafeText(m.model)},${m.isDemoModel ? 'true' : 'false'},` +
      `${m.promptTokens ?? ''},${m.completionTokens ?? ''},${m.ttftMs ?? ''},${m.generationMs ?? ''},${m.attempts},` +
      `${m.error === null ? '' : csvSafeText(m.error)},${m.createdAt ?? ''},${m.completedAt ?? ''},` +
      `${m.structuredOutput === null ? '' : csvText(JSON.stringify(m.structuredOutput))}\n`;
  }
  return out;
}

/** messages.jsonl lines for a batch (keys in messageColumns' order). */
export function messagesJsonl(batch: MessageBatch): string {
  let out = '';
  for (const m of batch.messages) out += JSON.stringify(messageRecord(m)) + '\n';
  return out;
}

/** One line per conversation in the Hugging Face chat format ({"messages": [...], ...metadata}). */
export function chatRows(ctx: ExportContext, batch: MessageBatch): Row[] {
  const byParticipant = new Map<string, { role: string; content: string }[]>();
  const demo = new Set<string>();
  for (const m of batch.messages) {
    if (!m.participantId) continue;
    if (m.isDemoModel) demo.add(m.participantId);
    if (m.status !== 'complete') continue;
    let list = byParticipant.get(m.participantId);
    if (!list) byParticipant.set(m.participantId, (list = []));
    list.push({ role: m.role, content: m.content });
  }
  const survey = new Map(batch.surveys.map((s) => [s.participantId, s]));
  const rows: Row[] = [];
  for (const p of batch.participants) {
    const list = byParticipant.get(p.id);
    if (!list?.length) continue;
    rows.push({
      messages: list,
      participant_id: p.id,
      external_id: externalIdOf(ctx, p.externalId),
      study_version: ctx.versionNumbers.get(p.studyVersionId) ?? null,
      arm_key: p.armKey,
      document_type: p.documentType,
      topic_id: p.topicId,
      outcome: p.outcome,
      excluded: p.excluded,
      is_demo_model: demo.has(p.id),
      document_quality: survey.get(p.id)?.documentQuality ?? null,
      overall_interaction: survey.get(p.id)?.overallInteraction ?? null,
    });
  }
  return rows;
}

/** Published versions; with `includeDraftPreviews`, also the draft snapshots (version ≤ 0) preview sessions point at. */
export async function studyVersionRows(db: DbExecutor, studyId: string, opts: { includeDraftPreviews?: boolean } = {}) {
  const V = schema.studyVersions;
  const rows = (await db.select().from(V).where(eq(V.studyId, studyId)).orderBy(asc(V.version))).filter(
    (v) => opts.includeDraftPreviews || !v.draftPreview,
  );
  return rows.map((v) => ({ version_id: v.id, version: v.version, note: v.note, created_at: v.createdAt, config: redactSecrets(v.config) }));
}

/** `<versionId>:<armKey>` → label, for the arm_label column. */
export function armLabelsOf(versions: { version_id: string; config: { arms?: { key: string; label: string }[] } }[]): Map<string, string> {
  const labels = new Map<string, string>();
  for (const v of versions) for (const arm of v.config.arms ?? []) labels.set(`${v.version_id}:${arm.key}`, arm.label);
  return labels;
}
