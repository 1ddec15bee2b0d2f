import Link from 'next/link';
import { getDb } from '~/db';
import { requirePageRole } from '~/server/auth/page-guard';
import { hasRole } from '~/server/auth/roles';
import { listTrainingJobs, trainingJobOptions } from '~/server/training/jobs/service';
import { StartJobForm } from './start-job-form';
import { TrainingStatusBadge } from './status-badge';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Training jobs · CollabStudy' };

export default async function TrainingJobsPage() {
  const actor = await requirePageRole('viewer');
  const ctx = { db: await getDb(), actor };
  const [jobs, options] = await Promise.all([listTrainingJobs(ctx), trainingJobOptions(ctx)]);
  const canStart = hasRole(actor, 'researcher');
  return (
    <div className="stack">
      <div className="row">
        <h1 style={{ margin: 0 }}>Training jobs</h1>
      </div>
      <p className="muted small">
        Send a dataset version to a fine-tuning provider (an OpenAI-compatible fine-tuning API, or your own trainer reached by a signed webhook), follow it
        here, then register the model and evaluate it against its base model in a benchmark run.
      </p>
      {jobs.length === 0 ? (
        <div className="empty">
          <p>No training jobs yet.</p>
          <p>{canStart ? 'Start one below from a ready dataset.' : 'Researchers and admins start training jobs; they will appear here.'}</p>
        </div>
      ) : (
        <table className="table" data-testid="training-jobs">
          <thead>
            <tr>
              <th>Job</th>
              <th>Status</th>
              <th>Dataset</th>
              <th>Method</th>
              <th>Base → model</th>
              <th style={{ minWidth: '8rem' }}>Progress</th>
              <th>Started</th>
            </tr>
          </thead>
          <tbody>
            {jobs.map((j) => {
              const pct = Math.round((j.progress ?? 0) * 100);
              return (
                <tr key={j.id}>
                  <td>
                    <Link href={`/training/jobs/${j.id}`}>{j.name}</Link>
                    <div className="small muted">{j.provider === 'openai' ? 'fine-tuning API' : 'external trainer'} · {j.createdBy ?? 'deleted user'}</div>
                  </td>
                  <td>
                    <TrainingStatusBadge status={j.status} />
                  </td>
                  <td className="small">
                    {j.datasetName} v{j.datasetVersion ?? '?'}
                  </td>
                  <td>{j.method.toUpperCase()}</td>
                  <td className="small mono">
                    {j.baseModel} → {j.fineTunedModel ?? '…'} {j.trainedModelId && <span className="badge">registered</span>}
                  </td>
                  <td>
                    <div className="progress" role="progressbar" aria-label={`Progress of ${j.name}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
                      <div style={{ width: `${pct}%` }} />
                    </div>
                  </td>
                  <td className="small">{j.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {canStart && <StartJobForm options={options} />}
    </div>
  );
}
