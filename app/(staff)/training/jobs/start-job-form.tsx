'use client';
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { useMutation } from '@tanstack/react-query';
import { useTRPC } from '~/app/_trpc/client';
import type { trainingJobOptions } from '~/server/training/jobs/service';

type Options = Awaited<ReturnType<typeof trainingJobOptions>>;
type Method = 'sft' | 'dpo';

/** Fields side by side on wide screens, one column on a phone. */
const grid = { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(15rem, 1fr))', gap: '0.75rem' } as const;

function NumberField({ label, value, onChange, step, min, help }: { label: string; value: number; onChange: (v: number) => void; step?: string; min?: number; help?: string }) {
  return (
    <label className="field">
      <span>{label}</span>
      <input type="number" step={step ?? 'any'} min={min} value={Number.isFinite(value) ? value : ''} onChange={(e) => onChange(Number(e.target.value))} />
      {help && <span className="small muted">{help}</span>}
    </label>
  );
}

export function StartJobForm({ options }: { options: Options }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [datasetId, setDatasetId] = useState(options.datasets[0]?.id ?? '');
  const [method, setMethod] = useState<Method>('sft');
  const [provider, setProvider] = useState<'openai' | 'webhook'>('openai');
  const [connectionId, setConnectionId] = useState(options.connections[0]?.id ?? '');
  const [baseModel, setBaseModel] = useState(options.connections[0]?.defaultModel ?? '');
  const [hp, setHp] = useState(options.defaults.sft);
  const [multiplier, setMultiplier] = useState('auto');
  const [seed, setSeed] = useState('');
  const start = useMutation(trpc.trainingJobs.start.mutationOptions({ onSuccess: ({ jobId }) => router.push(`/training/jobs/${jobId}`) }));

  if (options.datasets.length === 0)
    return (
      <section className="card">
        <h2>Start a training job</h2>
        <p className="muted">No dataset is ready yet. Build or import a training dataset first; ready datasets appear here.</p>
      </section>
    );

  const chooseMethod = (next: Method) => {
    setMethod(next);
    setHp(options.defaults[next]);
  };
  const lora = hp.lora ?? { rank: 32, alpha: 16, dropout: 0.1 };
  const submit = () =>
    start.mutate({
      datasetId,
      method,
      provider,
      connectionId: connectionId || null,
      baseModel: baseModel.trim(),
      hyperparameters: { ...hp, learningRateMultiplier: multiplier === 'auto' ? 'auto' : Number(multiplier) },
      ...(seed.trim() ? { seed: Number(seed) } : {}),
    });

  return (
    <section className="card stack" aria-labelledby="start-heading">
      <h2 id="start-heading" style={{ margin: 0 }}>
        Start a training job
      </h2>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <div style={grid}>
          <label className="field">
            <span>Dataset</span>
            <select value={datasetId} onChange={(e) => setDatasetId(e.target.value)} data-testid="training-dataset">
              {options.datasets.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name} v{d.version}
                  {d.isDemo ? ' (demo)' : ''}
                </option>
              ))}
            </select>
          </label>
          <fieldset className="field">
            <legend>Method</legend>
            <label>
              <input type="radio" name="method" checked={method === 'sft'} onChange={() => chooseMethod('sft')} /> SFT (chosen conversations)
            </label>{' '}
            <label>
              <input type="radio" name="method" checked={method === 'dpo'} onChange={() => chooseMethod('dpo')} /> DPO (preference pairs)
            </label>
          </fieldset>
          <label className="field">
            <span>Provider</span>
            <select value={provider} onChange={(e) => setProvider(e.target.value as 'openai' | 'webhook')} data-testid="training-provider">
              <option value="openai">OpenAI-compatible fine-tuning API</option>
              <option value="webhook" disabled={Boolean(options.webhookUnavailable)}>
                External trainer (webhook){options.webhookUnavailable ? ' — not configured' : ''}
              </option>
            </select>
            {options.webhookUnavailable && <span className="small muted">{options.webhookUnavailable}</span>}
          </label>
          <label className="field">
            <span>{provider === 'openai' ? 'Connection (its fine-tuning API)' : 'Connection serving the base model (optional)'}</span>
            <select
              value={connectionId}
              data-testid="training-connection"
              onChange={(e) => {
                setConnectionId(e.target.value);
                const c = options.connections.find((x) => x.id === e.target.value);
                if (c) setBaseModel(c.defaultModel);
              }}
            >
              {provider === 'webhook' && <option value="">— none —</option>}
              {options.connections.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Base model</span>
            <input value={baseModel} onChange={(e) => setBaseModel(e.target.value)} required maxLength={200} data-testid="training-base-model" />
          </label>
          <label className="field">
            <span>Seed (optional)</span>
            <input type="number" min={0} value={seed} onChange={(e) => setSeed(e.target.value)} />
          </label>
        </div>
        <details>
          <summary>Hyperparameters (defaults from the CollabLLM paper, App. B.2)</summary>
          <div style={{ ...grid, marginTop: '0.75rem' }}>
            <NumberField label="Learning rate" value={hp.learningRate} onChange={(v) => setHp({ ...hp, learningRate: v })} help="Absolute rate, for external trainers." />
            <NumberField label="Total batch size" value={hp.batchSize} step="1" min={1} onChange={(v) => setHp({ ...hp, batchSize: v })} />
            <NumberField label="Epochs" value={hp.epochs} step="1" min={1} onChange={(v) => setHp({ ...hp, epochs: v })} />
            {method === 'dpo' && <NumberField label="DPO β" value={hp.beta ?? 0.1} onChange={(v) => setHp({ ...hp, beta: v })} />}
            <NumberField label="LoRA rank" value={lora.rank} step="1" min={1} onChange={(v) => setHp({ ...hp, lora: { ...lora, rank: v } })} />
            <NumberField label="LoRA α" value={lora.alpha} onChange={(v) => setHp({ ...hp, lora: { ...lora, alpha: v } })} />
            <NumberField label="LoRA dropout" value={lora.dropout} onChange={(v) => setHp({ ...hp, lora: { ...lora, dropout: v } })} />
            <label className="field">
              <span>Learning-rate multiplier (fine-tuning APIs)</span>
              <input value={multiplier} onChange={(e) => setMultiplier(e.target.value)} />
              <span className="small muted">&quot;auto&quot; or a number; these APIs take a multiplier of their own rate, not an absolute one.</span>
            </label>
          </div>
        </details>
        {start.error && (
          <div className="alert alert-error" role="alert">
            {start.error.message}
          </div>
        )}
        <div className="row">
          <button type="submit" className="btn btn-primary" disabled={start.isPending || !datasetId || (provider === 'openai' && !connectionId)}>
            {start.isPending ? 'Starting…' : 'Start training'}
          </button>
        </div>
      </form>
    </section>
  );
}
