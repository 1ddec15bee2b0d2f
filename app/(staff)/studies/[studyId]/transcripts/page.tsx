import { TranscriptList } from './transcript-list';

export const dynamic = 'force-dynamic';

export default async function TranscriptsPage({ params }: { params: Promise<{ studyId: string }> }) {
  const { studyId } = await params;
  return <TranscriptList studyId={studyId} />;
}
