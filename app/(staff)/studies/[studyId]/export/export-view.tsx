'use client';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '~/app/_trpc/client';
import { exportQueryString } from '~/server/exports/request';

export function ExportView({ studyId, isAdmin }: { studyId: string; isAdmin: boolean }) {
  const trpc = useTRPC();
  const [csv, setCsv] = useState(true);
  const [jsonl, setJsonl] = useState(true);
  const [version, setVersion] = useState('all');
  const [hashIds, setHashIds] = useState(false);
  const [rawIds, setRawIds] = useState(false);
  const [includePreviews, setIncludePreviews] = useState(false);
  const versions = version === 'all' ? [] : [version];
  const summary = useQuery(trpc.exports.summary.queryOptions({ studyId, versionIds: versions, includePreviews }, { placeholderData: (prev) => prev }));
  const formats = [...(csv ? (['csv'] as const) : []), ...(jsonl ? (['jsonl'] as const) : [])];
  const anonymised = summary.data?.consentPromisesAnonymisedData ?? true;
  const query = exportQueryString({ formats, versions, hashIds: anonymised ? false : hashIds, rawIds: anonymised && rawIds, includePreviews });
  const href = `/api/studies/${studyId}/export?${query}`;
  // Read after hydration: the server has no window, and a different first render is a hydration error.
  const [origin, setOrigin] = useState('https://your-server');
  useEffect(() => setOrigin(window.location.origin), []);

  return (
    <div className="stack">
      <h1>Export data</h1>
      <p className="muted">
        One zip with every table as CSV and/or JSONL, a codebook describing each column, a manifest (study versions, app version, row counts, whether the demo model
        was used) and the conversations in the Hugging Face chat format. Raw data: exclusions are columns, not filters. API keys are never included.
      </p>
      {summary.error && <div className="alert alert-error">{summary.error.message}</div>}
      <form className="card stack" aria-label="Export options" onSubmit={(e) => e.preventDefault()}>
        <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
          <legend className="label">Table formats</legend>
          <label className="row small">
            <input type="checkbox" checked={csv} onChange={(e) => setCsv(e.target.checked)} /> CSV
          </label>
          <label className="row small">
            <input type="checkbox" checked={jsonl} onChange={(e) => setJsonl(e.target.checked)} /> JSONL
          </label>
        </fieldset>
        <div className="field" style={{ maxWidth: '16rem' }}>
          <label htmlFor="version">Study version</label>
          <select id="version" value={version} onChange={(e) => setVersion(e.target.value)}>
            <option value="all">All versions</option>
            {summary.data?.versions.map((v) => (
              <option key={v.id} value={v.id}>
                Version {v.version}
              </option>
            ))}
          </select>
        </div>
        {anonymised ? (
          <div className="stack" role="group" aria-label="Participant ids">
            <p className="small" style={{ margin: 0 }}>
              The consent promises anonymised data, so Prolific/MTurk ids are replaced with pseudonyms (HMAC-SHA256 with a key specific to this study; the same
              person keeps the same pseudonym across exports of this study).
            </p>
            {isAdmin && (
              <label className="row small">
                <input type="checkbox" checked={rawIds} onChange={(e) => setRawIds(e.target.checked)} /> Export the raw Prolific/MTurk ids instead (admins only)
              </label>
            )}
            {isAdmin && rawIds && (
              <div className="alert alert-warn" role="alert">
                Participants were told their data would be anonymised. Raw ids identify them on the recruitment platform: keep this file to what your ethics approval
                allows (e.g. paying bonuses), never share it, and delete it when done. The export is recorded in the audit log.
              </div>
            )}
          </div>
        ) : (
          <label className="row small">
            <input type="checkbox" checked={hashIds} onChange={(e) => setHashIds(e.target.checked)} /> Replace Prolific/MTurk ids with pseudonyms (HMAC-SHA256 with a
            key specific to this study; the same person keeps the same pseudonym across exports of this study)
          </label>
        )}
        <label className="row small">
          <input type="checkbox" checked={includePreviews} onChange={(e) => setIncludePreviews(e.target.checked)} /> Include researcher preview sessions
        </label>
        {summary.data && (
          <p className="small" aria-live="polite">
            {summary.data.participants} participants, {summary.data.messages} messages.{' '}
            {summary.data.demoModelUsed && <span className="badge badge-demo">includes replies from the offline demo model</span>}
          </p>
        )}
        {formats.length === 0 ? (
          <div className="alert alert-warn">Choose at least one format.</div>
        ) : (
          <div>
            <a className="btn btn-primary" href={href} download>
              Download zip
            </a>
          </div>
        )}
      </form>
      <section className="card stack" aria-labelledby="api-heading">
        <h2 id="api-heading" style={{ margin: 0 }}>
          From a script
        </h2>
        <p className="small" style={{ margin: 0 }}>
          Create a personal API token in <Link href="/settings">Settings</Link>, then:
        </p>
        <pre className="mono small" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', margin: 0 }}>
          {`curl -fL -H "Authorization: Bearer $COLLABSTUDY_TOKEN" -o export.zip "${origin}${href}"`}
        </pre>
      </section>
    </div>
  );
}
