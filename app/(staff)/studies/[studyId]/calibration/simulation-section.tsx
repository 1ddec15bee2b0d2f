'use client';
import Link from 'next/link';
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '~/app/_trpc/client';
import type { RunChoice } from '~/server/calibration/service';
import type { OutcomeEffects } from '~/server/calibration/sim-vs-people';
import { fmt } from '../results/format';
import { EffectsForest } from './calibration-charts';
import { signedWithCi } from './format';

/** Simulation vs people: pick a benchmark run, check (or choose) which run arm stands for which study arm, compare effects. */
export function SimulationSection({ studyId, runs }: { studyId: string; runs: RunChoice[] }) {
  const best = runs.find((r) => r.matchedArms >= 2) ?? null;
  const [runId, setRunId] = useState<string>(best?.id ?? '');
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [judge, setJudge] = useState<string | undefined>(undefined);
  const chooseRun = (id: string) => {
    setRunId(id);
    setMapping({});
    setJudge(undefined);
  };
  return (
    <section className="stack" aria-labelledby="simulation-heading">
      <h2 id="simulation-heading" style={{ margin: 0 }}>
        Simulation vs people
      </h2>
      {runs.length === 0 ? (
        <div className="card">
          No benchmark runs yet — <Link href="/benchmarks/new">start a benchmark run</Link> with this study&apos;s arms to compare the simulation with the people.
        </div>
      ) : (
        <>
          {!runs.some((r) => r.matchedArms >= 2) && (
            <div className="alert alert-warn" role="status">
              No benchmark run with matching arms: no run has two arms with this study&apos;s arm keys or the same model and prompt. Pick a run and choose which of its
              arms stands for each study arm.
            </div>
          )}
          <div className="field" style={{ maxWidth: '32rem' }}>
            <label htmlFor="calibration-run">Benchmark run</label>
            <select id="calibration-run" value={runId} onChange={(e) => chooseRun(e.target.value)}>
              <option value="">Choose a run…</option>
              {runs.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name} — {r.status}, {r.matchedArms} of {r.arms.length} arms match
                </option>
              ))}
            </select>
          </div>
          {runId && <RunComparison key={runId} studyId={studyId} runId={runId} mapping={mapping} setMapping={setMapping} judge={judge} setJudge={setJudge} />}
        </>
      )}
    </section>
  );
}

function RunComparison(props: {
  studyId: string;
  runId: string;
  mapping: Record<string, string>;
  setMapping: (m: Record<string, string>) => void;
  judge: string | undefined;
  setJudge: (j: string) => void;
}) {
  const trpc = useTRPC();
  const query = useQuery(
    trpc.calibration.simulationVsPeople.queryOptions(
      { studyId: props.studyId, runId: props.runId, armMapping: props.mapping, judge: props.judge },
      { placeholderData: (prev) => prev, staleTime: 10_000 },
    ),
  );
  if (query.isPending) return <p className="muted">Comparing the run with the study…</p>;
  if (query.error) return <div className="alert alert-error">{query.error.message}</div>;
  const d = query.data;
  const studyLabel = (key: string) => d.studyArms.find((a) => a.key === key)?.label ?? key;
  const runLabel = (key: string) => d.runArms.find((a) => a.key === key)?.label ?? key;
  const matchOf = (studyKey: string) => d.matching.matches.find((m) => m.studyArmKey === studyKey);
  return (
    <div className="stack" data-testid="simulation-vs-people">
      <div style={{ overflowX: 'auto' }}>
        <table className="table" aria-label="Arm matching between the study and the run">
          <thead>
            <tr>
              <th scope="col">Study arm</th>
              <th scope="col">Run arm</th>
              <th scope="col">Matched by</th>
            </tr>
          </thead>
          <tbody>
            {d.studyArms.map((arm) => {
              const m = matchOf(arm.key);
              return (
                <tr key={arm.key}>
                  <th scope="row">{arm.label}</th>
                  <td>
                    <select
                      aria-label={`Run arm for ${arm.label}`}
                      value={m?.runArmKey ?? ''}
                      onChange={(e) => props.setMapping({ ...props.mapping, [arm.key]: e.target.value })}
                    >
                      <option value="" disabled>
                        — not matched —
                      </option>
                      {d.runArms.map((r) => (
                        <option key={r.key} value={r.key}>
                          {r.label} ({r.key})
                        </option>
                      ))}
                    </select>
                  </td>
                  <td className="small muted">{m ? { key: 'same key', identity: 'same model and prompt', chosen: 'your choice' }[m.how] : '–'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="row small">
        <span>
          Reference arm: run <strong>{runLabel(d.run.referenceArmKey)}</strong>
          {d.referenceStudyArmKey ? (
            <>
              {' '}
              ↔ study <strong>{studyLabel(d.referenceStudyArmKey)}</strong>
            </>
          ) : null}
        </span>
        {d.run.judges.length > 1 && (
          <label className="row small" style={{ gap: '0.4rem' }}>
            Run judge
            <select value={d.run.judge ?? ''} onChange={(e) => props.setJudge(e.target.value)}>
              {d.run.judges.map((j) => (
                <option key={j} value={j}>
                  {j}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {!d.run.judge ? (
        <div className="card muted">This run has no judge scores yet; effects appear once its conversations are judged.</div>
      ) : !d.referenceStudyArmKey ? (
        <div className="alert alert-warn" role="status">
          The run&apos;s reference arm ({runLabel(d.run.referenceArmKey)}) has no matching study arm: choose the study arm it stands for above.
        </div>
      ) : d.outcomes.every((o) => o.effects.length === 0) ? (
        <div className="card muted">No other arm is matched yet: match at least one more arm above to compare effects.</div>
      ) : (
        d.outcomes.map((o) => <OutcomeBlock key={o.key} outcome={o} studyLabel={studyLabel} runLabel={runLabel} />)
      )}
    </div>
  );
}

function OutcomeBlock({ outcome, studyLabel, runLabel }: { outcome: OutcomeEffects; studyLabel: (k: string) => string; runLabel: (k: string) => string }) {
  const r = outcome.ranking;
  const totalPairs = r.concordantPairs + r.discordantPairs + r.tiedPairs;
  return (
    <article className="card stack" aria-label={`Effects on ${outcome.label}`} data-testid="outcome-effects">
      <h3 style={{ margin: 0 }}>{outcome.label}</h3>
      <div style={{ overflowX: 'auto' }}>
        <table className="table" aria-label={`${outcome.label}: effects vs the reference arm`}>
          <thead>
            <tr>
              <th scope="col">Arm (study ↔ run)</th>
              <th scope="col" className="num">
                People: effect [95% CI]
              </th>
              <th scope="col" className="num">
                n (arm / reference)
              </th>
              <th scope="col" className="num">
                Simulation: effect [95% CI]
              </th>
              <th scope="col" className="num">
                Pairs
              </th>
            </tr>
          </thead>
          <tbody>
            {outcome.effects.map((e) => (
              <tr key={e.studyArmKey}>
                <th scope="row">
                  {studyLabel(e.studyArmKey)} <span className="muted small">↔ {runLabel(e.runArmKey)}</span>
                </th>
                <td className="num">{signedWithCi(e.people)}</td>
                <td className="num">
                  {e.people.nArm} / {e.people.nReference}
                </td>
                <td className="num">{signedWithCi(e.simulation)}</td>
                <td className="num">{e.simulation.pairs}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p style={{ margin: 0 }} data-testid="rank-agreement">
        {r.sameOrder === null
          ? 'Ranking: not enough arms with an effect on both sides to compare.'
          : r.sameOrder
            ? `Same ranking: the simulation orders all ${r.arms.length} arms as the people do (${r.concordantPairs} of ${totalPairs} pairs agree).`
            : `Different ranking: ${r.discordantPairs} of ${totalPairs} pairs of arms are ordered the other way${r.tiedPairs ? ` and ${r.tiedPairs} tied` : ''}.`}
        {r.tau !== null && <span className="muted small"> Kendall τ between the two sides&apos; effects: {fmt(r.tau)}.</span>}
      </p>
      <EffectsForest
        title={outcome.label}
        rows={outcome.effects.map((e) => ({ label: studyLabel(e.studyArmKey), people: e.people, simulation: e.simulation }))}
      />
      <p className="small muted" style={{ margin: 0 }}>
        People: difference of the arms&apos; mean ratings with the Welch interval. Simulation: mean paired difference over the run&apos;s (task, replicate) pairs with
        its t interval, from the run&apos;s analysis. Both divided by the scale&apos;s range, so 0.1 is a tenth of the scale.
      </p>
    </article>
  );
}
