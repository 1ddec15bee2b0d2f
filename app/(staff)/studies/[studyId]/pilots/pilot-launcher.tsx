'use client';
/**
 * "Pilot with simulated participants": participants per arm, the simulated participants' model (the offline scripted
 * participant needs no connection) and a seed. Starts the pilot and opens its page.
 */
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { useMutation } from '@tanstack/react-query';
import { useTRPC } from '~/app/_trpc/client';
import { trpcErrorMessage } from '~/app/_components/trpc-error';
import { DEMO_ENDPOINT, EndpointPicker, type ConnectionChoice, type EndpointChoice } from '~/app/(staff)/benchmarks/endpoint-picker';

const MAX_PER_ARM = 50;

export function PilotLauncher(props: {
  studyId: string;
  connections: ConnectionChoice[];
  armCount: number;
  /** Which configuration a pilot started now would run (the draft before launch, else the current version). */
  runsOn: string;
  canStart: boolean;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [perArm, setPerArm] = useState('3');
  const [simulator, setSimulator] = useState<EndpointChoice>({ connectionId: DEMO_ENDPOINT, model: 'gpt-4o-mini' });
  const [seed, setSeed] = useState('pilot-1');
  // Judging the pilot when it finishes gives the planner and the calibration report the judges' scores.
  const [judgeWhenDone, setJudgeWhenDone] = useState(true);
  const [judge, setJudge] = useState<EndpointChoice>({ connectionId: DEMO_ENDPOINT, model: 'gpt-4o' });
  const [concurrency, setConcurrency] = useState('2');
  const [problem, setProblem] = useState<string | null>(null);
  // USD per 1M tokens; empty = no cost estimate for that role.
  const [prices, setPrices] = useState({ assistantIn: '', assistantOut: '', simulatorIn: '', simulatorOut: '' });
  const start = useMutation(
    trpc.pilots.start.mutationOptions({ onSuccess: ({ pilotId }) => router.push(`/studies/${props.studyId}/pilots/${pilotId}`) }),
  );
  const n = Number(perArm);
  const total = Number.isInteger(n) && n > 0 ? n * props.armCount : null;

  if (!props.canStart)
    return (
      <section className="card stack" aria-labelledby="pilot-heading">
        <h2 id="pilot-heading" style={{ margin: 0 }}>
          Pilot with simulated participants
        </h2>
        <p className="small muted" style={{ margin: 0 }}>
          Researchers and admins can run a pilot of an open study. Existing pilots are listed under Pilots.
        </p>
      </section>
    );

  return (
    <form
      className="card stack"
      aria-labelledby="pilot-heading"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!Number.isInteger(n) || n < 1 || n > MAX_PER_ARM) return setProblem(`Participants per arm must be a whole number from 1 to ${MAX_PER_ARM}.`);
        if (!seed.trim()) return setProblem('Give the pilot a seed (any text); the same seed gives the same simulated participants.');
        if (simulator.connectionId !== DEMO_ENDPOINT && !simulator.model.trim()) return setProblem('Name the simulator model.');
        if (judgeWhenDone && judge.connectionId !== DEMO_ENDPOINT && !judge.model.trim()) return setProblem('Name the judge model.');
        const price = (input: string, output: string) => {
          if (!input.trim() && !output.trim()) return undefined;
          const pair = { input: Number(input || 0), output: Number(output || 0) };
          return Number.isFinite(pair.input) && Number.isFinite(pair.output) && pair.input >= 0 && pair.output >= 0 ? pair : null;
        };
        const assistantPrice = price(prices.assistantIn, prices.assistantOut);
        const simulatorPrice = price(prices.simulatorIn, prices.simulatorOut);
        if (assistantPrice === null || simulatorPrice === null) return setProblem('Prices must be numbers of US dollars per million tokens, 0 or more.');
        setProblem(null);
        start.mutate({
          studyId: props.studyId,
          settings: {
            participantsPerArm: n,
            simulator: simulator.connectionId === DEMO_ENDPOINT ? { connectionId: null } : { connectionId: simulator.connectionId, model: simulator.model.trim() },
            seed: seed.trim(),
            concurrency: Number(concurrency),
            judge: !judgeWhenDone ? null : judge.connectionId === DEMO_ENDPOINT ? { connectionId: null, model: 'gpt-4o' } : { connectionId: judge.connectionId, model: judge.model.trim() },
            ...(assistantPrice || simulatorPrice ? { pricing: { assistant: assistantPrice, simulator: simulatorPrice } } : {}),
          },
        });
      }}
    >
      <h2 id="pilot-heading" style={{ margin: 0 }}>
        Pilot with simulated participants
      </h2>
      <p className="small muted" style={{ margin: 0 }}>
        Runs {props.runsOn} with simulated participants through the same chat as people: the same arms, prompts, turn limits,
        ratings and survey. Pilot participants are kept apart: they never appear in results, the monitor, transcripts or exports.
      </p>
      <div className="row" style={{ alignItems: 'flex-end' }}>
        <div className="field" style={{ minWidth: '9rem' }}>
          <label htmlFor="pilot-per-arm">Participants per arm</label>
          <input id="pilot-per-arm" type="number" inputMode="numeric" min={1} max={MAX_PER_ARM} value={perArm} onChange={(e) => setPerArm(e.target.value)} />
        </div>
        <EndpointPicker
          id="pilot-simulator"
          label="Simulated participants"
          modelLabel="Simulator model"
          demoLabel="Offline scripted participant (no model calls)"
          value={simulator}
          connections={props.connections}
          onChange={setSimulator}
        />
        <div className="field" style={{ minWidth: '9rem' }}>
          <label htmlFor="pilot-seed">Seed</label>
          <input id="pilot-seed" type="text" maxLength={100} value={seed} onChange={(e) => setSeed(e.target.value)} />
        </div>
        <div className="field" style={{ minWidth: '7rem' }}>
          <label htmlFor="pilot-concurrency">At once</label>
          <select id="pilot-concurrency" value={concurrency} onChange={(e) => setConcurrency(e.target.value)}>
            {[1, 2, 4, 8].map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="btn btn-primary" disabled={start.isPending}>
          {start.isPending ? 'Starting…' : 'Run pilot'}
        </button>
      </div>
      <div className="row" style={{ alignItems: 'flex-end' }}>
        <label className="small" style={{ display: 'flex', gap: '0.4rem', alignItems: 'center' }}>
          <input type="checkbox" checked={judgeWhenDone} onChange={(e) => setJudgeWhenDone(e.target.checked)} />
          Judge the pilot&apos;s conversations when it finishes
        </label>
        {judgeWhenDone && (
          <EndpointPicker
            id="pilot-judge"
            label="Judge"
            modelLabel="Judge model"
            demoLabel="Offline demo-judge (no model calls)"
            value={judge}
            connections={props.connections}
            onChange={setJudge}
          />
        )}
      </div>
      <details>
        <summary className="small">Prices for the cost estimate (optional)</summary>
        <div className="row" style={{ alignItems: 'flex-end', marginTop: '0.5rem' }}>
          {(
            [
              ['assistantIn', 'Assistant input, $ per 1M tokens'],
              ['assistantOut', 'Assistant output, $ per 1M tokens'],
              ['simulatorIn', 'Simulator input, $ per 1M tokens'],
              ['simulatorOut', 'Simulator output, $ per 1M tokens'],
            ] as const
          ).map(([key, label]) => (
            <div className="field" key={key} style={{ flex: 1, minWidth: '10rem' }}>
              <label htmlFor={`pilot-price-${key}`}>{label}</label>
              <input
                id={`pilot-price-${key}`}
                type="number"
                inputMode="decimal"
                min={0}
                step="any"
                value={prices[key]}
                onChange={(e) => setPrices({ ...prices, [key]: e.target.value })}
              />
            </div>
          ))}
        </div>
      </details>
      <p className="small muted" style={{ margin: 0 }} aria-live="polite">
        {total ? `${total} simulated participants (${n} per arm × ${props.armCount} arms).` : ' '}
      </p>
      {(problem || start.error) && (
        <div className="alert alert-error" role="alert">
          {problem ?? trpcErrorMessage(start.error)}
        </div>
      )}
    </form>
  );
}
