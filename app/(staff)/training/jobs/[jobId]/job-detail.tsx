'use client';
import Link from 'next/link';
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '~/app/_trpc/client';
import { LIVE_TRAINING_STATUSES, TrainingStatusBadge } from '../status-badge';

const when = (d: Date | string | null) => (d ? new Date(d).toISOString().slice(0, 19).replace('T', ' ') + ' UTC' : '—');

export function JobDetail({ jobId, canManage, canEvaluate, taskSets }: { jobId: string; canManage: boolean; canEvaluate: boolean; taskSets: { id: string; name: string }[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const query = useQuery({
    ...trpc.trainingJobs.get.queryOptions({ jobId }),
    refetchInterval: (q) => (q.state.data && !LIVE_TRAINING_STATUSES.has(q.state.data.status) ? false : 1500),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.trainingJobs.get.queryKey({ jobId }) });
  const cancel = useMutation(trpc.trainingJobs.cancel.mutationOptions({ onSuccess: refresh }));
  const resume = useMutation(trpc.trainingJobs.resume.mutationOptions({ onSuccess: refresh }));
  const register = useMutation(trpc.trainingJobs.register.mutationOptions({ onSuccess: refresh }));
  const evaluate = useMutation(trpc.trainingJobs.evaluate.mutationOptions({ onSuccess: refresh }));
  const [taskSetId, setTaskSetId] = useState(taskSets[0]?.id ?? '');
  const [taskLimit, setTaskLimit] = useState(3);
  const [maxTurns, setMaxTurns] = useState(4);
  const [includeBase, setIncludeBase] = useState(true);

  if (query.isPending) return <p className="muted">Loading…</p>;
  if (query.error) return <div className="alert alert-error">{query.error.message}</div>;
  const job = query.data;
  const live = LIVE_TRAINING_STATUSES.has(job.status);
  const pct = Math.round((job.progress ?? 0) * 100);
  const error = cancel.error ?? resume.error ?? register.error ?? evaluate.error;

  return (
    <>
      <div className="row">
        <h1 style={{ margin: 0 }}>{job.name}</h1>
        <TrainingStatusBadge status={job.status} />
        <span className="spacer" />
        {canManage && live && (
          <button
            type="button"
            className="btn btn-danger"
            disabled={cancel.isPending || job.cancelRequested}
            onClick={() => {
              if (window.confirm('Cancel this training job? The provider stops training; nothing is registered.')) cancel.mutate({ jobId });
            }}
          >
            {job.cancelRequested ? 'Cancelling…' : 'Cancel job'}
          </button>
        )}
        {canManage && job.canResume && (
          <button type="button" className="btn" disabled={resume.isPending} onClick={() => resume.mutate({ jobId })}>
            Resume following
          </button>
        )}
      </div>

      <nav aria-label="Lineage" className="card small" data-testid="lineage">
        <strong>Lineage:</strong> base <span className="mono">{job.baseModel}</span>
        {job.connection ? ` (${job.connection.name ?? 'connection'})` : ''} → dataset{' '}
        {job.dataset.exists ? (
          <Link href={`/datasets/${job.dataset.id}`} className="mono">
            {job.dataset.name} v{job.dataset.version ?? '?'}
          </Link>
        ) : (
          <span className="mono">
            {job.dataset.name} v{job.dataset.version ?? '?'} (deleted)
          </span>
        )} → this job ({job.method.toUpperCase()}) → model{' '}
        <span className="mono">{job.fineTunedModel ?? '…'}</span>
        {job.trainedModel ? ' (registered)' : ''} → runs:{' '}
        {job.runs.length === 0
          ? 'none yet'
          : job.runs.map((r, i) => (
              <span key={r.id}>
                {i > 0 && ', '}
                <Link href={`/benchmarks/${r.id}`}>{r.name}</Link> ({r.status})
              </span>
            ))}
      </nav>

      {error && (
        <div className="alert alert-error" role="alert">
          {error.message}
        </div>
      )}
      {job.statusReason && (
        <div className={`alert ${job.status === 'failed' ? 'alert-error' : 'alert-warn'}`} role="status" data-testid="status-reason">
          {job.statusReason}
        </div>
      )}

      <section className="card stack" aria-labelledby="progress-heading">
        <h2 id="progress-heading" style={{ margin: 0 }}>
          Progress
        </h2>
        <div className="progress" role="progressbar" aria-label="Training progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
          <div style={{ width: `${pct}%` }} />
        </div>
        <dl className="row small" style={{ gap: '1.5rem' }}>
          <div>
            <dt className="muted">Provider</dt>
            <dd style={{ margin: 0 }}>
              {job.provider === 'openai' ? `Fine-tuning API · ${job.connection?.name ?? 'deleted connection'}` : `External trainer · ${job.webhookHost}`}
              {job.providerJobId && <span className="mono"> · {job.providerJobId}</span>}
              {job.providerStatus && ` · ${job.providerStatus}`}
            </dd>
          </div>
          <div>
            <dt className="muted">Started by</dt>
            <dd style={{ margin: 0 }}>{job.createdBy ?? 'deleted user'}</dd>
          </div>
          <div>
            <dt className="muted">Created / finished</dt>
            <dd style={{ margin: 0 }}>
              {when(job.createdAt)} / {when(job.finishedAt)}
            </dd>
          </div>
          <div>
            <dt className="muted">Trained tokens</dt>
            <dd style={{ margin: 0 }}>{job.trainedTokens?.toLocaleString() ?? '—'}</dd>
          </div>
          <div>
            <dt className="muted">Cost</dt>
            <dd style={{ margin: 0 }}>{job.costUsd !== null ? `$${job.costUsd.toFixed(2)}` : 'not reported'}</dd>
          </div>
        </dl>
        <details>
          <summary>Hyperparameters · export {job.exportFormat}</summary>
          <pre className="mono small">{JSON.stringify(job.hyperparameters, null, 2)}</pre>
        </details>
      </section>

      {job.status === 'succeeded' && (
        <section className="card stack" aria-labelledby="model-heading">
          <h2 id="model-heading" style={{ margin: 0 }}>
            Trained model
          </h2>
          <p>
            <span className="mono" data-testid="fine-tuned-model">
              {job.fineTunedModel}
            </span>
            {job.resultEndpoint && <span className="small muted"> at {job.resultEndpoint.baseUrl}</span>}
          </p>
          {job.trainedModel ? (
            <p className="small" data-testid="registered-model">
              Registered as &quot;{job.trainedModel.label}&quot;: in any arm, choose this connection and model id <span className="mono">{job.trainedModel.model}</span>.
            </p>
          ) : canManage ? (
            <button type="button" className="btn btn-primary" disabled={register.isPending} onClick={() => register.mutate({ jobId })}>
              {register.isPending ? 'Registering…' : 'Register model for arms'}
            </button>
          ) : (
            <p className="small muted">A researcher can register this model for use in arms.</p>
          )}
          {job.trainedModel && canEvaluate && (
            <form
              className="row"
              onSubmit={(e) => {
                e.preventDefault();
                evaluate.mutate({ trainedModelId: job.trainedModel!.id, taskSetId, taskLimit, maxTurns, includeBase });
              }}
            >
              <label className="field">
                <span>Task set</span>
                <select value={taskSetId} onChange={(e) => setTaskSetId(e.target.value)} data-testid="evaluate-task-set">
                  {taskSets.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field">
                <span>Tasks</span>
                <input type="number" min={1} max={1000} value={taskLimit} onChange={(e) => setTaskLimit(Number(e.target.value))} style={{ width: '6rem' }} />
              </label>
              <label className="field">
                <span>Max turns</span>
                <input type="number" min={1} max={30} value={maxTurns} onChange={(e) => setMaxTurns(Number(e.target.value))} style={{ width: '6rem' }} />
              </label>
              <label>
                <input type="checkbox" checked={includeBase} onChange={(e) => setIncludeBase(e.target.checked)} /> compare with the base model
              </label>
              <button type="submit" className="btn btn-primary" disabled={evaluate.isPending || !taskSetId}>
                {evaluate.isPending ? 'Starting…' : 'Evaluate it'}
              </button>
              {evaluate.data && (
                <Link href={`/benchmarks/${evaluate.data.runId}`} data-testid="evaluation-run-link">
                  Open the run →
                </Link>
              )}
            </form>
          )}
          {job.trainedModel && !canEvaluate && <p className="small muted">Admins start evaluation runs (simulated users and judges).</p>}
        </section>
      )}

      <section className="card stack" aria-labelledby="events-heading">
        <h2 id="events-heading" style={{ margin: 0 }}>
          Events
        </h2>
        {job.events.length === 0 ? (
          <p className="muted">No events yet.</p>
        ) : (
          <table className="table small" data-testid="training-events">
            <thead>
              <tr>
                <th>When</th>
                <th>Source</th>
                <th>Message</th>
              </tr>
            </thead>
            <tbody>
              {job.events.map((e) => (
                <tr key={e.id}>
                  <td className="mono">{when(e.occurredAt)}</td>
                  <td>{e.kind}</td>
                  <td style={{ color: e.level === 'error' ? 'var(--danger)' : e.level === 'warn' ? 'var(--warn)' : undefined }}>{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
