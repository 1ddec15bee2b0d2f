import Link from 'next/link';
import { requirePageRole } from '~/server/auth/page-guard';
import { hasRole } from '~/server/auth/roles';
import { getDb } from '~/db';
import { listStudies } from '~/server/studies/service';
import { StatusBadge } from './status-badge';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Studies · CollabStudy' };

export default async function StudiesPage() {
  const actor = await requirePageRole('viewer');
  const studies = await listStudies({ db: await getDb(), actor });
  const canCreate = hasRole(actor, 'researcher');
  return (
    <div className="stack">
      <div className="row">
        <h1 style={{ margin: 0 }}>Studies</h1>
        <span className="spacer" />
        {canCreate && (
          <Link className="btn btn-primary" href="/studies/new">
            New study
          </Link>
        )}
      </div>
      {studies.length === 0 ? (
        <div className="empty">
          <p>No studies yet.</p>
          {canCreate ? (
            <p>
              <Link href="/studies/new">Create your first study</Link> — it starts from a complete template that runs on the
              offline demo model, so you can preview it right away.
            </p>
          ) : (
            <p>Researchers create studies; you will see them here.</p>
          )}
        </div>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Link</th>
              <th>Status</th>
              <th className="num">Version</th>
              <th className="num">Participants</th>
              <th className="num">Completed</th>
              <th className="num">In progress</th>
            </tr>
          </thead>
          <tbody>
            {studies.map((s) => (
              <tr key={s.id}>
                <td>
                  <Link href={`/studies/${s.id}`}>{s.name}</Link>
                </td>
                <td className="mono small">/s/{s.slug}</td>
                <td>
                  <StatusBadge status={s.status} />
                </td>
                <td className="num">{s.currentVersion ?? '—'}</td>
                <td className="num">{s.participants.total}</td>
                <td className="num">{s.participants.completed}</td>
                <td className="num">{s.participants.inProgress}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
