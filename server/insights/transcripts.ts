/** Transcript browsing: a filtered, searchable list of participants and one participant's full record. */
import { and, asc, count, desc, eq, exists, ilike, isNull, sql } from 'drizzle-orm';
import type { DbExecutor } from '../../db';
import { schema } from '../../db';
import { notFound } from '../services/errors';
import { participantScope, type Outcome } from './dataset';
import { loadStudyOverview } from './study-access';

export interface TranscriptListInput {
  studyId: string;
  versionIds?: string[];
  armKey?: string;
  /** 'in_progress' = no outcome yet. */
  outcome?: Outcome | 'in_progress';
  excluded?: boolean;
  /** Case-insensitive text that must occur in at least one message. */
  search?: string;
  page: number;
  pageSize: number;
}

/** ILIKE treats % and _ as wildcards; researchers search for literal text. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export async function listTranscripts(db: DbExecutor, input: TranscriptListInput) {
  const p = schema.participants;
  const c = schema.conversations;
  const m = schema.messages;
  const search = input.search?.trim();
  const where = and(
    participantScope({ studyId: input.studyId, versionIds: input.versionIds }),
    input.armKey ? eq(p.armKey, input.armKey) : undefined,
    input.outcome === 'in_progress' ? isNull(p.outcome) : input.outcome ? eq(p.outcome, input.outcome) : undefined,
    input.excluded === undefined ? undefined : eq(p.excluded, input.excluded),
    search
      ? exists(
          db
            .select({ one: sql`1` })
            .from(m)
            .innerJoin(c, eq(c.id, m.conversationId))
            .where(and(eq(c.participantId, p.id), ilike(m.content, likePattern(search)))),
        )
      : undefined,
  );
  const turns = db
    .select({ participantId: c.participantId, turns: count().as('turns') })
    .from(m)
    .innerJoin(c, eq(c.id, m.conversationId))
    .innerJoin(p, eq(p.id, c.participantId))
    .where(and(participantScope({ studyId: input.studyId, versionIds: input.versionIds }), eq(m.role, 'user')))
    .groupBy(c.participantId)
    .as('turn_counts');

  const [study, rows, [total]] = await Promise.all([
    loadStudyOverview(db, input.studyId),
    db
      .select({
        participantId: p.id,
        externalId: p.externalId,
        source: p.source,
        armKey: p.armKey,
        stage: p.stage,
        outcome: p.outcome,
        excluded: p.excluded,
        exclusionReason: p.exclusionReason,
        attentionFailures: p.attentionFailures,
        documentType: p.documentType,
        topicId: p.topicId,
        createdAt: p.createdAt,
        finishedAt: p.finishedAt,
        turns: sql<number>`coalesce(${turns.turns}, 0)::int`,
      })
      .from(p)
      .leftJoin(turns, eq(turns.participantId, p.id))
      .where(where)
      .orderBy(desc(p.createdAt), desc(p.id))
      .limit(input.pageSize)
      .offset((input.page - 1) * input.pageSize),
    db.select({ n: count() }).from(p).where(where),
  ]);
  return { arms: study.arms, rows, total: total?.n ?? 0, page: input.page, pageSize: input.pageSize };
}

export async function getTranscript(db: DbExecutor, studyId: string, participantId: string) {
  const p = schema.participants;
  const [participant] = await db
    .select()
    .from(p)
    .where(and(eq(p.id, participantId), eq(p.studyId, studyId)));
  if (!participant) throw notFound('The participant');

  const [conversation] = await db
    .select({ id: schema.conversations.id, assistantConfig: schema.conversations.assistantConfig })
    .from(schema.conversations)
    .where(eq(schema.conversations.participantId, participantId));
  const m = schema.messages;
  const [messages, drafts, ratings, [survey], stageVisits, [assignment], [version]] = await Promise.all([
    conversation
      ? db
          .select({
            id: m.id,
            seq: m.seq,
            role: m.role,
            content: m.content,
            status: m.status,
            model: m.model,
            isDemoModel: m.isDemoModel,
            ttftMs: m.ttftMs,
            generationMs: m.generationMs,
            error: m.error,
            createdAt: m.createdAt,
            completedAt: m.completedAt,
          })
          .from(m)
          .where(eq(m.conversationId, conversation.id))
          .orderBy(asc(m.seq))
      : Promise.resolve([]),
    db
      .select()
      .from(schema.documentDrafts)
      .where(eq(schema.documentDrafts.participantId, participantId))
      .orderBy(asc(schema.documentDrafts.createdAt)),
    db
      .select({ afterTurn: schema.ratings.afterTurn, value: schema.ratings.value, createdAt: schema.ratings.createdAt })
      .from(schema.ratings)
      .where(eq(schema.ratings.participantId, participantId))
      .orderBy(asc(schema.ratings.afterTurn)),
    db.select().from(schema.surveyResponses).where(eq(schema.surveyResponses.participantId, participantId)),
    db
      .select({ stage: schema.stageVisits.stage, enteredAt: schema.stageVisits.enteredAt, leftAt: schema.stageVisits.leftAt })
      .from(schema.stageVisits)
      .where(eq(schema.stageVisits.participantId, participantId))
      .orderBy(asc(schema.stageVisits.enteredAt)),
    db
      .select({
        armKey: schema.assignments.armKey,
        sequence: schema.assignments.sequence,
        seed: schema.assignments.seed,
        draw: schema.assignments.draw,
        algorithmVersion: schema.assignments.algorithmVersion,
        createdAt: schema.assignments.createdAt,
      })
      .from(schema.assignments)
      .where(eq(schema.assignments.participantId, participantId)),
    db
      .select({ version: schema.studyVersions.version, config: schema.studyVersions.config })
      .from(schema.studyVersions)
      .where(eq(schema.studyVersions.id, participant.studyVersionId)),
  ]);
  // Labels and the pre-chat questions come from the version the participant saw.
  const config = version?.config;
  const answers = participant.topicAnswers ?? {};
  const setupAnswers = (config?.topicQuestions ?? []).map((q) => ({ id: q.id, prompt: q.prompt, answer: answers[q.id] ?? null }));
  for (const [id, answer] of Object.entries(answers))
    if (!setupAnswers.some((a) => a.id === id)) setupAnswers.push({ id, prompt: id, answer });

  return {
    participant: {
      id: participant.id,
      externalId: participant.externalId,
      source: participant.source,
      isPreview: participant.isPreview,
      stage: participant.stage,
      outcome: participant.outcome,
      armKey: participant.armKey,
      documentType: participant.documentType,
      topicId: participant.topicId,
      topicAnswers: participant.topicAnswers,
      /** The pre-chat questions in the version's order, with the participant's answers (null = not answered). */
      setupAnswers,
      armLabel: config?.arms.find((a) => a.key === participant.armKey)?.label ?? null,
      topicLabel: config?.topics.find((t) => t.id === participant.topicId)?.label ?? null,
      documentTypeLabel: config?.documentTypes.find((d) => d.key === participant.documentType)?.label ?? null,
      attentionFailures: participant.attentionFailures,
      excluded: participant.excluded,
      exclusionReason: participant.exclusionReason,
      createdAt: participant.createdAt,
      consentedAt: participant.consentedAt,
      finishedAt: participant.finishedAt,
      lastSeenAt: participant.lastSeenAt,
      studyVersion: version?.version ?? null,
    },
    assignment: assignment ?? null,
    assistantConfig: conversation ? redactSecrets(conversation.assistantConfig) : null,
    messages,
    drafts,
    ratings,
    survey: survey ?? null,
    stageVisits,
  };
}

// Names that can hold a credential; "maxTokens"/"promptTokens" are counts and deliberately do not match.
const secretKey = /(api[-_]?key|secret|password|authorization|credential|bearer|access[-_]?token|^token$)/i;

/** Config snapshots are researcher-facing, but a key must never leave the server even if one slipped in. */
export function redactSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v)) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (!secretKey.test(k)) out[k] = redactSecrets(v);
    return out as T;
  }
  return value;
}
