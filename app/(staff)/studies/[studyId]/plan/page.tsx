import { PlannerView } from './planner-view';

export const dynamic = 'force-dynamic';

export default async function PlanPage({ params }: { params: Promise<{ studyId: string }> }) {
  const { studyId } = await params;
  return <PlannerView studyId={studyId} />;
}
