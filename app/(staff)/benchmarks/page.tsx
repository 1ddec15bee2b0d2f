import Link from 'next/link';
import { getDb } from '~/db';
import { requirePageRole } from '~/server/auth/page-guard';
import { hasRole } from '~/server/auth/roles';
import { listRuns } from '~/server/benchmarks/runs/progress';
import { RunStatusBadge } from './status-badge';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Benchmark runs · CollabStudy' };

export default async function BenchmarksPage() {
  const actor = await requirePageRole('viewer');
  const runs = await listRuns(await getDb());
  const canStart = hasRole(actor, 'admin');
  return (
    <div className="stack">
      <div className="row">
        <h1 style={{ margin: 0 }}>Benchmark runs</h1>
        <span className="spacer" />
        <Link className="btn" href="/benchmarks/task-sets">
          Task sets
        </Link>
        {canStart && (
          <Link className="btn btn-primary" href="/benchmarks/new">
            New run
          </Link>
        )}
      </div>
      {runs.length === 0 ? (
        <div className="empty">
          <p>No benchmark runs yet.</p>
          {canStart ? (
            <p>
              <Link href="/benchmarks/new">Start a run</Link> — the offline demo model, scripted user and demo judge let you try the whole pipeline without an
              endpoint.
            </p>
          ) : (
            <p>Admins start runs; their results will appear here.</p>
          )}
        </div>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Status</th>
              <th>Arms</th>
              <th style={{ minWidth: '10rem' }}>Progress</th>
              <th className="num">Est. cost</th>
              <th>Started</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => {
              const done = r.counts.completed + r.counts.failed + r.counts.cancelled;
              const pct = r.counts.total ? Math.round((done / r.counts.total) * 100) : 0;
              return (
                <tr key={r.id}>
                  <td>
                    <Link href={`/benchmarks/${r.id}`}>{r.name}</Link> {r.isDemo && <span className="badge badge-demo">demo</span>}
                  </td>
                  <td>
                    <RunStatusBadge status={r.status} />
                  </td>
                  <td className="small">{r.arms.join(', ')}</td>
                  <td>
                    <div className="progress" role="progressbar" aria-label={`Progress of ${r.name}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
                      <div style={{ width: `${pct}%` }} />
                    </div>
                    <span className="small muted">
                      {r.counts.completed}/{r.counts.total} done{r.counts.failed ? `, ${r.counts.failed} failed` : ''}
                    </span>
                  </td>
                  <td className="num">${r.estimatedCostUsd.toFixed(2)}</td>
                  <td className="small">{r.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
