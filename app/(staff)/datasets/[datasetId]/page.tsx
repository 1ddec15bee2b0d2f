import Link from 'next/link';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { getDb } from '~/db';
import { requirePageRole } from '~/server/auth/page-guard';
import { hasRole } from '~/server/auth/roles';
import { loadDatasetRow } from '~/server/training/datasets/service';
import { DatasetView } from './dataset-view';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Training dataset · CollabStudy' };

export default async function DatasetPage({ params }: { params: Promise<{ datasetId: string }> }) {
  const actor = await requirePageRole('viewer');
  const { datasetId } = await params;
  if (!z.uuid().safeParse(datasetId).success) notFound();
  const row = await loadDatasetRow(await getDb(), datasetId);
  if (!row) notFound();
  return (
    <div className="stack">
      <p className="small">
        <Link href="/datasets">← Training datasets</Link>
      </p>
      <DatasetView datasetId={datasetId} canManage={hasRole(actor, 'researcher')} />
    </div>
  );
}
