import Link from 'next/link';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { getDb } from '~/db';
import { requirePageRole } from '~/server/auth/page-guard';
import { hasRole } from '~/server/auth/roles';
import { METRIC_INFO } from '~/server/benchmarks/metrics';
import { newRunOptions } from '~/server/benchmarks/runs/options';
import { getRun } from '~/server/benchmarks/runs/progress';
import { ServiceError } from '~/server/services/errors';
import { ConversationBrowser } from './conversation-browser';
import { RescoreForm } from './rescore-form';
import { RunProgress } from './run-progress';
import { RunResults } from './run-results';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Benchmark run · CollabStudy' };

export default async function RunPage({ params }: { params: Promise<{ runId: string }> }) {
  const actor = await requirePageRole('viewer');
  const { runId } = await params;
  if (!z.uuid().safeParse(runId).success) notFound();
  const db = await getDb();
  const run = await getRun(db, runId).catch((err: unknown) => {
    if (err instanceof ServiceError && err.code === 'NOT_FOUND') notFound();
    throw err;
  });
  const canManage = hasRole(actor, 'admin');
  const connections = canManage ? (await newRunOptions(db)).connections : [];
  const arms = run.config.arms.map((a) => ({ key: a.key, label: a.label }));
  const { config } = run;
  return (
    <div className="stack">
      <p className="small">
        <Link href="/benchmarks">← Benchmark runs</Link>
      </p>
      <div className="row">
        <h1 style={{ margin: 0 }}>{run.name}</h1>
        {run.isDemo && <span className="badge badge-demo">demo</span>}
        <span className="spacer" />
        <a className="btn" href={`/api/benchmarks/runs/${run.id}/export`} download>
          Download JSONL
        </a>
      </div>
      <p className="small muted">
        {config.taskIds.length} tasks × {config.arms.length} arms × {config.conversationsPerTask} · up to {config.maxTurns} turns · seed{' '}
        <span className="mono">{config.seed}</span> · concurrency {config.concurrency} · simulated user:{' '}
        {config.simulator.connectionId ? config.simulator.model : 'scripted demo user'} · judge: {config.judge.connectionId ? config.judge.model : 'demo judge'}
      </p>
      {run.isDemo && (
        <div className="alert alert-warn" role="note">
          Parts of this run use the offline demo model, scripted user or demo judge: its numbers demonstrate the pipeline and are not research results.
        </div>
      )}
      <RunProgress runId={run.id} canManage={canManage} />
      <RunResults runId={run.id} arms={arms} metricLabels={METRIC_INFO} defaultReference={config.referenceArmKey ?? arms[0]?.key ?? ''} />
      {canManage && <RescoreForm runId={run.id} connections={connections} />}
      <ConversationBrowser runId={run.id} arms={arms} />
    </div>
  );
}
