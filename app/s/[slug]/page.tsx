import type { Metadata } from 'next';
import { cookies, headers } from 'next/headers';
import { getDb } from '~/db';
import { resolveActor } from '~/server/auth/session';
import { describeEntry, participantPageTitle } from '~/server/participants/enter';
import { participantCookieName, findStudyBySlug } from '~/server/participants/identity';
import type { RecruitmentQuery } from '~/server/participants/recruitment';
import { ParticipantFlow } from './participant-flow';
import { MturkPreview } from './_stages/mturk-preview';

export const dynamic = 'force-dynamic';

/**
 * Title and description come from the study's participant-facing title only (replacing the app's own, which
 * describes the research): a participant's tab, bookmarks and link previews must not hint at the arms.
 */
export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }): Promise<Metadata> {
  const { slug } = await params;
  const title = await participantPageTitle(await getDb(), slug);
  return { title, description: title, applicationName: null, generator: null, keywords: null };
}

export default async function StudyEntryPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<RecruitmentQuery>;
}) {
  const [{ slug }, query] = await Promise.all([params, searchParams]);
  const db = await getDb();
  const study = await findStudyBySlug(db, slug);
  const cookieValue = study ? (await cookies()).get(participantCookieName(study.id))?.value : undefined;
  const entry = await describeEntry(db, { slug, query, actor: await resolveActor(await headers()), cookieValue });

  if (entry.kind === 'not_found') {
    return (
      <main className="narrow">
        <div className="card stack">
          <h1>Study not found</h1>
          <p>Please check the link you were given, or contact the researcher.</p>
        </div>
      </main>
    );
  }
  if (entry.kind === 'unavailable' || entry.kind === 'already_participating') {
    return (
      <main className="narrow">
        <div className="card stack">
          <h1>{entry.title}</h1>
          <p role="status">{entry.message}</p>
        </div>
      </main>
    );
  }
  if (entry.kind === 'mturk_preview') {
    return <MturkPreview title={entry.title} instructions={entry.instructions} usesDemoModel={entry.usesDemoModel} />;
  }
  // Only plain strings travel to the client; the server decides what they mean.
  const plainQuery: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) {
    const v = Array.isArray(value) ? value[0] : value;
    if (typeof v === 'string' && key.length <= 50) plainQuery[key] = v.slice(0, 2000);
  }
  return <ParticipantFlow slug={slug} query={plainQuery} isPreview={entry.isPreview} />;
}
