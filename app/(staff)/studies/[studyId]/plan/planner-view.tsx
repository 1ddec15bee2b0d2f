'use client';
import Link from 'next/link';
import { useState } from 'react';
import { skipToken, useQuery } from '@tanstack/react-query';
import { useTRPC } from '~/app/_trpc/client';
import { planInput, type PlanInput } from '~/server/planning/input';
import type { SampleSizePlan } from '~/server/planning/service';
import { fmt } from '../results/format';
import { PlanTable } from './plan-table';
import { PowerCurveChart } from './power-curve';
import { newEffect, toNumber, TypedEffectsEditor, typedEffectsInput, type TypedEffectDraft } from './typed-effects';

type SourceKind = 'typed' | 'pilot' | 'study';

const pathNames: Record<string, string> = {
  alpha: 'α',
  power: 'Power',
  simulations: 'Simulations',
  seed: 'Seed',
  nMax: 'Largest n per arm',
  rate: 'Dropout',
  label: 'outcome name',
  d: 'd',
  meanDifference: 'mean difference',
  sd: 'SD',
  sdOther: 'SD of the other arm',
};

/** "Effect 2, SD: …" from a zod issue path, so each message says which field to fix. */
function describeIssue(issue: { path: PropertyKey[]; message: string }): string {
  const parts: string[] = [];
  const path = issue.path.map(String);
  const at = path.indexOf('outcomes');
  if (at >= 0 && path[at + 1] !== undefined) parts.push(`Effect ${Number(path[at + 1]) + 1}`);
  const last = path[path.length - 1];
  if (last && pathNames[last]) parts.push(pathNames[last]);
  const message = /expected number/.test(issue.message) ? 'a number is needed.' : issue.message;
  return parts.length ? `${parts.join(', ')}: ${message}` : message;
}

export function PlannerView({ studyId }: { studyId: string }) {
  const trpc = useTRPC();
  const options = useQuery(trpc.planning.options.queryOptions({ studyId }));
  // null until the researcher chooses: then a pilot when there is one, and the study's own dropout when it has one.
  const [sourceChoice, setSource] = useState<SourceKind | null>(null);
  const [pilotId, setPilotId] = useState('');
  const [effects, setEffects] = useState<TypedEffectDraft[]>([newEffect('Document quality')]);
  const [referenceArm, setReferenceArm] = useState('');
  const [alpha, setAlpha] = useState('0.05');
  const [power, setPower] = useState('0.8');
  const [test, setTest] = useState<'welch' | 'mann-whitney'>('welch');
  const [adjustment, setAdjustment] = useState<'none' | 'bonferroni' | 'holm'>('none');
  const [dropoutChoice, setDropoutKind] = useState<'study' | 'typed' | null>(null);
  const [dropoutPercent, setDropoutPercent] = useState('10');
  const [simulations, setSimulations] = useState('500');
  const [seed, setSeed] = useState('1');
  const [issues, setIssues] = useState<string[]>([]);
  const [submitted, setSubmitted] = useState<PlanInput | null>(null);

  const plan = useQuery(trpc.planning.plan.queryOptions(submitted ?? skipToken, { retry: false, staleTime: Infinity }));

  if (options.isPending) return <p className="muted">Loading the study…</p>;
  if (options.error) return <div className="alert alert-error">{options.error.message}</div>;
  const o = options.data;
  const pilots = o.pilots.filter((p) => p.participants > 0);
  const studyDropout = o.dropout.rate;
  const chosenPilot = pilotId || pilots[pilots.length - 1]?.id || '';
  const source: SourceKind = sourceChoice ?? (pilots.length ? 'pilot' : 'typed');
  const dropoutKind = dropoutChoice ?? (studyDropout !== null ? 'study' : 'typed');

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const candidate = {
      studyId,
      source:
        source === 'typed'
          ? { kind: 'typed' as const, outcomes: typedEffectsInput(effects) }
          : source === 'pilot'
            ? { kind: 'pilot' as const, pilotId: chosenPilot }
            : { kind: 'study' as const },
      referenceArm: referenceArm || undefined,
      alpha: toNumber(alpha),
      power: toNumber(power),
      test,
      adjustment,
      dropout: dropoutKind === 'study' ? { kind: 'study' as const } : { kind: 'typed' as const, rate: toNumber(dropoutPercent) / 100 },
      simulations: test === 'mann-whitney' ? toNumber(simulations) : undefined,
      seed: toNumber(seed),
    };
    const parsed = planInput.safeParse(candidate);
    const problems = parsed.success ? [] : parsed.error.issues.map(describeIssue);
    if (parsed.success && parsed.data.power <= parsed.data.alpha) problems.push('Power must be larger than α.');
    if (source === 'pilot' && !chosenPilot) problems.push('Choose a pilot.');
    setIssues(problems);
    if (!problems.length) setSubmitted(candidate);
  };

  return (
    <div className="stack">
      <div className="row">
        <h1 style={{ margin: 0 }}>Plan the sample size</h1>
        <span className="spacer" />
        {plan.isFetching && <span className="small muted" role="status">Computing…</span>}
      </div>
      <p className="muted small" style={{ margin: 0 }}>
        Participants per arm for a two-sided test of each outcome, each arm against the reference arm, from effect sizes you type, a simulated pilot, or the
        study&apos;s data so far. Welch&apos;s t-test uses the noncentral t distribution; Mann–Whitney is simulated (seeded, so the same settings give the same answer).
      </p>

      <form className="card stack" aria-label="Planning options" onSubmit={submit} noValidate>
        <fieldset className="row" style={{ border: 0, padding: 0, margin: 0 }}>
          <legend className="label">Effect sizes from</legend>
          <label className="row small" style={{ gap: '0.4rem' }}>
            <input type="radio" name="source" value="typed" checked={source === 'typed'} onChange={() => setSource('typed')} /> Type effect sizes
          </label>
          <label className="row small" style={{ gap: '0.4rem' }}>
            <input type="radio" name="source" value="pilot" checked={source === 'pilot'} onChange={() => setSource('pilot')} disabled={!pilots.length} /> A simulated pilot
            {!pilots.length && <span className="muted">(none with participants yet)</span>}
          </label>
          <label className="row small" style={{ gap: '0.4rem' }}>
            <input type="radio" name="source" value="study" checked={source === 'study'} onChange={() => setSource('study')} disabled={o.dropout.completed === 0} /> Study data so far
            <span className="muted">({o.dropout.completed} completed)</span>
          </label>
        </fieldset>

        {source === 'typed' && <TypedEffectsEditor effects={effects} onChange={setEffects} />}
        {source === 'pilot' && (
          <div className="field" style={{ maxWidth: '24rem' }}>
            <label htmlFor="pilot">Pilot</label>
            <select id="pilot" value={chosenPilot} onChange={(e) => setPilotId(e.target.value)}>
              {pilots.map((p, i) => (
                <option key={p.id} value={p.id}>
                  Pilot {i + 1} · {p.status} · {p.participants} participants · {new Date(p.createdAt).toISOString().slice(0, 16).replace('T', ' ')} UTC
                </option>
              ))}
            </select>
          </div>
        )}
        {source === 'study' && (
          <p className="small muted" style={{ margin: 0 }}>
            Uses the completers of the study (previews and pilot participants never count) and every outcome the results page shows, plus judge scores of
            real participants.
          </p>
        )}

        <div className="row" style={{ alignItems: 'flex-end' }}>
          <div className="field" style={{ width: '12rem' }}>
            <label htmlFor="reference">Reference arm</label>
            <select id="reference" value={referenceArm || o.arms[0]?.key || ''} onChange={(e) => setReferenceArm(e.target.value)}>
              {o.arms.map((a) => (
                <option key={a.key} value={a.key}>
                  {a.label}
                </option>
              ))}
            </select>
          </div>
          <div className="field" style={{ width: '6rem' }}>
            <label htmlFor="alpha">α (two-sided)</label>
            <input id="alpha" inputMode="decimal" value={alpha} onChange={(e) => setAlpha(e.target.value)} />
          </div>
          <div className="field" style={{ width: '6rem' }}>
            <label htmlFor="power">Power</label>
            <input id="power" inputMode="decimal" value={power} onChange={(e) => setPower(e.target.value)} />
          </div>
          <div className="field" style={{ width: '13rem' }}>
            <label htmlFor="test">Test</label>
            <select id="test" value={test} onChange={(e) => setTest(e.target.value as typeof test)}>
              <option value="welch">Welch t-test</option>
              <option value="mann-whitney">Mann–Whitney U (simulated)</option>
            </select>
          </div>
          <div className="field" style={{ width: '14rem' }}>
            <label htmlFor="adjustment">Multiple comparisons</label>
            <select id="adjustment" value={adjustment} onChange={(e) => setAdjustment(e.target.value as typeof adjustment)}>
              <option value="none">No adjustment</option>
              <option value="bonferroni">Bonferroni (α / tests)</option>
              <option value="holm">Holm (planned by effect order)</option>
            </select>
          </div>
          {test === 'mann-whitney' && (
            <>
              <div className="field" style={{ width: '7rem' }}>
                <label htmlFor="simulations">Simulations</label>
                <input id="simulations" inputMode="numeric" value={simulations} onChange={(e) => setSimulations(e.target.value)} />
              </div>
              <div className="field" style={{ width: '6rem' }}>
                <label htmlFor="seed">Seed</label>
                <input id="seed" inputMode="numeric" value={seed} onChange={(e) => setSeed(e.target.value)} />
              </div>
            </>
          )}
        </div>

        <fieldset className="row" style={{ border: 0, padding: 0, margin: 0, alignItems: 'flex-end' }}>
          <legend className="label">Expected dropout</legend>
          <label className="row small" style={{ gap: '0.4rem' }}>
            <input type="radio" name="dropout" value="study" checked={dropoutKind === 'study'} onChange={() => setDropoutKind('study')} disabled={studyDropout === null} />
            {studyDropout === null
              ? 'From the study (nobody has finished yet)'
              : `From the study: ${fmt(studyDropout * 100, 1)}% (${o.dropout.completed} completed of ${o.dropout.entered - o.dropout.inProgress} who finished or left; ${o.dropout.inProgress} in progress)`}
          </label>
          <label className="row small" style={{ gap: '0.4rem' }}>
            <input type="radio" name="dropout" value="typed" checked={dropoutKind === 'typed'} onChange={() => setDropoutKind('typed')} /> Type a rate
          </label>
          {dropoutKind === 'typed' && (
            <div className="field" style={{ width: '7rem' }}>
              <label htmlFor="dropout-rate">Dropout %</label>
              <input id="dropout-rate" inputMode="decimal" value={dropoutPercent} onChange={(e) => setDropoutPercent(e.target.value)} />
            </div>
          )}
        </fieldset>

        {issues.length > 0 && (
          <div className="alert alert-error" role="alert">
            <strong>Please fix:</strong>
            <ul style={{ margin: '0.3rem 0 0' }}>
              {issues.map((m, i) => (
                <li key={i}>{m}</li>
              ))}
            </ul>
          </div>
        )}
        <div>
          <button type="submit" className="btn btn-primary">
            Plan
          </button>
        </div>
      </form>

      {!submitted && (
        <div className="empty">
          Choose where the effect sizes come from and press <strong>Plan</strong>.{' '}
          {!pilots.length && (
            <>
              No simulated pilot yet: run one from the <Link href={`/studies/${studyId}/setup`}>Setup</Link> tab to plan from simulated participants.
            </>
          )}
        </div>
      )}
      {submitted && plan.error && (
        <div className="alert alert-error" role="alert">
          {plan.error.message}
        </div>
      )}
      {submitted && plan.isPending && !plan.error && (
        <div className="stack" role="status">
          <span className="muted">Computing the plan…</span>
          <div className="progress" aria-hidden="true">
            <div style={{ width: '50%' }} />
          </div>
        </div>
      )}
      {plan.data && submitted && <PlanResults plan={plan.data} />}
    </div>
  );
}


function PlanResults({ plan }: { plan: SampleSizePlan }) {
  const referenceLabel = plan.arms.find((a) => a.key === plan.referenceArm)?.label ?? plan.referenceArm;
  return (
    <section className="stack" aria-labelledby="plan-heading">
      <h2 id="plan-heading" style={{ margin: 0 }}>
        Participants needed
      </h2>
      {plan.summary ? (
        <div className="alert alert-ok" data-testid="plan-summary">
          Recruit <strong>{plan.summary.nPerArmWithDropout}</strong> per arm, <strong>{plan.summary.totalWithDropout}</strong> in total over {plan.arms.length} arms (
          {plan.summary.nPerArm} per arm analysed, {fmt(plan.dropout.rate * 100, 1)}% expected dropout), so that every outcome below reaches power{' '}
          {plan.settings.power} against {referenceLabel}.
        </div>
      ) : (
        <div className="alert alert-warn">No outcome can be planned with these settings; the notes in the table say why.</div>
      )}
      {plan.source.metricsPending > 0 && (
        <div className="alert alert-warn">Turns and tokens of {plan.source.metricsPending} participants are still being computed; plan again shortly for them.</div>
      )}
      {plan.budgetExhausted && <div className="alert alert-warn">The simulation budget of one request was used up; lower the simulations or plan fewer outcomes.</div>}
      <PlanTable plan={plan} />
      {plan.curves.length > 0 && <PowerCurveChart curves={plan.curves} target={plan.settings.power} simulated={plan.settings.test === 'mann-whitney'} />}
    </section>
  );
}
