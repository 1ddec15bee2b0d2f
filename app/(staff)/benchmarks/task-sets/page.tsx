import Link from 'next/link';
import { getDb } from '~/db';
import { requirePageRole } from '~/server/auth/page-guard';
import { hasRole } from '~/server/auth/roles';
import { listTaskSets } from '~/server/benchmarks/runs/options';
import { ImportTaskSetForm } from './import-form';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Benchmark task sets · CollabStudy' };

export default async function TaskSetsPage() {
  const actor = await requirePageRole('viewer');
  const sets = await listTaskSets(await getDb());
  return (
    <div className="stack">
      <p className="small">
        <Link href="/benchmarks">← Benchmark runs</Link>
      </p>
      <h1>Task sets</h1>
      <p className="muted">
        A task is a private brief for the simulated user and the target document it has in mind. Runs pick a task set and, if you like, a subset of it.
      </p>
      {sets.length === 0 ? (
        <div className="empty">No task sets yet.</div>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Description</th>
              <th className="num">Tasks</th>
              <th>Added</th>
            </tr>
          </thead>
          <tbody>
            {sets.map((s) => (
              <tr key={s.id}>
                <td>
                  {s.name} {s.builtIn && <span className="badge">built-in</span>}
                </td>
                <td className="small">{s.description ?? ''}</td>
                <td className="num">{s.tasks}</td>
                <td className="small">{s.createdAt.toISOString().slice(0, 10)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {hasRole(actor, 'researcher') ? <ImportTaskSetForm /> : <p className="small muted">Researchers and admins can import task sets.</p>}
    </div>
  );
}
