/**
 * The export's message outputs: the messages table (messages.csv / messages.jsonl) and the chat file
 * (conversations.chat.jsonl), with their columns, read once per participant page for all three.
 */
import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { DbExecutor } from '../../db';
import { schema } from '../../db';
import { csvSafeText, csvText } from './serialize';
import { externalIdOf, participantIdColumn, participantPages } from './participant-scope';
import type { Column, ExportContext, Row, TableSpec } from './table-spec';

export const messageColumns: Column[] = [
  participantIdColumn,
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

/** Written by archive.ts in one pass with messages.jsonl and the chat file (messageBatches); listed in `tables` (tables.ts) for the codebook and order. */
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

export const chatColumns: Column[] = [
  { name: 'messages', type: 'json', description: 'Complete messages in order as [{"role","content"}] (failed or interrupted replies left out).' },
  participantIdColumn,
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
  participants: (typeof schema.participants.$inferSelect)[];
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
