import { ResultsView } from './results-view';

export const dynamic = 'force-dynamic';

export default async function ResultsPage({ params }: { params: Promise<{ studyId: string }> }) {
  const { studyId } = await params;
  return <ResultsView studyId={studyId} />;
}
