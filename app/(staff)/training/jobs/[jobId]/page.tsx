import Link from 'next/link';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { getDb } from '~/db';
import { requirePageRole } from '~/server/auth/page-guard';
import { hasRole } from '~/server/auth/roles';
import { listTaskSets } from '~/server/benchmarks/runs/options';
import { getTrainingJob } from '~/server/training/jobs/service';
import { ServiceError } from '~/server/services/errors';
import { JobDetail } from './job-detail';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Training job · CollabStudy' };

export default async function TrainingJobPage({ params }: { params: Promise<{ jobId: string }> }) {
  const actor = await requirePageRole('viewer');
  const { jobId } = await params;
  if (!z.uuid().safeParse(jobId).success) notFound();
  const db = await getDb();
  await getTrainingJob({ db, actor }, jobId).catch((err: unknown) => {
    if (err instanceof ServiceError && err.code === 'NOT_FOUND') notFound();
    throw err;
  });
  const canEvaluate = hasRole(actor, 'admin');
  const taskSets = canEvaluate ? (await listTaskSets(db)).map((s) => ({ id: s.id, name: s.name })) : [];
  return (
    <div className="stack">
      <p className="small">
        <Link href="/training/jobs">← Training jobs</Link>
      </p>
      <JobDetail jobId={jobId} canManage={hasRole(actor, 'researcher')} canEvaluate={canEvaluate} taskSets={taskSets} />
    </div>
  );
}
