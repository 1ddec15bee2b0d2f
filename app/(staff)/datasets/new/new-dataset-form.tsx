'use client';
/**
 * The new-dataset form: synthetic conversations (task set, candidate sources, MR settings, simulator, judge)
 * or a human study (arms, versions, rating filters). Defaults are the paper's document task and the offline
 * demo parts, so "Create" works without any endpoint.
 */
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTRPC } from '~/app/_trpc/client';
import { trpcErrorMessage } from '~/app/_components/trpc-error';
import { ConnectionOptions, DEMO_ENDPOINT, EndpointPicker } from '../../benchmarks/endpoint-picker';

interface CandidateDraft {
  key: string;
  label: string;
  connectionId: string;
  model: string;
  systemPrompt: string;
}

const DEMO_STYLES = ['collabllm', 'proactive', 'baseline'] as const;
const demoCandidates = (): CandidateDraft[] => [
  { key: 'collabllm', label: 'CollabLLM (demo)', connectionId: DEMO_ENDPOINT, model: 'collabllm', systemPrompt: '' },
  { key: 'baseline', label: 'Base (demo)', connectionId: DEMO_ENDPOINT, model: 'baseline', systemPrompt: '' },
];

function num(v: string, fallback: number): number {
  const n = Number(v);
  return Number.isFinite(n) ? n : fallback;
}

export function NewDatasetForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const options = useQuery(trpc.datasets.newOptions.queryOptions());
  const [source, setSource] = useState<'synthetic' | 'study'>('synthetic');
  const [name, setName] = useState(() => `Dataset ${new Date().toISOString().slice(0, 10)}`);
  const [taskSetId, setTaskSetId] = useState('');
  const [taskCount, setTaskCount] = useState(5);
  const [candidates, setCandidates] = useState<CandidateDraft[]>(demoCandidates);
  const [policy, setPolicy] = useState<CandidateDraft>({ key: 'policy', label: 'Policy', connectionId: DEMO_ENDPOINT, model: 'collabllm', systemPrompt: '' });
  const [simulator, setSimulator] = useState({ connectionId: DEMO_ENDPOINT, model: 'gpt-4o-mini' });
  const [judge, setJudge] = useState({ connectionId: DEMO_ENDPOINT, model: 'gpt-4o' });
  const [mr, setMr] = useState({ window: 2, samples: 3, bleu: 1, interactivity: 0, lambda: 0.0001 });
  const [maxTurns, setMaxTurns] = useState(7);
  const [minGap, setMinGap] = useState(0.02);
  const [concurrency, setConcurrency] = useState(4);
  const [seed, setSeed] = useState('collabstudy');
  const [splitSeed, setSplitSeed] = useState('split-42');
  const [evalRatio, setEvalRatio] = useState(0.1);
  const [systemPrompt, setSystemPrompt] = useState('');
  const [studyId, setStudyId] = useState('');
  const [armKeys, setArmKeys] = useState<string[]>([]);
  const [versionIds, setVersionIds] = useState<string[]>([]);
  const [minQuality, setMinQuality] = useState('');
  const [minInteraction, setMinInteraction] = useState('');
  const [minPeriodic, setMinPeriodic] = useState('');

  const onCreated = ({ datasetId }: { datasetId: string }) => router.push(`/datasets/${datasetId}`);
  const createSynthetic = useMutation(trpc.datasets.createSynthetic.mutationOptions({ onSuccess: onCreated }));
  const createFromStudy = useMutation(trpc.datasets.createFromStudy.mutationOptions({ onSuccess: onCreated }));
  const error = createSynthetic.error ?? createFromStudy.error;
  const pending = createSynthetic.isPending || createFromStudy.isPending;

  if (options.isPending) return <p className="muted">Loading options…</p>;
  if (options.error) return <div className="alert alert-error">{options.error.message}</div>;
  const { taskSets, connections, studies } = options.data;
  const set = taskSets.find((s) => s.id === taskSetId) ?? taskSets[0];
  const study = studies.find((s) => s.studyId === studyId) ?? studies[0];
  const usesDemo =
    candidates.some((c) => c.connectionId === DEMO_ENDPOINT) || policy.connectionId === DEMO_ENDPOINT || simulator.connectionId === DEMO_ENDPOINT || judge.connectionId === DEMO_ENDPOINT;
  const arm = (c: CandidateDraft) => ({
    key: c.key,
    label: c.label,
    connectionId: c.connectionId === DEMO_ENDPOINT ? null : c.connectionId,
    model: c.model,
    systemPrompt: c.systemPrompt,
  });

  function submit(e: React.FormEvent) {
    e.preventDefault();
    if (source === 'synthetic') {
      createSynthetic.mutate({
        name,
        seed,
        splitSeed,
        evalRatio,
        settings: {
          taskIds: (set?.tasks ?? []).slice(0, taskCount).map((t) => t.id),
          candidates: candidates.map(arm),
          mr: {
            window: mr.window,
            samples: mr.samples,
            weights: { bleu_char: mr.bleu, interactivity: mr.interactivity },
            lambda: mr.lambda,
            policy: arm(policy),
            simulator: { connectionId: simulator.connectionId === DEMO_ENDPOINT ? null : simulator.connectionId, model: simulator.model },
            judge: { connectionId: judge.connectionId === DEMO_ENDPOINT ? null : judge.connectionId, model: judge.model },
          },
          maxTurns,
          minGap,
          concurrency,
          systemPrompt,
        },
      });
    } else {
      createFromStudy.mutate({
        name,
        splitSeed,
        evalRatio,
        settings: {
          studyId: study?.studyId,
          armKeys,
          versionIds,
          minDocumentQuality: minQuality ? Number(minQuality) : null,
          minOverallInteraction: minInteraction ? Number(minInteraction) : null,
          minMeanPeriodicRating: minPeriodic ? Number(minPeriodic) : null,
          systemPrompt,
        },
      });
    }
  }

  const candidateEditor = (c: CandidateDraft, update: (patch: Partial<CandidateDraft>) => void, idPrefix: string) => (
    <div className="row" style={{ alignItems: 'flex-start' }}>
      <div className="field" style={{ flex: 1, minWidth: '10rem' }}>
        <label htmlFor={`${idPrefix}-conn`}>Model source</label>
        <select id={`${idPrefix}-conn`} value={c.connectionId} onChange={(e) => update({ connectionId: e.target.value, model: e.target.value === DEMO_ENDPOINT ? 'collabllm' : (connections.find((x) => x.id === e.target.value)?.defaultModel ?? c.model) })}>
          <option value={DEMO_ENDPOINT}>Offline demo model</option>
          <ConnectionOptions connections={connections} />
        </select>
      </div>
      <div className="field" style={{ flex: 1, minWidth: '8rem' }}>
        <label htmlFor={`${idPrefix}-model`}>{c.connectionId === DEMO_ENDPOINT ? 'Demo style' : 'Model'}</label>
        {c.connectionId === DEMO_ENDPOINT ? (
          <select id={`${idPrefix}-model`} value={c.model} onChange={(e) => update({ model: e.target.value })}>
            {DEMO_STYLES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        ) : (
          <input id={`${idPrefix}-model`} value={c.model} maxLength={200} onChange={(e) => update({ model: e.target.value })} />
        )}
      </div>
      <div className="field" style={{ flex: 2, minWidth: '12rem' }}>
        <label htmlFor={`${idPrefix}-prompt`}>System prompt</label>
        <textarea id={`${idPrefix}-prompt`} rows={2} value={c.systemPrompt} maxLength={20000} onChange={(e) => update({ systemPrompt: e.target.value })} />
      </div>
    </div>
  );

  return (
    <form className="stack" onSubmit={submit} noValidate>
      <div className="card stack">
        <div className="field">
          <label htmlFor="ds-name">Name</label>
          <input id="ds-name" value={name} maxLength={120} onChange={(e) => setName(e.target.value)} />
          <span className="hint small muted">A name you used before gets the next version; earlier versions stay as they are.</span>
        </div>
        <div className="row" role="radiogroup" aria-label="Source">
          <label className="row small" style={{ gap: '0.3rem' }}>
            <input type="radio" name="source" checked={source === 'synthetic'} onChange={() => setSource('synthetic')} /> Synthetic conversations (MR-scored)
          </label>
          <label className="row small" style={{ gap: '0.3rem' }}>
            <input type="radio" name="source" checked={source === 'study'} onChange={() => setSource('study')} /> From a human study
          </label>
        </div>
      </div>

      {source === 'synthetic' ? (
        <>
          <fieldset className="card stack">
            <legend className="label">Tasks</legend>
            <div className="row">
              <div className="field" style={{ flex: 2 }}>
                <label htmlFor="ds-taskset">Task set</label>
                <select id="ds-taskset" value={set?.id ?? ''} onChange={(e) => setTaskSetId(e.target.value)}>
                  {taskSets.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name} ({s.tasks.length} tasks)
                    </option>
                  ))}
                </select>
              </div>
              <div className="field" style={{ flex: 1 }}>
                <label htmlFor="ds-taskcount">Conversations (first N tasks)</label>
                <input id="ds-taskcount" type="number" min={1} max={Math.max(1, set?.tasks.length ?? 1)} value={taskCount} onChange={(e) => setTaskCount(Math.max(1, num(e.target.value, 1)))} />
              </div>
              <div className="field" style={{ flex: 1 }}>
                <label htmlFor="ds-maxturns">Max turns</label>
                <input id="ds-maxturns" type="number" min={1} max={15} value={maxTurns} onChange={(e) => setMaxTurns(num(e.target.value, 7))} />
              </div>
            </div>
          </fieldset>
          <fieldset className="card stack">
            <legend className="label">Candidates per turn (K = {candidates.length})</legend>
            <p className="hint small muted">One candidate per source at every turn; the paper uses one collaborative and one plain.</p>
            {candidates.map((c, i) => (
              <div key={i} className="card stack" role="group" aria-label={`Candidate ${i + 1}`}>
                <div className="row">
                  <input aria-label={`Candidate ${i + 1} label`} value={c.label} maxLength={80} onChange={(e) => setCandidates((p) => p.map((x, j) => (j === i ? { ...x, label: e.target.value } : x)))} />
                  <span className="spacer" />
                  <button type="button" className="btn btn-danger" disabled={candidates.length <= 1} onClick={() => setCandidates((p) => p.filter((_, j) => j !== i))}>
                    Remove
                  </button>
                </div>
                {candidateEditor(c, (patch) => setCandidates((p) => p.map((x, j) => (j === i ? { ...x, ...patch } : x))), `cand-${i}`)}
              </div>
            ))}
            <div>
              <button
                type="button"
                className="btn"
                disabled={candidates.length >= 6}
                onClick={() => setCandidates((p) => [...p, { key: `candidate-${p.length + 1}`, label: `Candidate ${p.length + 1}`, connectionId: DEMO_ENDPOINT, model: 'proactive', systemPrompt: '' }])}
              >
                Add candidate source
              </button>
            </div>
          </fieldset>
          <fieldset className="card stack">
            <legend className="label">Multiturn-aware reward</legend>
            <div className="row">
              <div className="field">
                <label htmlFor="mr-window">Window w (turns)</label>
                <input id="mr-window" type="number" min={0} max={4} value={mr.window} onChange={(e) => setMr({ ...mr, window: num(e.target.value, 2) })} />
              </div>
              <div className="field">
                <label htmlFor="mr-samples">Samples S</label>
                <input id="mr-samples" type="number" min={1} max={8} value={mr.samples} onChange={(e) => setMr({ ...mr, samples: num(e.target.value, 3) })} />
              </div>
              <div className="field">
                <label htmlFor="mr-bleu">BLEU weight</label>
                <input id="mr-bleu" type="number" step="0.1" value={mr.bleu} onChange={(e) => setMr({ ...mr, bleu: num(e.target.value, 1) })} />
              </div>
              <div className="field">
                <label htmlFor="mr-itr">Interactivity weight</label>
                <input id="mr-itr" type="number" step="0.1" value={mr.interactivity} onChange={(e) => setMr({ ...mr, interactivity: num(e.target.value, 0) })} />
              </div>
              <div className="field">
                <label htmlFor="mr-lambda">λ (token penalty)</label>
                <input id="mr-lambda" type="number" step="0.0001" min={0} value={mr.lambda} onChange={(e) => setMr({ ...mr, lambda: num(e.target.value, 0.0001) })} />
              </div>
              <div className="field">
                <label htmlFor="mr-gap">Min. MR gap for pairs</label>
                <input id="mr-gap" type="number" step="0.01" min={0} value={minGap} onChange={(e) => setMinGap(num(e.target.value, 0.02))} />
              </div>
            </div>
            <p className="hint small muted">reward = BLEU·w₁ + interactivity·w₂ − min(λ·tokens, 1), averaged over S forward samples of w turns.</p>
            <div className="label">Policy in the forward samples</div>
            {candidateEditor(policy, (patch) => setPolicy((p) => ({ ...p, ...patch })), 'policy')}
            <div className="row">
              <EndpointPicker id="ds-sim" label="Simulated user" modelLabel="Simulator model" demoLabel="Scripted demo user" value={simulator} connections={connections} onChange={setSimulator} />
              <EndpointPicker id="ds-judge" label="Judge" modelLabel="Judge model" demoLabel="Demo judge" value={judge} connections={connections} onChange={setJudge} />
            </div>
            <div className="row">
              <div className="field">
                <label htmlFor="ds-seed">Seed</label>
                <input id="ds-seed" value={seed} maxLength={100} onChange={(e) => setSeed(e.target.value)} />
              </div>
              <div className="field">
                <label htmlFor="ds-conc">Concurrency</label>
                <input id="ds-conc" type="number" min={1} max={32} value={concurrency} onChange={(e) => setConcurrency(num(e.target.value, 4))} />
              </div>
            </div>
          </fieldset>
        </>
      ) : (
        <fieldset className="card stack">
          <legend className="label">Human study</legend>
          {studies.length === 0 ? (
            <div className="empty">No studies yet.</div>
          ) : (
            <>
              <div className="field">
                <label htmlFor="ds-study">Study</label>
                <select id="ds-study" value={study?.studyId ?? ''} onChange={(e) => { setStudyId(e.target.value); setArmKeys([]); setVersionIds([]); }}>
                  {studies.map((s) => (
                    <option key={s.studyId} value={s.studyId}>
                      {s.studyName}
                    </option>
                  ))}
                </select>
              </div>
              <div className="row small" role="group" aria-label="Arms">
                Arms (none ticked = all):
                {(study?.arms ?? []).map((a) => (
                  <label key={a.key} className="row" style={{ gap: '0.3rem' }}>
                    <input type="checkbox" checked={armKeys.includes(a.key)} onChange={(e) => setArmKeys((p) => (e.target.checked ? [...p, a.key] : p.filter((k) => k !== a.key)))} /> {a.label}
                  </label>
                ))}
              </div>
              <div className="row small" role="group" aria-label="Versions">
                Versions (none ticked = all):
                {(study?.versions ?? []).map((v) => (
                  <label key={v.id} className="row" style={{ gap: '0.3rem' }}>
                    <input type="checkbox" checked={versionIds.includes(v.id)} onChange={(e) => setVersionIds((p) => (e.target.checked ? [...p, v.id] : p.filter((k) => k !== v.id)))} /> v{v.version}
                  </label>
                ))}
              </div>
              <div className="row">
                <div className="field">
                  <label htmlFor="ds-minq">Min. document quality (1–10)</label>
                  <input id="ds-minq" type="number" min={1} max={10} value={minQuality} onChange={(e) => setMinQuality(e.target.value)} />
                </div>
                <div className="field">
                  <label htmlFor="ds-mini">Min. overall interaction (1–10)</label>
                  <input id="ds-mini" type="number" min={1} max={10} value={minInteraction} onChange={(e) => setMinInteraction(e.target.value)} />
                </div>
                <div className="field">
                  <label htmlFor="ds-minp">Min. mean periodic rating</label>
                  <input id="ds-minp" type="number" min={1} max={10} step="0.5" value={minPeriodic} onChange={(e) => setMinPeriodic(e.target.value)} />
                </div>
              </div>
              <p className="hint small muted">Completed, non-excluded participants only; ids are pseudonymized with the study export&apos;s keyed hash.</p>
            </>
          )}
        </fieldset>
      )}

      <fieldset className="card stack">
        <legend className="label">Split and export</legend>
        <div className="row">
          <div className="field">
            <label htmlFor="ds-splitseed">Split seed</label>
            <input id="ds-splitseed" value={splitSeed} maxLength={100} onChange={(e) => setSplitSeed(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="ds-evalratio">Eval share</label>
            <input id="ds-evalratio" type="number" min={0} max={0.5} step="0.05" value={evalRatio} onChange={(e) => setEvalRatio(num(e.target.value, 0.1))} />
          </div>
        </div>
        <div className="field">
          <label htmlFor="ds-system">System prompt in exports (optional)</label>
          <textarea id="ds-system" rows={3} maxLength={20000} value={systemPrompt} onChange={(e) => setSystemPrompt(e.target.value)} />
        </div>
      </fieldset>

      {source === 'synthetic' && usesDemo && (
        <div className="alert">Some parts use the offline demo (model, scripted user or judge): the dataset will be labelled demo — fine for trying the pipeline, not for training.</div>
      )}
      {error && <div className="alert alert-error" role="alert">{trpcErrorMessage(error)}</div>}
      <div>
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {pending ? 'Creating…' : 'Create dataset'}
        </button>
      </div>
    </form>
  );
}
