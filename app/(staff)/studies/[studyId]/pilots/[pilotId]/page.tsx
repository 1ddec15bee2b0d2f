import { requirePageRole } from '~/server/auth/page-guard';
import { hasRole } from '~/server/auth/roles';
import { PilotView } from './pilot-view';

export const dynamic = 'force-dynamic';

export default async function PilotPage({ params }: { params: Promise<{ studyId: string; pilotId: string }> }) {
  const { studyId, pilotId } = await params;
  const actor = await requirePageRole('viewer');
  return <PilotView studyId={studyId} pilotId={pilotId} canManage={hasRole(actor, 'researcher')} />;
}
