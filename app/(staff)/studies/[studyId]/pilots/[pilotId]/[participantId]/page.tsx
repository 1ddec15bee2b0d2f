import { requirePageRole } from '~/server/auth/page-guard';
import { PilotTranscript } from './pilot-transcript';

export const dynamic = 'force-dynamic';

export default async function PilotTranscriptPage({ params }: { params: Promise<{ studyId: string; pilotId: string; participantId: string }> }) {
  const { studyId, pilotId, participantId } = await params;
  await requirePageRole('viewer');
  return <PilotTranscript studyId={studyId} pilotId={pilotId} participantId={participantId} />;
}
