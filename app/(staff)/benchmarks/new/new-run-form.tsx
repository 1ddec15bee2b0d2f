'use client';
/** The new benchmark run form: holds the run's whole setup, applies presets and starts the run; each fieldset lives in its own file here. */
import { useMemo, useState } from 'react';
import { useRouter } from 'next/navigation';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTRPC } from '~/app/_trpc/client';
import type { RunConfigInput } from '~/server/benchmarks/run-config';
import type { Preset } from '~/server/benchmarks/presets';
import type { InteractivityScale } from '~/server/benchmarks/judge-prompts';
import { DEMO_ENDPOINT as DEMO } from '../endpoint-picker';
import { PresetPanel } from './preset-panel';
import { demoArms, type ArmDraft } from './arm-drafts';
import { ArmsFieldset } from './arms-fieldset';
import { TasksFieldset } from './tasks-fieldset';
import { SimulatorJudgeFieldset } from './simulator-judge-fieldset';
import { SizePaceFieldset } from './size-pace-fieldset';

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

      <ArmsFieldset
        arms={arms}
        setArms={setArms}
        referenceArmKey={referenceArmKey}
        setReferenceArmKey={setReferenceArmKey}
        connections={connections}
        studyArms={studyArms}
        studyArmChoice={studyArmChoice}
        setStudyArmChoice={setStudyArmChoice}
        fieldErrors={fieldErrors}
      />

      <TasksFieldset
        taskSets={taskSets}
        currentSet={currentSet}
        chosen={chosen}
        onChooseSet={(id) => {
          setTaskSetId(id);
          setSelectedTasks(null);
        }}
        onSelectTasks={setSelectedTasks}
      />

      <SimulatorJudgeFieldset
        connections={connections}
        simulator={simulator}
        judge={judge}
        openEndpoints={openEndpoints}
        onSimulatorChange={(v) => {
          setSimulator(v);
          setOpenEndpoints((o) => ({ ...o, simulator: false }));
        }}
        onJudgeChange={(v) => {
          setJudge(v);
          setOpenEndpoints((o) => ({ ...o, judge: false }));
        }}
        interactivityScale={interactivityScale}
        onInteractivityScaleChange={setInteractivityScale}
      />

      <SizePaceFieldset
        conversationsPerTask={conversationsPerTask}
        onConversationsPerTaskChange={setConversationsPerTask}
        maxTurns={maxTurns}
        onMaxTurnsChange={setMaxTurns}
        concurrency={concurrency}
        onConcurrencyChange={setConcurrency}
        seed={seed}
        onSeedChange={setSeed}
      />

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
