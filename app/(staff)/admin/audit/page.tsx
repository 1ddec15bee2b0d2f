import { getDb } from '~/db';
import { requirePageRole } from '~/server/auth/page-guard';
import { listAudit } from '~/server/services/audit';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Audit log · CollabStudy' };

export default async function AuditPage() {
  const actor = await requirePageRole('admin');
  const rows = await listAudit({ db: await getDb(), actor }, { limit: 300 });
  return (
    <div className="stack">
      <h1>Audit log</h1>
      <p className="muted small">Launches, version publishes, status changes, user and role changes, tokens and connection changes; newest first.</p>
      {rows.length === 0 ? (
        <div className="empty">Nothing recorded yet.</div>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>When (UTC)</th>
              <th>Who</th>
              <th>Action</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td className="small">{r.createdAt.toISOString().replace('T', ' ').slice(0, 19)}</td>
                <td>{r.actorEmail ?? <span className="muted">system</span>}</td>
                <td className="mono small">{r.action}</td>
                <td className="mono small" style={{ maxWidth: 480, overflowWrap: 'anywhere' }}>
                  {r.details ? JSON.stringify(r.details) : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
