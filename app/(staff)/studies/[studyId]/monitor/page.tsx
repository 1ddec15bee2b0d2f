import { MonitorView } from './monitor-view';

export const dynamic = 'force-dynamic';

export default async function MonitorPage({ params }: { params: Promise<{ studyId: string }> }) {
  const { studyId } = await params;
  return <MonitorView studyId={studyId} />;
}
