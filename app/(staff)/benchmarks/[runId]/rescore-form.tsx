'use client';
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '~/app/_trpc/client';
import { DEMO_ENDPOINT, EndpointPicker, type EndpointChoice } from '../endpoint-picker';

export function RescoreForm({ runId, connections }: { runId: string; connections: { id: string; name: string; defaultModel: string }[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [judge, setJudge] = useState<EndpointChoice>({ connectionId: DEMO_ENDPOINT, model: 'gpt-4o' });
  const [scale, setScale] = useState<'released-code' | 'paper-table1'>('released-code');
  const rescore = useMutation(
    trpc.benchmarks.rescore.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.benchmarks.progress.queryKey({ runId }) }),
    }),
  );
  return (
    <form
      className="card stack"
      aria-labelledby="rescore-heading"
      onSubmit={(e) => {
        e.preventDefault();
        rescore.mutate({ runId, judge: { connectionId: judge.connectionId === DEMO_ENDPOINT ? null : judge.connectionId, model: judge.model, interactivityScale: scale } });
      }}
    >
      <h2 id="rescore-heading" style={{ margin: 0 }}>
        Re-score with another judge
      </h2>
      <p className="small muted">Scores the stored conversations again (nothing is regenerated); results keep each judge separately.</p>
      <div className="row" style={{ alignItems: 'flex-end' }}>
        <EndpointPicker
          id="rescore-judge"
          label="Judge endpoint"
          modelLabel="Judge model"
          demoLabel="Demo judge (offline heuristic)"
          value={judge}
          connections={connections}
          onChange={setJudge}
        />
        <div className="field">
          <label htmlFor="rescore-scale">Interactivity scale</label>
          <select id="rescore-scale" value={scale} onChange={(e) => setScale(e.target.value as typeof scale)}>
            <option value="released-code">Released code: 1 / 0.5 / 0</option>
            <option value="paper-table1">Paper, Table 1 (rescaled)</option>
          </select>
        </div>
        <button type="submit" className="btn" disabled={rescore.isPending}>
          {rescore.isPending ? 'Queuing…' : 'Re-score'}
        </button>
      </div>
      {rescore.isSuccess && <div className="alert alert-ok">Re-score queued. Its status shows under Progress.</div>}
      {rescore.error && (
        <div className="alert alert-error" role="alert">
          {rescore.error.message}
        </div>
      )}
    </form>
  );
}
