'use client';
/**
 * The study's Judging tab: start a run of the benchmark's judges over the participants' conversations (the
 * study's real completed participants, or one simulated pilot's), and follow every run's progress, tokens,
 * cost and failures. Scores show per participant in the transcript viewer and in the export.
 */
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '~/server/api/root';
import { useTRPC } from '~/app/_trpc/client';
import { Time } from '~/app/_components/time';
import { DEMO_ENDPOINT, EndpointPicker, type EndpointChoice } from '~/app/(staff)/benchmarks/endpoint-picker';
import { RunStatusBadge } from '~/app/(staff)/benchmarks/status-badge';

const LIVE = new Set(['queued', 'running']);
const REAL = 'real';

export function JudgingView({ studyId, canManage }: { studyId: string; canManage: boolean }) {
  const trpc = useTRPC();
  const options = useQuery(trpc.studyJudging.options.queryOptions({ studyId }));
  const runs = useQuery({
    ...trpc.studyJudging.list.queryOptions({ studyId }),
    // Poll only while a run is going; plain queries re-check the role each time.
    refetchInterval: (q) => (q.state.data?.some((r) => LIVE.has(r.status)) ? 1500 : false),
  });

  return (
    <div className="stack">
      <div>
        <h1 style={{ marginBottom: '0.25rem' }}>Judging</h1>
        <p className="small muted" style={{ margin: 0 }}>
          Runs the benchmark&apos;s judges over each completed participant&apos;s conversation: interactivity, document quality (of the document in the
          participant&apos;s document pane, or extracted from the chat when the pane was empty) and the conversation metrics. BLEU is left out: it needs a
          target document, which people do not have. Re-judging with another judge keeps both sets of scores.
        </p>
      </div>
      {options.error && <div className="alert alert-error">{options.error.message}</div>}
      {canManage && options.data && <StartForm studyId={studyId} options={options.data} />}
      <section aria-labelledby="judge-runs-heading" className="stack">
        <h2 id="judge-runs-heading" style={{ margin: 0 }}>
          Runs
        </h2>
        {runs.isPending && <p className="muted">Loading runs…</p>}
        {runs.error && <div className="alert alert-error">{runs.error.message}</div>}
        {runs.data?.length === 0 && (
          <div className="empty">No judging runs yet.{canManage ? ' Start one above once participants have completed the study.' : ''}</div>
        )}
        {runs.data?.map((run) => <RunCard key={run.id} studyId={studyId} run={run} canManage={canManage} />)}
      </section>
    </div>
  );
}

type Options = inferRouterOutputs<AppRouter>['studyJudging']['options'];

function StartForm({ studyId, options }: { studyId: string; options: Options }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [judge, setJudge] = useState<EndpointChoice>({ connectionId: DEMO_ENDPOINT, model: 'gpt-4o' });
  const [scale, setScale] = useState<'released-code' | 'paper-table1'>('released-code');
  const [target, setTarget] = useState(REAL);
  const [concurrency, setConcurrency] = useState(2);
  const [priceIn, setPriceIn] = useState('');
  const [priceOut, setPriceOut] = useState('');
  const start = useMutation(
    trpc.studyJudging.start.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.studyJudging.list.queryKey({ studyId }) }),
    }),
  );
  const targetCount = target === REAL ? options.realParticipants : (options.pilots.find((p) => p.id === target)?.participants ?? 0);
  const priced = priceIn.trim() !== '' || priceOut.trim() !== '';
  return (
    <form
      className="card stack"
      aria-labelledby="start-judging-heading"
      onSubmit={(e) => {
        e.preventDefault();
        start.mutate({
          studyId,
          pilotId: target === REAL ? null : target,
          judge: { connectionId: judge.connectionId === DEMO_ENDPOINT ? null : judge.connectionId, model: judge.model, interactivityScale: scale },
          concurrency,
          ...(priced && { pricing: { input: Number(priceIn || 0), output: Number(priceOut || 0) } }),
        });
      }}
    >
      <h2 id="start-judging-heading" style={{ margin: 0 }}>
        Start a judging run
      </h2>
      <div className="row" style={{ alignItems: 'flex-end', flexWrap: 'wrap' }}>
        <div className="field">
          <label htmlFor="judge-target">Participants</label>
          <select id="judge-target" value={target} onChange={(e) => setTarget(e.target.value)}>
            <option value={REAL}>Completed participants ({options.realParticipants})</option>
            {options.pilots.map((p) => (
              <option key={p.id} value={p.id}>
                Simulated pilot of {new Date(p.createdAt).toISOString().slice(0, 16).replace('T', ' ')} UTC ({p.participants})
              </option>
            ))}
          </select>
        </div>
        <EndpointPicker
          id="judge-endpoint"
          label="Judge endpoint"
          modelLabel="Judge model"
          demoLabel="Demo judge (offline heuristic)"
          value={judge}
          connections={options.connections}
          onChange={setJudge}
        />
        <div className="field">
          <label htmlFor="judge-scale">Interactivity scale</label>
          <select id="judge-scale" value={scale} onChange={(e) => setScale(e.target.value as typeof scale)}>
            <option value="released-code">Released code: 1 / 0.5 / 0</option>
            <option value="paper-table1">Paper, Table 1 (rescaled)</option>
          </select>
        </div>
        <div className="field" style={{ maxWidth: '8rem' }}>
          <label htmlFor="judge-concurrency">At once</label>
          <input id="judge-concurrency" type="number" min={1} max={16} value={concurrency} onChange={(e) => setConcurrency(Math.max(1, Math.min(16, Number(e.target.value) || 1)))} />
        </div>
        {judge.connectionId !== DEMO_ENDPOINT && (
          <>
            <div className="field" style={{ maxWidth: '10rem' }}>
              <label htmlFor="judge-price-in">USD / 1M input tokens</label>
              <input id="judge-price-in" type="number" min={0} step="any" value={priceIn} onChange={(e) => setPriceIn(e.target.value)} placeholder="optional" />
            </div>
            <div className="field" style={{ maxWidth: '10rem' }}>
              <label htmlFor="judge-price-out">USD / 1M output tokens</label>
              <input id="judge-price-out" type="number" min={0} step="any" value={priceOut} onChange={(e) => setPriceOut(e.target.value)} placeholder="optional" />
            </div>
          </>
        )}
        <button type="submit" className="btn btn-primary" disabled={start.isPending || targetCount === 0}>
          {start.isPending ? 'Starting…' : `Judge ${targetCount} participant${targetCount === 1 ? '' : 's'}`}
        </button>
      </div>
      {targetCount === 0 && <p className="small muted">Nothing to judge yet: only participants who completed the study (with a conversation) are judged.</p>}
      {start.isSuccess && <div className="alert alert-ok">Judging run started for {start.data.participants} participants.</div>}
      {start.error && (
        <div className="alert alert-error" role="alert">
          {start.error.message}
        </div>
      )}
    </form>
  );
}

type Run = inferRouterOutputs<AppRouter>['studyJudging']['list'][number];

function RunCard({ studyId, run, canManage }: { studyId: string; run: Run; canManage: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.studyJudging.list.queryKey({ studyId }) });
  const cancel = useMutation(trpc.studyJudging.cancel.mutationOptions({ onSuccess: refresh }));
  const retry = useMutation(trpc.studyJudging.retryFailed.mutationOptions({ onSuccess: refresh }));
  const c = run.counts;
  const done = c.completed + c.failed + c.cancelled;
  const pct = c.total ? Math.round((done / c.total) * 100) : 0;
  const live = LIVE.has(run.status);
  const retryable = c.failed > 0 || (run.status === 'failed' && c.cancelled > 0);
  return (
    <article className="card stack" aria-label={`Judging run ${run.judge}`}>
      <div className="row">
        <strong className="mono" style={{ wordBreak: 'break-all' }}>
          {run.judge}
        </strong>
        <RunStatusBadge status={run.status} />
        {run.isDemo && <span className="badge badge-demo">demo judge</span>}
        <span className="small muted">{run.pilotId ? 'simulated pilot' : 'completed participants'}</span>
        <span className="spacer" />
        <span className="small muted">
          <Time value={run.createdAt} />
        </span>
      </div>
      <div className="progress" role="progressbar" aria-label={`Progress of ${run.judge}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
        <div style={{ width: `${pct}%` }} />
      </div>
      <p className="small" style={{ margin: 0 }} data-testid="judge-run-counts">
        {c.completed} of {c.total} participants judged ({pct}%) · {c.running} running · {c.pending} waiting
        {c.failed > 0 && ` · ${c.failed} failed`}
        {c.cancelled > 0 && ` · ${c.cancelled} cancelled`}
      </p>
      <dl className="row small" style={{ gap: '1.5rem', margin: 0 }}>
        <div>
          <dt className="muted">Model</dt>
          <dd style={{ margin: 0 }}>{run.model}</dd>
        </div>
        <div>
          <dt className="muted">Prompt version</dt>
          <dd style={{ margin: 0 }}>{run.promptVersion}</dd>
        </div>
        <div>
          <dt className="muted">Tokens</dt>
          <dd style={{ margin: 0 }}>
            {run.tokens.prompt.toLocaleString('en')} in · {run.tokens.completion.toLocaleString('en')} out
          </dd>
        </div>
        <div>
          <dt className="muted">Estimated cost</dt>
          <dd style={{ margin: 0 }}>{run.priced ? `$${run.estimatedCostUsd.toFixed(4)}` : run.isDemo ? '$0 (offline)' : 'no price given'}</dd>
        </div>
      </dl>
      {run.error && (
        <div className="alert alert-error" role="alert">
          {run.error}
        </div>
      )}
      {run.failures.length > 0 && (
        <details>
          <summary className="small">Failures ({run.failures.length})</summary>
          <ul className="small">
            {run.failures.map((f) => (
              <li key={f.participantId}>
                <a href={`/studies/${studyId}/transcripts/${f.participantId}`} className="mono">
                  {f.externalId ?? f.participantId.slice(0, 8)}
                </a>{' '}
                ({f.status === 'pending' ? 'will retry' : f.status}, {f.attempts} attempt{f.attempts === 1 ? '' : 's'}): {f.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
      {canManage && (live || retryable) && (
        <div className="row">
          {live && (
            <button
              type="button"
              className="btn btn-danger"
              disabled={cancel.isPending}
              onClick={() => {
                if (window.confirm('Cancel this judging run? Participants already judged keep their scores.')) cancel.mutate({ studyId, runId: run.id });
              }}
            >
              {cancel.isPending ? 'Cancelling…' : 'Cancel run'}
            </button>
          )}
          {retryable && run.status !== 'cancelled' && (
            <button type="button" className="btn" disabled={retry.isPending} onClick={() => retry.mutate({ studyId, runId: run.id })}>
              {retry.isPending ? 'Queuing…' : 'Retry failed participants'}
            </button>
          )}
        </div>
      )}
      {(cancel.error ?? retry.error) && <div className="alert alert-error">{(cancel.error ?? retry.error)!.message}</div>}
    </article>
  );
}
