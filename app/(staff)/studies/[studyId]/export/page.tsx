import { ExportView } from './export-view';

export const dynamic = 'force-dynamic';

export default async function ExportPage({ params }: { params: Promise<{ studyId: string }> }) {
  const { studyId } = await params;
  return <ExportView studyId={studyId} />;
}
