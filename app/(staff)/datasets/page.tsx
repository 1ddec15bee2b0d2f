import Link from 'next/link';
import { getDb } from '~/db';
import { requirePageRole } from '~/server/auth/page-guard';
import { hasRole } from '~/server/auth/roles';
import { listDatasets } from '~/server/training/datasets/service';
import { DatasetStatusBadge } from './status-badge';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Training datasets · CollabStudy' };

export default async function DatasetsPage() {
  const actor = await requirePageRole('viewer');
  const datasets = await listDatasets({ db: await getDb(), actor });
  const canCreate = hasRole(actor, 'researcher');
  return (
    <div className="stack">
      <div className="row">
        <h1 style={{ margin: 0 }}>Training datasets</h1>
        <span className="spacer" />
        {canCreate && (
          <Link className="btn btn-primary" href="/datasets/new">
            New dataset
          </Link>
        )}
      </div>
      <p className="muted">
        SFT and DPO data scored with multiturn-aware rewards (synthetic conversations) or taken from a human study. Each dataset is versioned and exports to TRL and
        OpenAI formats.
      </p>
      {datasets.length === 0 ? (
        <div className="empty">
          <p>No datasets yet.</p>
          {canCreate ? (
            <p>
              <Link href="/datasets/new">Build one</Link> — with the offline demo model, scripted user and demo judge you can try the whole loop without an endpoint.
            </p>
          ) : (
            <p>Researchers and admins build datasets; they will appear here.</p>
          )}
        </div>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Name</th>
              <th className="num">Version</th>
              <th>Source</th>
              <th>Status</th>
              <th className="num">Conversations</th>
              <th className="num">Turns</th>
              <th className="num">Pairs</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {datasets.map((d) => (
              <tr key={d.id}>
                <td>
                  <Link href={`/datasets/${d.id}`}>{d.name}</Link> {d.isDemo && <span className="badge badge-demo">demo</span>}
                </td>
                <td className="num">v{d.version}</td>
                <td>{d.sourceKind === 'synthetic' ? 'synthetic' : 'human study'}</td>
                <td>
                  <DatasetStatusBadge status={d.status} />
                </td>
                <td className="num">{d.status === 'generating' ? '…' : (d.counts.completed ?? 0)}</td>
                <td className="num">{d.status === 'generating' ? '…' : (d.counts.turns ?? 0)}</td>
                <td className="num">{d.status === 'generating' ? '…' : (d.counts.pairs ?? 0)}</td>
                <td className="small">{d.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
