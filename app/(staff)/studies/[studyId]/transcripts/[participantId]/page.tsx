import { headers } from 'next/headers';
import { resolveActor } from '~/server/auth/session';
import { TranscriptDetail } from './transcript-detail';

export const dynamic = 'force-dynamic';

export default async function TranscriptPage({ params }: { params: Promise<{ studyId: string; participantId: string }> }) {
  const { studyId, participantId } = await params;
  const actor = await resolveActor(await headers());
  const canExclude = actor?.role === 'researcher' || actor?.role === 'admin';
  return <TranscriptDetail studyId={studyId} participantId={participantId} canExclude={canExclude} />;
}
