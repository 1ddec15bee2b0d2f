import { CalibrationView } from './calibration-view';

export const dynamic = 'force-dynamic';

export default async function CalibrationPage({ params }: { params: Promise<{ studyId: string }> }) {
  const { studyId } = await params;
  return <CalibrationView studyId={studyId} />;
}
