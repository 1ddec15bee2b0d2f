'use client';
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { useMutation } from '@tanstack/react-query';
import { useTRPC } from '~/app/_trpc/client';

const MAX_BYTES = 5 * 1024 * 1024;

export function ImportTaskSetForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [format, setFormat] = useState<'jsonl' | 'csv'>('jsonl');
  const [content, setContent] = useState('');
  const [fileError, setFileError] = useState<string | null>(null);
  const importSet = useMutation(
    trpc.benchmarks.importTaskSet.mutationOptions({
      onSuccess: (result) => {
        if (result.ok) router.refresh();
      },
    }),
  );
  const result = importSet.data;
  const preview = useMutation(trpc.benchmarks.previewTaskSet.mutationOptions());
  const shown = preview.data;

  async function onFile(file: File | undefined) {
    setFileError(null);
    if (!file) return;
    if (file.size > MAX_BYTES) {
      setFileError(`The file is ${(file.size / 1024 / 1024).toFixed(1)} MB; the limit is 5 MB.`);
      return;
    }
    if (/\.csv$/i.test(file.name)) setFormat('csv');
    else if (/\.jsonl?$/i.test(file.name)) setFormat('jsonl');
    if (!name) setName(file.name.replace(/\.[^.]+$/, ''));
    setContent(await file.text());
  }

  return (
    <form
      className="card stack"
      aria-labelledby="import-heading"
      onSubmit={(e) => {
        e.preventDefault();
        importSet.mutate({ name, description: description || undefined, format, content });
      }}
    >
      <h2 id="import-heading" style={{ margin: 0 }}>
        Import a task set
      </h2>
      <p className="small muted">
        JSONL (one object per line) or CSV with a header row. Fields: <span className="mono">key</span>, <span className="mono">documentType</span>,{' '}
        <span className="mono">brief</span>, <span className="mono">targetDocument</span>, optional <span className="mono">metadata</span>. The paper&apos;s{' '}
        <span className="mono">prompt</span>/<span className="mono">completion</span> rows work too. Nothing is imported unless every row is valid.
      </p>
      <div className="row" style={{ alignItems: 'flex-start' }}>
        <div className="field" style={{ flex: 2, minWidth: '12rem' }}>
          <label htmlFor="set-name">Name</label>
          <input id="set-name" value={name} maxLength={120} required onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field" style={{ flex: 1, minWidth: '8rem' }}>
          <label htmlFor="set-format">Format</label>
          <select id="set-format" value={format} onChange={(e) => setFormat(e.target.value as 'jsonl' | 'csv')}>
            <option value="jsonl">JSONL</option>
            <option value="csv">CSV</option>
          </select>
        </div>
      </div>
      <div className="field">
        <label htmlFor="set-description">Description (optional)</label>
        <input id="set-description" value={description} maxLength={2000} onChange={(e) => setDescription(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="set-file">File</label>
        <input id="set-file" type="file" accept=".jsonl,.json,.csv,text/csv,application/x-ndjson" onChange={(e) => void onFile(e.target.files?.[0])} />
        {fileError && <span className="error">{fileError}</span>}
      </div>
      <div className="field">
        <label htmlFor="set-content">Or paste the rows</label>
        <textarea id="set-content" rows={6} className="mono" value={content} onChange={(e) => setContent(e.target.value)} />
      </div>
      <div className="row">
        <button type="button" className="btn" disabled={preview.isPending || !content.trim()} onClick={() => preview.mutate({ format, content })}>
          {preview.isPending ? 'Checking…' : 'Preview'}
        </button>
        <button type="submit" className="btn btn-primary" disabled={importSet.isPending || !content.trim() || !name.trim()}>
          {importSet.isPending ? 'Importing…' : 'Import'}
        </button>
      </div>
      {preview.error && (
        <div className="alert alert-error" role="alert">
          {preview.error.message}
        </div>
      )}
      {shown && !result && (
        <div className="card stack" role="region" aria-label="Import preview">
          <p style={{ margin: 0 }}>
            <strong>{shown.valid}</strong> task{shown.valid === 1 ? '' : 's'} would be imported; <strong>{shown.duplicatesDropped}</strong> repeated row
            {shown.duplicatesDropped === 1 ? '' : 's'} dropped (multiturn files repeat a task once per turn); <strong>{shown.errorCount}</strong> row error
            {shown.errorCount === 1 ? '' : 's'}
            {shown.errorCount > 0 ? ' (fix them first: nothing is imported while any row is invalid)' : ''}.
          </p>
          {shown.errors.length > 0 && (
            <ul className="small">
              {shown.errors.map((e) => (
                <li key={e.line}>
                  Line {e.line}: {e.message}
                </li>
              ))}
            </ul>
          )}
          {shown.firstRows.length > 0 && (
            <table className="table" aria-label="First tasks">
              <thead>
                <tr>
                  <th>Key</th>
                  <th>Type</th>
                  <th>Brief (hidden goal)</th>
                  <th>Target document</th>
                </tr>
              </thead>
              <tbody>
                {shown.firstRows.map((r) => (
                  <tr key={r.key}>
                    <td className="mono">{r.key}</td>
                    <td>{r.documentType}</td>
                    <td className="small">{r.brief}</td>
                    <td className="small">{r.targetDocument}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
      {importSet.error && (
        <div className="alert alert-error" role="alert">
          {importSet.error.message}
        </div>
      )}
      {result?.ok && (
        <div className="alert alert-ok" role="status">
          Imported {result.created} tasks{result.duplicatesDropped > 0 ? ` (${result.duplicatesDropped} repeated rows dropped)` : ''}.
        </div>
      )}
      {result && !result.ok && (
        <div className="alert alert-error" role="alert">
          <p style={{ marginTop: 0 }}>
            Nothing was imported: {result.errorCount} row error{result.errorCount === 1 ? '' : 's'}
            {result.errorCount > result.errors.length ? ` (first ${result.errors.length} shown)` : ''}.
          </p>
          <table className="table" aria-label="Import errors">
            <thead>
              <tr>
                <th className="num">Line</th>
                <th>Problem</th>
              </tr>
            </thead>
            <tbody>
              {result.errors.map((e, i) => (
                <tr key={i}>
                  <td className="num">{e.line}</td>
                  <td>{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </form>
  );
}
