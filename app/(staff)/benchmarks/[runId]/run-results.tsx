'use client';
import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '~/app/_trpc/client';
import { AccountingTable } from './accounting-table';
import { ArmCharts } from './arm-charts';
import { BleuFloorNote } from './bleu-floor';
import { LIVE, type Arm, type MetricLabels } from './format';
import { MetricsTable, PerTaskTable } from './metrics-table';
import { PairedTable } from './paired-table';
import { Table1View } from './table1-view';

/**
 * The results of a run: the controls (judge, reference arm, whether BLEU includes conversations whose
 * document could not be extracted), then the Table-1 view, the accounting, the paired comparisons,
 * the charts, every metric and the per-task breakdown. All from one `benchmarks.analysis` query.
 */
export function RunResults({ runId, metricLabels, arms, defaultReference }: { runId: string; metricLabels: MetricLabels; arms: Arm[]; defaultReference: string }) {
  const trpc = useTRPC();
  const [judge, setJudge] = useState<string | undefined>(undefined);
  const [reference, setReference] = useState(defaultReference);
  const [includeExtractionFailures, setInclude] = useState(false);
  const progress = useQuery(trpc.benchmarks.progress.queryOptions({ runId }));
  const live = progress.data ? LIVE.has(progress.data.run.status) : false;
  const analysis = useQuery({
    ...trpc.benchmarks.analysis.queryOptions({ runId, judge, referenceArmKey: reference, includeExtractionFailures }),
    refetchInterval: live ? 3000 : false,
    placeholderData: (prev) => prev,
  });
  // Scores land with each completed conversation and with each finished re-score: refresh then.
  const completed = progress.data?.counts.completed;
  const failed = progress.data?.counts.failed;
  const rescoresDone = progress.data?.rescores.filter((r) => r.status === 'completed').length;
  const status = progress.data?.run.status;
  const { refetch } = analysis;
  useEffect(() => {
    void refetch();
  }, [completed, failed, rescoresDone, status, refetch]);

  if (analysis.isPending) return <p className="muted">Loading results…</p>;
  if (analysis.error) return <div className="alert alert-error">{analysis.error.message}</div>;
  const r = analysis.data;
  const label = (key: string) => arms.find((a) => a.key === key)?.label ?? key;
  const query = new URLSearchParams({ reference: r.referenceArmKey, ...(r.judge ? { judge: r.judge } : {}), includeExtractionFailures: includeExtractionFailures ? '1' : '0' });

  return (
    <section className="card stack" aria-labelledby="results-heading">
      <div className="row" style={{ flexWrap: 'wrap' }}>
        <h2 id="results-heading" style={{ margin: 0 }}>
          Results
        </h2>
        <span className="spacer" />
        <div className="row">
          <label htmlFor="reference-select" className="small">
            Reference arm
          </label>
          <select id="reference-select" value={r.referenceArmKey} onChange={(e) => setReference(e.target.value)}>
            {arms.map((a) => (
              <option key={a.key} value={a.key}>
                {a.label}
              </option>
            ))}
          </select>
        </div>
        {r.judges.length > 0 && (
          <div className="row">
            <label htmlFor="judge-select" className="small">
              Judge
            </label>
            <select id="judge-select" value={r.judge ?? ''} onChange={(e) => setJudge(e.target.value)}>
              {r.judges.map((j) => (
                <option key={j} value={j}>
                  {j}
                </option>
              ))}
            </select>
          </div>
        )}
        <label className="row small">
          <input type="checkbox" checked={includeExtractionFailures} onChange={(e) => setInclude(e.target.checked)} />
          Include failed extractions in BLEU
        </label>
      </div>
      <AccountingTable accounting={r.accounting} label={label} />
      {r.metrics.length === 0 ? (
        <div className="empty">No scores yet. Results appear as conversations complete.</div>
      ) : (
        <>
          <BleuFloorNote runId={runId} />
          <Table1View table={r.table1} downloadBase={`/api/benchmarks/runs/${runId}/table1?${query.toString()}`} bleuExcluded={r.bleuExcluded} />
          <PairedTable comparisons={r.comparisons} referenceLabel={label(r.referenceArmKey)} label={label} metricLabels={metricLabels} bootstrap={r.bootstrap} />
          <ArmCharts arms={arms} metrics={r.metrics} summaries={r.arms} distributions={r.distributions} metricLabels={metricLabels} />
          <MetricsTable arms={r.arms} metrics={r.metrics} referenceArmKey={r.referenceArmKey} metricLabels={metricLabels} />
          <PerTaskTable perTask={r.perTask} arms={r.arms} metrics={r.metrics} metricLabels={metricLabels} />
        </>
      )}
    </section>
  );
}
