import { headers } from 'next/headers';
import { resolveActor } from '~/server/auth/session';
import { JudgingView } from './judging-view';

export const dynamic = 'force-dynamic';

export default async function JudgingPage({ params }: { params: Promise<{ studyId: string }> }) {
  const { studyId } = await params;
  const actor = await resolveActor(await headers());
  const canManage = actor?.role === 'researcher' || actor?.role === 'admin';
  return <JudgingView studyId={studyId} canManage={canManage} />;
}
