import Link from 'next/link';
import { requirePageRole } from '~/server/auth/page-guard';
import { NewDatasetForm } from './new-dataset-form';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'New training dataset · CollabStudy' };

export default async function NewDatasetPage() {
  await requirePageRole('researcher');
  return (
    <div className="stack">
      <p className="small">
        <Link href="/datasets">← Training datasets</Link>
      </p>
      <h1>New training dataset</h1>
      <NewDatasetForm />
    </div>
  );
}
