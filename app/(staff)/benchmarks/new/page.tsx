import Link from 'next/link';
import { requirePageRole } from '~/server/auth/page-guard';
import { NewRunForm } from './new-run-form';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'New benchmark run · CollabStudy' };

export default async function NewRunPage() {
  await requirePageRole('admin');
  return (
    <div className="stack">
      <p className="small">
        <Link href="/benchmarks">← Benchmark runs</Link>
      </p>
      <h1>New benchmark run</h1>
      <p className="muted">
        Simulated users chat with each arm about each task; judges score every conversation. The run continues in the background — you can leave this page.
      </p>
      <NewRunForm />
    </div>
  );
}
