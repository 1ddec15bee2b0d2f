import { requirePageRole } from '~/server/auth/page-guard';
import { hasRole } from '~/server/auth/roles';
import { ExportView } from './export-view';

export const dynamic = 'force-dynamic';

export default async function ExportPage({ params }: { params: Promise<{ studyId: string }> }) {
  const { studyId } = await params;
  const actor = await requirePageRole('viewer');
  return <ExportView studyId={studyId} isAdmin={hasRole(actor, 'admin')} />;
}
