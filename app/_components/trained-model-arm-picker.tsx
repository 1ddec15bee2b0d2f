'use client';
/**
 * "Add an arm from a trained model": the models registered from finished training jobs (Training → jobs →
 * Register model for arms), each already a connection + model id, become an arm in one click, in a study's
 * setup and in a new benchmark run alike.
 */
import { useState } from 'react';
import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '~/app/_trpc/client';

export interface TrainedModelArm {
  label: string;
  connectionId: string;
  model: string;
}

export function TrainedModelArmPicker(props: { id: string; onAdd: (arm: TrainedModelArm) => void }) {
  const trpc = useTRPC();
  const models = useQuery(trpc.trainingJobs.trainedModels.queryOptions());
  const usable = (models.data ?? []).filter((m) => m.connectionId !== null);
  const [choice, setChoice] = useState('');
  const [added, setAdded] = useState<string | null>(null);
  if (models.isPending) return null;
  if (usable.length === 0)
    return (
      <p className="small muted">
        No trained models yet: register one on a finished <Link href="/training/jobs">training job</Link> to add it here as an arm.
      </p>
    );
  return (
    <div className="row">
      <label htmlFor={props.id} className="small">
        Trained model
      </label>
      <select id={props.id} value={choice} onChange={(e) => setChoice(e.target.value)}>
        <option value="">Choose…</option>
        {usable.map((m) => (
          <option key={m.id} value={m.id}>
            {m.label} ({m.connectionName ?? 'connection'} · {m.model})
          </option>
        ))}
      </select>
      <button
        type="button"
        className="btn"
        disabled={!choice}
        onClick={() => {
          const m = usable.find((x) => x.id === choice);
          if (!m || !m.connectionId) return;
          props.onAdd({ label: m.label.slice(0, 80), connectionId: m.connectionId, model: m.model });
          setAdded(m.label);
        }}
      >
        Add as an arm
      </button>
      {added && (
        <span className="small" role="status">
          Added “{added}”.
        </span>
      )}
    </div>
  );
}
