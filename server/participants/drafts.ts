/** The participant's working document: saving a draft (during the chat), and the latest draft as saved, with its revision. */
import { count, desc, eq } from 'drizzle-orm';
import type { Database, DbExecutor } from '../../db';
import { schema } from '../../db';
import { ServiceError } from '../services/errors';
import type { ParticipantRow } from './identity';
import { sessionEndedError } from './session';
import { DRAFT_SAVE_LIMIT, hitRateLimit } from './rate-limit';
import { assertOwnAssistantMessage } from './replies';

export const MAX_DRAFT_CHARS = 100_000;
/** Autosave is debounced in the browser; this only stops a runaway client from filling the table. */
const MAX_DRAFTS_PER_PARTICIPANT = 5_000;

/**
 * A saved draft and its revision: the time of the save in ms. Drafts are ordered by that time, so a page
 * holding revision r can tell a newer document (saved in another tab) from a read that started before its
 * own last save and arrived after it, which it must not take.
 */
export interface SavedDraft {
  content: string;
  revision: number;
}

export async function latestSavedDraft(db: DbExecutor, participantId: string): Promise<SavedDraft | null> {
  const [row] = await db
    .select({ content: schema.documentDrafts.content, createdAt: schema.documentDrafts.createdAt })
    .from(schema.documentDrafts)
    .where(eq(schema.documentDrafts.participantId, participantId))
    .orderBy(desc(schema.documentDrafts.createdAt), desc(schema.documentDrafts.id))
    .limit(1);
  return row ? { content: row.content, revision: row.createdAt.getTime() } : null;
}

export async function latestDraft(db: DbExecutor, participantId: string): Promise<string | null> {
  return (await latestSavedDraft(db, participantId))?.content ?? null;
}

export async function saveDraft(
  db: Database,
  participant: ParticipantRow,
  input: { content: string; source: 'edit' | 'use_message'; sourceMessageId?: string | null; now?: Date },
): Promise<{ saved: boolean; revision: number }> {
  const now = input.now ?? new Date();
  if (participant.outcome) throw sessionEndedError(participant.outcome);
  if (participant.stage !== 'chat')
    throw new ServiceError('PRECONDITION_FAILED', 'The document can only be edited during the chat.');
  if (input.content.length > MAX_DRAFT_CHARS)
    throw new ServiceError('BAD_REQUEST', `The document can be at most ${MAX_DRAFT_CHARS} characters.`);
  await hitRateLimit(db, `draft:${participant.id}`, DRAFT_SAVE_LIMIT, now);
  if (input.source === 'use_message') {
    if (!input.sourceMessageId) throw new ServiceError('BAD_REQUEST', 'Which reply should be used?');
    await assertOwnAssistantMessage(db, participant.id, input.sourceMessageId);
  }
  const latest = await latestSavedDraft(db, participant.id);
  if (latest && latest.content === input.content) return { saved: false, revision: latest.revision };
  const [total] = await db
    .select({ n: count() })
    .from(schema.documentDrafts)
    .where(eq(schema.documentDrafts.participantId, participant.id));
  if ((total?.n ?? 0) >= MAX_DRAFTS_PER_PARTICIPANT)
    throw new ServiceError('TOO_MANY_REQUESTS', 'Too many saves. Please reload the page.');
  await db.insert(schema.documentDrafts).values({
    participantId: participant.id,
    content: input.content,
    source: input.source,
    sourceMessageId: input.source === 'use_message' ? input.sourceMessageId : null,
    createdAt: now,
  });
  return { saved: true, revision: now.getTime() };
}
