'use client';
import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '~/app/_trpc/client';
import type { AgreementStats, JudgeReport } from '~/server/calibration/judges-vs-people';
import { fmtP } from '../results/format';
import { AgreementScatter } from './calibration-charts';
import { signedWithCi, undefinedReasonText, withCi } from './format';
import { SimulationSection } from './simulation-section';

type Arm = { key: string; label: string };

export function CalibrationView({ studyId }: { studyId: string }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.calibration.report.queryOptions({ studyId }, { staleTime: 10_000 }));
  if (query.isPending) return <p className="muted">Computing the calibration report…</p>;
  if (query.error) return <div className="alert alert-error">{query.error.message}</div>;
  const d = query.data;
  return (
    <div className="stack">
      <h1 style={{ margin: 0 }}>Calibration</h1>
      <p className="small muted" style={{ margin: 0 }}>
        Do the judges and the simulated benchmark agree with what this study&apos;s participants said? {d.population} Scores and ratings are compared on one
        0–1 scale: participants&apos; 1–10 ratings and judge quality as (x − 1) / 9, judge interactivity as scored (0–1) or, on the paper&apos;s 3-point scale,
        (raw − 1) / 2. Bias = judge − participant on that scale.
      </p>

      <section className="stack" aria-labelledby="judges-heading">
        <h2 id="judges-heading" style={{ margin: 0 }}>
          Judges vs people
        </h2>
        <p className="small" style={{ margin: 0 }} data-testid="judged-count">
          {d.judgedParticipants} of {d.participants} analysed participant{d.participants === 1 ? '' : 's'} judged
          {d.judges.length > 0 && ` by ${d.judges.length} judge${d.judges.length === 1 ? '' : 's'}`}.
        </p>
        {d.participants === 0 ? (
          <div className="card muted">No analysed participants yet: the report fills in once participants have been randomized and finished the study.</div>
        ) : d.judges.length === 0 ? (
          <div className="card">
            No judged participants yet — run the judges over this study&apos;s conversations first (from the study&apos;s{' '}
            <Link href={`/studies/${studyId}/judging`}>Judging</Link> tab), then come back here.
          </div>
        ) : (
          d.judges.map((judge) => <JudgeSection key={judge.judge} judge={judge} arms={d.arms} />)
        )}
      </section>

      <SimulationSection studyId={studyId} runs={d.runs} />
    </div>
  );
}

function Coefficient({ value, ci, reason }: { value: number | null; ci: { lower: number; upper: number } | null; reason: string | null }) {
  if (value === null) return <span className="muted small">{reason ? undefinedReasonText[reason] : 'not defined'}</span>;
  return <>{withCi(value, ci)}</>;
}

function AgreementRow({ label, stats }: { label: string; stats: AgreementStats }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td className="num">{stats.n}</td>
      <td className="num">
        <Coefficient value={stats.spearman.rho} ci={stats.spearman.ci} reason={stats.spearman.undefinedReason} />
      </td>
      <td className="num">{fmtP(stats.spearman.p)}</td>
      <td className="num">
        <Coefficient value={stats.kendall.tau} ci={stats.kendall.ci} reason={stats.kendall.undefinedReason} />
      </td>
      <td className="num">
        {fmtP(stats.kendall.p)}
        {stats.kendall.method && <span className="muted small"> ({stats.kendall.method === 'exact' ? 'exact' : 'normal approx.'})</span>}
      </td>
      <td className="num">{signedWithCi(stats.bias)}</td>
    </tr>
  );
}

function JudgeSection({ judge, arms }: { judge: JudgeReport; arms: Arm[] }) {
  const armLabel = (key: string | null) => (key === null ? 'All arms (pooled)' : (arms.find((a) => a.key === key)?.label ?? key));
  const scored = judge.pairs.filter((p) => p.pooled.n > 0 || p.missingHumanRating > 0);
  return (
    <article className="card stack" aria-label={`Judge ${judge.judge}`} data-testid="judge-report">
      <h3 style={{ margin: 0, overflowWrap: 'anywhere' }}>
        Judge <code>{judge.judge}</code> <span className="small muted">({judge.participants} participants scored)</span>
      </h3>
      {scored.length === 0 && <p className="muted">This judge has no document-quality or interactivity scores for the analysed participants.</p>}
      {scored.map((pair) => (
        <div key={pair.key} className="stack" style={{ gap: '0.5rem' }}>
          <h4 style={{ margin: 0 }}>
            {pair.judgeLabel} vs {pair.humanLabel.replace(/^Participant: /, 'participant ')}
          </h4>
          {pair.missingHumanRating > 0 && (
            <p className="small muted" style={{ margin: 0 }}>
              {pair.missingHumanRating} judged participant{pair.missingHumanRating === 1 ? ' has' : 's have'} no such rating and {pair.missingHumanRating === 1 ? 'is' : 'are'} left out.
            </p>
          )}
          <div style={{ overflowX: 'auto' }}>
            <table className="table" aria-label={`${judge.judge}: ${pair.judgeLabel} vs ${pair.humanLabel}`}>
              <thead>
                <tr>
                  <th scope="col">Arm</th>
                  <th scope="col" className="num">
                    n
                  </th>
                  <th scope="col" className="num">
                    Spearman ρ [95% CI]
                  </th>
                  <th scope="col" className="num">
                    p
                  </th>
                  <th scope="col" className="num">
                    Kendall τ<sub>b</sub> [95% CI]
                  </th>
                  <th scope="col" className="num">
                    p
                  </th>
                  <th scope="col" className="num">
                    Bias, judge − person [95% CI]
                  </th>
                </tr>
              </thead>
              <tbody>
                <AgreementRow label={armLabel(null)} stats={pair.pooled} />
                {pair.perArm.map((s) => (
                  <AgreementRow key={s.armKey} label={armLabel(s.armKey)} stats={s} />
                ))}
              </tbody>
            </table>
          </div>
          {pair.points.length > 0 && (
            <div style={{ maxWidth: '34rem' }}>
              <AgreementScatter title={`${pair.judgeLabel} vs ${pair.humanLabel} (0–1 scale)`} xLabel="participant (0–1)" yLabel="judge (0–1)" arms={arms} points={pair.points} />
            </div>
          )}
        </div>
      ))}
      <p className="small muted" style={{ margin: 0 }}>
        CIs: Fisher z with the Bonett–Wright standard error (Spearman, n ≥ 4) and the Fieller standard error (Kendall, n ≥ 5); bias: t interval of the paired
        differences. p-values as SciPy&apos;s spearmanr and kendalltau (τ<sub>b</sub>, exact without ties for n ≤ 33).
      </p>
    </article>
  );
}
