/** The participant's working document as saved: the latest draft, and its revision. */
import { desc, eq } from 'drizzle-orm';
import type { DbExecutor } from '../../db';
import { schema } from '../../db';

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
