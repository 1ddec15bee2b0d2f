/** Row counts an export would contain, for the export page (cheap grouped counts, no data read). */
import { and, count, eq, inArray, isNull } from 'drizzle-orm';
import type { DbExecutor } from '../../db';
import { schema } from '../../db';
import { loadStudyOverview } from '../insights/study-access';
import { consentPromisesAnonymisedData } from './id-policy';

export async function exportSummary(db: DbExecutor, input: { studyId: string; versionIds: string[]; includePreviews: boolean }) {
  const study = await loadStudyOverview(db, input.studyId);
  const p = schema.participants;
  const scope = and(
    eq(p.studyId, input.studyId),
    input.includePreviews ? undefined : eq(p.isPreview, false),
    isNull(p.pilotId),
    input.versionIds.length ? inArray(p.studyVersionId, input.versionIds) : undefined,
  );
  const c = schema.conversations;
  const m = schema.messages;
  const [[participants], [messages], [demo], promisesAnonymised] = await Promise.all([
    db.select({ n: count() }).from(p).where(scope),
    db.select({ n: count() }).from(m).innerJoin(c, eq(c.id, m.conversationId)).innerJoin(p, eq(p.id, c.participantId)).where(scope),
    db
      .select({ n: count() })
      .from(m)
      .innerJoin(c, eq(c.id, m.conversationId))
      .innerJoin(p, eq(p.id, c.participantId))
      .where(and(scope, eq(m.isDemoModel, true))),
    consentPromisesAnonymisedData(db, input.studyId),
  ]);
  return {
    study: { id: study.id, slug: study.slug, name: study.name },
    versions: study.versions,
    participants: participants?.n ?? 0,
    messages: messages?.n ?? 0,
    demoModelUsed: (demo?.n ?? 0) > 0,
    /** Exports default to pseudonymous ids; raw ids need an admin (server/exports/id-policy.ts). */
    consentPromisesAnonymisedData: promisesAnonymised,
  };
}
