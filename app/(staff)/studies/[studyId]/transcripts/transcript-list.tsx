'use client';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '~/app/_trpc/client';
import { ArmName } from '~/app/_components/arm-name';
import { Time } from '~/app/_components/time';
import { shortId } from '../results/format';

const outcomeOptions = [
  ['', 'Any outcome'],
  ['completed', 'Completed'],
  ['in_progress', 'In progress / left'],
  ['timed_out', 'Timed out'],
  ['failed_checks', 'Failed checks'],
  ['no_consent', 'No consent'],
] as const;

export function TranscriptList({ studyId }: { studyId: string }) {
  const trpc = useTRPC();
  const [searchInput, setSearchInput] = useState('');
  const [search, setSearch] = useState('');
  const [armKey, setArmKey] = useState('');
  const [outcome, setOutcome] = useState<(typeof outcomeOptions)[number][0]>('');
  const [excluded, setExcluded] = useState<'' | 'yes' | 'no'>('');
  const [page, setPage] = useState(1);
  // Search as the researcher types, without a query per keystroke.
  useEffect(() => {
    const t = setTimeout(() => {
      setSearch(searchInput.trim());
      setPage(1);
    }, 300);
    return () => clearTimeout(t);
  }, [searchInput]);

  const list = useQuery(
    trpc.transcripts.list.queryOptions(
      {
        studyId,
        search: search || undefined,
        armKey: armKey || undefined,
        outcome: outcome || undefined,
        excluded: excluded === '' ? undefined : excluded === 'yes',
        page,
        pageSize: 50,
      },
      { placeholderData: (prev) => prev },
    ),
  );
  const pages = list.data ? Math.max(1, Math.ceil(list.data.total / list.data.pageSize)) : 1;

  return (
    <div className="stack">
      <h1>Transcripts</h1>
      <form className="card row" role="search" onSubmit={(e) => e.preventDefault()} style={{ alignItems: 'flex-end' }}>
        <div className="field" style={{ flex: 2, minWidth: '14rem' }}>
          <label htmlFor="search">Search messages</label>
          <input id="search" type="text" value={searchInput} maxLength={200} placeholder="Text in any message" onChange={(e) => setSearchInput(e.target.value)} />
        </div>
        <div className="field" style={{ flex: 1, minWidth: '9rem' }}>
          <label htmlFor="arm">Arm</label>
          <select id="arm" value={armKey} onChange={(e) => (setArmKey(e.target.value), setPage(1))}>
            <option value="">All arms</option>
            {list.data?.arms.map((a) => (
              <option key={a.key} value={a.key}>
                {a.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field" style={{ flex: 1, minWidth: '9rem' }}>
          <label htmlFor="outcome">Outcome</label>
          <select id="outcome" value={outcome} onChange={(e) => (setOutcome(e.target.value as typeof outcome), setPage(1))}>
            {outcomeOptions.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field" style={{ flex: 1, minWidth: '9rem' }}>
          <label htmlFor="excluded">Excluded</label>
          <select id="excluded" value={excluded} onChange={(e) => (setExcluded(e.target.value as typeof excluded), setPage(1))}>
            <option value="">Either</option>
            <option value="yes">Excluded</option>
            <option value="no">Not excluded</option>
          </select>
        </div>
      </form>
      {list.error && <div className="alert alert-error">{list.error.message}</div>}
      {list.data && list.data.rows.length === 0 && (
        <div className="empty">{search || armKey || outcome || excluded ? 'No participant matches these filters.' : 'No participants yet.'}</div>
      )}
      {list.data && list.data.rows.length > 0 && (
        <>
          <p className="small muted">
            {list.data.total} participant{list.data.total === 1 ? '' : 's'}. Previews are not listed.
          </p>
          <table className="table" aria-label="Participants">
            <thead>
              <tr>
                <th>Participant</th>
                <th>Arm</th>
                <th>Outcome</th>
                <th className="num">Turns</th>
                <th>Started</th>
                <th>Flags</th>
              </tr>
            </thead>
            <tbody>
              {list.data.rows.map((r) => (
                <tr key={r.participantId}>
                  <td>
                    <Link className="mono" href={`/studies/${studyId}/transcripts/${r.participantId}`}>
                      {r.externalId ?? shortId(r.participantId)}
                    </Link>
                  </td>
                  <td>{r.armKey ? <ArmName armKey={r.armKey} label={list.data?.arms.find((a) => a.key === r.armKey)?.label} /> : '–'}</td>
                  <td>{r.outcome ?? `in ${r.stage}`}</td>
                  <td className="num">{r.turns}</td>
                  <td>
                    <Time value={r.createdAt} />
                  </td>
                  <td>
                    {r.excluded && <span className="badge badge-demo">excluded: {r.exclusionReason}</span>}{' '}
                    {(r.attentionFailures ?? 0) > 0 && <span className="badge">{r.attentionFailures} attention check(s) failed</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <nav className="row" aria-label="Pages">
            <button type="button" className="btn" disabled={page <= 1} onClick={() => setPage(page - 1)}>
              Previous
            </button>
            <span className="small">
              Page {page} of {pages}
            </span>
            <button type="button" className="btn" disabled={page >= pages} onClick={() => setPage(page + 1)}>
              Next
            </button>
          </nav>
        </>
      )}
    </div>
  );
}
