'use client';
import { useMemo, useState } from 'react';
import { useRouter } from 'next/navigation';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTRPC } from '~/app/_trpc/client';
import { demoRunConfig, type RunConfigInput } from '~/server/benchmarks/run-config';
import type { ArmConfig } from '~/server/studies/config';
import type { Preset } from '~/server/benchmarks/presets';
import type { InteractivityScale } from '~/server/benchmarks/judge-prompts';
import { ArmModeFields } from '~/app/_components/arm-mode-fields';
import { ConnectionOptions, DEMO_ENDPOINT as DEMO, EndpointPicker } from '../endpoint-picker';
import { PresetPanel } from './preset-panel';
import { TrainedModelArmPicker, type TrainedModelArm } from '~/app/_components/trained-model-arm-picker';

type ArmDraft = Pick<ArmConfig, 'key' | 'label' | 'connectionId' | 'model' | 'systemPrompt' | 'mode' | 'template'> &
  Partial<Pick<ArmConfig, 'topP' | 'maxTokens' | 'weight'>> & {
    temperature: number;
    /** Set when a preset left this arm's endpoint open (or named one that does not exist here). */
    needsEndpoint?: boolean;
  };

const demoArms = (): ArmDraft[] =>
  demoRunConfig(['00000000-0000-4000-8000-000000000000']).arms.map((a) => ({
    key: a.key,
    label: a.label,
    connectionId: a.connectionId,
    model: a.model,
    systemPrompt: a.systemPrompt,
    temperature: a.temperature,
  }));

function uniqueKey(base: string, taken: string[]): string {
  const clean = base.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[-_]+/, '').slice(0, 32) || 'arm';
  let key = clean;
  for (let i = 2; taken.includes(key); i++) key = `${clean}-${i}`;
  return key;
}

export function NewRunForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const options = useQuery(trpc.benchmarks.newRunOptions.queryOptions());
  const [name, setName] = useState(() => `Benchmark ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`);
  const [arms, setArms] = useState<ArmDraft[]>(demoArms);
  const [referenceArmKey, setReferenceArmKey] = useState('proactive');
  const [taskSetId, setTaskSetId] = useState<string | null>(null);
  const [selectedTasks, setSelectedTasks] = useState<Set<string> | null>(null);
  const [simulator, setSimulator] = useState({ connectionId: DEMO, model: 'gpt-4o-mini' });
  const [simulatorTemperature, setSimulatorTemperature] = useState(1);
  const [judge, setJudge] = useState({ connectionId: DEMO, model: 'gpt-4o' });
  const [interactivityScale, setInteractivityScale] = useState<InteractivityScale>('released-code');
  const [openEndpoints, setOpenEndpoints] = useState<{ simulator: boolean; judge: boolean }>({ simulator: false, judge: false });
  const [conversationsPerTask, setConversationsPerTask] = useState(1);
  const [maxTurns, setMaxTurns] = useState(7);
  const [seed, setSeed] = useState('collabstudy');
  const [concurrency, setConcurrency] = useState(4);
  const [studyArmChoice, setStudyArmChoice] = useState('');

  const taskSets = options.data?.taskSets ?? [];
  const currentSet = taskSets.find((s) => s.id === taskSetId) ?? taskSets[0];
  const tasks = currentSet?.tasks ?? [];
  const chosen = selectedTasks ?? new Set(tasks.slice(0, 5).map((t) => t.id));
  const connections = options.data?.connections ?? [];
  const studyArms = useMemo(
    () => (options.data?.studyArms ?? []).flatMap((s) => s.arms.map((a, i) => ({ id: `${s.studyId}:${i}`, study: s.studyName, arm: a }))),
    [options.data],
  );
  const total = chosen.size * arms.length * conversationsPerTask;
  const usesDemo = arms.some((a) => a.connectionId === null) || simulator.connectionId === DEMO || judge.connectionId === DEMO;

  const create = useMutation(
    trpc.benchmarks.create.mutationOptions({
      onSuccess: ({ runId }) => router.push(`/benchmarks/${runId}`),
    }),
  );
  const fieldErrors = (create.error?.data as { zodError?: { fieldErrors?: Record<string, string[]> } } | undefined)?.zodError?.fieldErrors;

  function updateArm(i: number, patch: Partial<ArmDraft>) {
    setArms((prev) => prev.map((a, j) => (j === i ? { ...a, ...patch } : a)));
  }
  function addStudyArm() {
    const pick = studyArms.find((s) => s.id === studyArmChoice);
    if (!pick) return;
    setArms((prev) => [
      ...prev,
      {
        key: uniqueKey(pick.arm.key, prev.map((a) => a.key)),
        label: `${pick.arm.label} (${pick.study})`.slice(0, 80),
        connectionId: pick.arm.connectionId,
        model: pick.arm.model,
        systemPrompt: pick.arm.systemPrompt,
        temperature: pick.arm.temperature,
        mode: pick.arm.mode,
        template: pick.arm.template,
      },
    ]);
  }
  function addTrainedArm(trained: TrainedModelArm) {
    setArms((prev) => [...prev, { key: uniqueKey('trained', prev.map((a) => a.key)), label: trained.label, connectionId: trained.connectionId, model: trained.model, systemPrompt: '', temperature: 0.8 }]);
  }
  function addBlankArm() {
    setArms((prev) => [
      ...prev,
      { key: uniqueKey('arm', prev.map((a) => a.key)), label: 'New arm', connectionId: connections[0]?.id ?? null, model: connections[0]?.defaultModel ?? 'baseline', systemPrompt: '', temperature: 0.8 },
    ]);
  }

  function setup() {
    return {
      arms: arms.map(({ needsEndpoint: _open, ...a }) => ({ ...a })),
      referenceArmKey: arms.some((a) => a.key === referenceArmKey) ? referenceArmKey : undefined,
      simulator: { connectionId: simulator.connectionId || null, model: simulator.model, temperature: simulatorTemperature },
      judge: { connectionId: judge.connectionId || null, model: judge.model, interactivityScale },
    } satisfies Pick<RunConfigInput, 'arms' | 'referenceArmKey' | 'simulator' | 'judge'>;
  }

  /** Endpoints still to choose after a preset: absent from the preset or unknown on this installation. */
  const toFill = [
    ...arms.filter((a) => a.needsEndpoint).map((a) => `arm "${a.key}"`),
    ...(openEndpoints.simulator ? ['simulated user'] : []),
    ...(openEndpoints.judge ? ['judge'] : []),
  ];

  function applyPreset(preset: Preset) {
    const known = new Set(connections.map((c) => c.id));
    const open = (id: string | null | undefined) => id === undefined || (id !== null && !known.has(id));
    const fallback = connections[0]?.id ?? null;
    setArms(
      preset.arms.map((a) => ({
        ...a,
        connectionId: open(a.connectionId) ? fallback : (a.connectionId ?? null),
        model: open(a.connectionId) && fallback === null ? 'baseline' : a.model,
        needsEndpoint: open(a.connectionId),
      })),
    );
    setReferenceArmKey(preset.referenceArmKey ?? preset.arms[0]!.key);
    setSimulator({ connectionId: open(preset.simulator.connectionId) ? DEMO : (preset.simulator.connectionId ?? DEMO), model: preset.simulator.model });
    setSimulatorTemperature(preset.simulator.temperature);
    setJudge({ connectionId: open(preset.judge.connectionId) ? DEMO : (preset.judge.connectionId ?? DEMO), model: preset.judge.model });
    setInteractivityScale(preset.judge.interactivityScale ?? 'released-code');
    setOpenEndpoints({ simulator: open(preset.simulator.connectionId), judge: open(preset.judge.connectionId) });
  }

  function submit(e: React.FormEvent) {
    e.preventDefault();
    if (toFill.length > 0) return;
    const config: RunConfigInput = {
      ...setup(),
      taskIds: tasks.filter((t) => chosen.has(t.id)).map((t) => t.id),
      conversationsPerTask,
      maxTurns,
      seed,
      concurrency,
    };
    create.mutate({ name, config });
  }

  if (options.isPending) return <p className="muted">Loading options…</p>;
  if (options.error) return <div className="alert alert-error">{options.error.message}</div>;

  return (
    <form className="stack" onSubmit={submit} noValidate>
      <div className="card stack">
        <div className="field">
          <label htmlFor="run-name">Run name</label>
          <input id="run-name" value={name} maxLength={120} required onChange={(e) => setName(e.target.value)} />
        </div>
      </div>

      <PresetPanel onApply={applyPreset} current={() => ({ name, config: setup() })} />

      <fieldset className="card stack">
        <legend className="label">Arms</legend>
        <p className="hint small muted">
          Each arm is a model setup to compare. Arms on the <strong>offline demo model</strong> cost nothing and produce demo numbers, not research results.
        </p>
        {arms.length === 0 && <div className="empty">No arms yet. Add the demo arms, an arm from a study, or define one.</div>}
        {arms.map((arm, i) => (
          <div key={i} className="card stack" aria-label={`Arm ${i + 1}`} role="group">
            <div className="row">
              <strong>{arm.label || `Arm ${i + 1}`}</strong>
              {arm.connectionId === null && <span className="badge badge-demo">demo model</span>}
              {arm.needsEndpoint && <span className="badge badge-demo">choose an endpoint</span>}
              <span className="spacer" />
              <label className="small row" style={{ gap: '0.3rem' }}>
                <input type="radio" name="reference-arm" checked={referenceArmKey === arm.key} onChange={() => setReferenceArmKey(arm.key)} />
                Reference arm
              </label>
              <button type="button" className="btn btn-danger" onClick={() => setArms((prev) => prev.filter((_, j) => j !== i))}>
                Remove
              </button>
            </div>
            <div className="row" style={{ alignItems: 'flex-start' }}>
              <div className="field" style={{ flex: 1, minWidth: '8rem' }}>
                <label htmlFor={`arm-${i}-key`}>Key</label>
                <input id={`arm-${i}-key`} value={arm.key} maxLength={40} onChange={(e) => updateArm(i, { key: e.target.value })} />
              </div>
              <div className="field" style={{ flex: 2, minWidth: '10rem' }}>
                <label htmlFor={`arm-${i}-label`}>Label</label>
                <input id={`arm-${i}-label`} value={arm.label} maxLength={80} onChange={(e) => updateArm(i, { label: e.target.value })} />
              </div>
              <div className="field" style={{ flex: 2, minWidth: '10rem' }}>
                <label htmlFor={`arm-${i}-connection`}>Model endpoint</label>
                <select
                  id={`arm-${i}-connection`}
                  value={arm.connectionId ?? DEMO}
                  onChange={(e) => {
                    const c = connections.find((x) => x.id === e.target.value);
                    const keepModel = arm.needsEndpoint && c;
                    updateArm(i, c ? { connectionId: c.id, model: keepModel ? arm.model : c.defaultModel, needsEndpoint: false } : { connectionId: null, model: 'baseline', needsEndpoint: false });
                  }}
                >
                  <option value={DEMO}>Offline demo model</option>
                  <ConnectionOptions connections={connections} />
                </select>
              </div>
              <div className="field" style={{ flex: 2, minWidth: '10rem' }}>
                <label htmlFor={`arm-${i}-model`}>{arm.connectionId === null ? 'Demo style' : 'Model'}</label>
                {arm.connectionId === null ? (
                  <select id={`arm-${i}-model`} value={arm.model} onChange={(e) => updateArm(i, { model: e.target.value })}>
                    <option value="baseline">baseline</option>
                    <option value="proactive">proactive</option>
                    <option value="collabllm">collabllm</option>
                  </select>
                ) : (
                  <input id={`arm-${i}-model`} value={arm.model} maxLength={200} onChange={(e) => updateArm(i, { model: e.target.value })} />
                )}
              </div>
            </div>
            <ArmModeFields idPrefix={`arm-${i}`} value={arm} onChange={(next) => updateArm(i, next)} />
            <div className="field">
              <label htmlFor={`arm-${i}-prompt`}>{arm.mode === 'template' ? 'System prompt (optional, sent before the template)' : 'System prompt (empty = none)'}</label>
              <textarea id={`arm-${i}-prompt`} value={arm.systemPrompt} maxLength={20_000} rows={2} onChange={(e) => updateArm(i, { systemPrompt: e.target.value })} />
            </div>
          </div>
        ))}
        <div className="row">
          <button type="button" className="btn" onClick={() => setArms((prev) => [...prev, ...demoArms().filter((d) => !prev.some((a) => a.key === d.key))])}>
            Add the demo arms
          </button>
          <button type="button" className="btn" onClick={addBlankArm}>
            Define an arm
          </button>
          {studyArms.length > 0 && (
            <>
              <label htmlFor="study-arm" className="small">
                From a study
              </label>
              <select id="study-arm" value={studyArmChoice} onChange={(e) => setStudyArmChoice(e.target.value)}>
                <option value="">Choose an arm…</option>
                {studyArms.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.study} — {s.arm.label}
                    {s.arm.connectionId === null ? ' (demo)' : ''}
                  </option>
                ))}
              </select>
              <button type="button" className="btn" disabled={!studyArmChoice} onClick={addStudyArm}>
                Add arm
              </button>
            </>
          )}
        </div>
        <TrainedModelArmPicker id="run-trained-model" onAdd={addTrainedArm} />
        {fieldErrors && Object.keys(fieldErrors).length > 0 && <p className="error-text">Check the arms and settings: {Object.keys(fieldErrors).join(', ')}.</p>}
      </fieldset>

      <fieldset className="card stack">
        <legend className="label">Tasks</legend>
        {taskSets.length === 0 ? (
          <div className="empty">No task sets yet. Import one under Task sets.</div>
        ) : (
          <>
            <div className="field">
              <label htmlFor="task-set">Task set</label>
              <select
                id="task-set"
                value={currentSet?.id}
                onChange={(e) => {
                  setTaskSetId(e.target.value);
                  setSelectedTasks(null);
                }}
              >
                {taskSets.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name} ({s.tasks.length} tasks)
                  </option>
                ))}
              </select>
            </div>
            <div className="row">
              <span className="small">
                {chosen.size} of {tasks.length} tasks selected
              </span>
              <button type="button" className="btn" onClick={() => setSelectedTasks(new Set(tasks.map((t) => t.id)))}>
                Select all
              </button>
              <button type="button" className="btn" onClick={() => setSelectedTasks(new Set())}>
                Select none
              </button>
            </div>
            <div style={{ maxHeight: '14rem', overflowY: 'auto', columns: '16rem' }}>
              {tasks.map((t) => (
                <label key={t.id} className="small" style={{ display: 'block' }}>
                  <input
                    type="checkbox"
                    checked={chosen.has(t.id)}
                    onChange={(e) => {
                      const next = new Set(chosen);
                      if (e.target.checked) next.add(t.id);
                      else next.delete(t.id);
                      setSelectedTasks(next);
                    }}
                  />{' '}
                  <span className="mono">{t.key}</span>
                </label>
              ))}
            </div>
          </>
        )}
      </fieldset>

      <fieldset className="card stack">
        <legend className="label">Simulated user and judge</legend>
        <div className="row" style={{ alignItems: 'flex-start' }}>
          <EndpointPicker
            id="simulator"
            label={openEndpoints.simulator ? 'Simulated user (choose an endpoint)' : 'Simulated user'}
            modelLabel="Simulator model"
            demoLabel="Scripted demo user (offline)"
            value={simulator}
            connections={connections}
            onChange={(v) => {
              setSimulator(v);
              setOpenEndpoints((o) => ({ ...o, simulator: false }));
            }}
          />
          <EndpointPicker
            id="judge"
            label={openEndpoints.judge ? 'Judge (choose an endpoint)' : 'Judge'}
            modelLabel="Judge model"
            demoLabel="Demo judge (offline heuristic)"
            value={judge}
            connections={connections}
            onChange={(v) => {
              setJudge(v);
              setOpenEndpoints((o) => ({ ...o, judge: false }));
            }}
          />
        </div>
        <div className="field" style={{ maxWidth: '32rem' }}>
          <label htmlFor="interactivity-scale">Interactivity scale</label>
          <select id="interactivity-scale" value={interactivityScale} onChange={(e) => setInteractivityScale(e.target.value as InteractivityScale)}>
            <option value="released-code">Released code: 1 / 0.5 / 0</option>
            <option value="paper-table1">Paper, Table 1: 3 / 2 / 1, rescaled to 2 (S − 2.5)</option>
          </select>
          <span className="hint">Recorded with every interactivity score and in the judge label.</span>
        </div>
      </fieldset>

      <fieldset className="card stack">
        <legend className="label">Size and pace</legend>
        <div className="row" style={{ alignItems: 'flex-start' }}>
          <NumberField id="conversations" label="Conversations per task" value={conversationsPerTask} min={1} max={20} onChange={setConversationsPerTask} />
          <NumberField id="max-turns" label="Maximum turns" value={maxTurns} min={1} max={30} onChange={setMaxTurns} />
          <NumberField id="concurrency" label="Concurrency" hint="Conversations at once, across all workers" value={concurrency} min={1} max={32} onChange={setConcurrency} />
          <div className="field" style={{ flex: 1, minWidth: '8rem' }}>
            <label htmlFor="seed">Seed</label>
            <input id="seed" value={seed} maxLength={100} onChange={(e) => setSeed(e.target.value)} />
          </div>
        </div>
      </fieldset>

      {usesDemo && (
        <div className="alert alert-warn" role="note">
          This run uses the offline demo model, scripted user or demo judge somewhere: it runs without any endpoint, and its numbers are a demo of the pipeline,
          not research results.
        </div>
      )}
      {toFill.length > 0 && (
        <div className="alert alert-warn" role="alert">
          Choose an endpoint for: {toFill.join(', ')}. The preset left {toFill.length === 1 ? 'it' : 'them'} open or named a connection that does not exist here.
        </div>
      )}
      {create.error && (
        <div className="alert alert-error" role="alert">
          {create.error.message}
        </div>
      )}
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={create.isPending || total === 0 || toFill.length > 0}>
          {create.isPending ? 'Starting…' : `Start run (${total} conversation${total === 1 ? '' : 's'})`}
        </button>
        <span className="muted small">
          {chosen.size} tasks × {arms.length} arms × {conversationsPerTask}
        </span>
      </div>
    </form>
  );
}

function NumberField(props: { id: string; label: string; hint?: string; value: number; min: number; max: number; onChange: (n: number) => void }) {
  return (
    <div className="field" style={{ flex: 1, minWidth: '8rem' }}>
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="number"
        inputMode="numeric"
        min={props.min}
        max={props.max}
        value={props.value}
        onChange={(e) => props.onChange(Math.max(props.min, Math.min(props.max, Number(e.target.value) || props.min)))}
      />
      {props.hint && <span className="hint">{props.hint}</span>}
    </div>
  );
}
