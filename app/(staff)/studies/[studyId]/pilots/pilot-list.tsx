'use client';
import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '~/app/_trpc/client';
import { Time } from '~/app/_components/time';
import { RunStatusBadge } from '~/app/(staff)/benchmarks/status-badge';

const LIVE = new Set(['queued', 'running']);

/** The study's pilots, newest first; polls while one is still running. */
export function PilotList({ studyId }: { studyId: string }) {
  const trpc = useTRPC();
  const pilots = useQuery({
    ...trpc.pilots.list.queryOptions({ studyId }),
    refetchInterval: (q) => (q.state.data?.some((p) => LIVE.has(p.status)) ? 2000 : false),
  });
  if (pilots.isPending) return <p className="muted">Loading pilots…</p>;
  if (pilots.error) return <div className="alert alert-error">{pilots.error.message}</div>;
  if (pilots.data.length === 0)
    return <p className="empty">No pilots yet. Run one above to see how the study plays out before you recruit anyone.</p>;
  return (
    <div style={{ overflowX: 'auto' }}>
      <table className="table" aria-label="Pilots">
        <thead>
          <tr>
            <th>Started</th>
            <th>Status</th>
            <th>Configuration</th>
            <th className="num">Participants</th>
            <th>Simulated by</th>
            <th>Seed</th>
          </tr>
        </thead>
        <tbody>
          {pilots.data.map((p) => (
            <tr key={p.id}>
              <td>
                <Link href={`/studies/${studyId}/pilots/${p.id}`}>
                  <Time value={p.createdAt} />
                </Link>
              </td>
              <td>
                <RunStatusBadge status={p.status} />
              </td>
              <td>{p.source === 'draft' ? 'Draft' : `Version ${p.versionNumber}`}</td>
              <td className="num">
                {p.participants} ({p.participantsPerArm} per arm)
              </td>
              <td>{p.simulator}</td>
              <td className="mono">{p.seed}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
