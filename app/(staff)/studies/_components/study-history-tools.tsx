'use client';
import { useMutation } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '~/app/_trpc/client';
import { trpcErrorMessage } from '~/app/_components/trpc-error';
import { slugSchema, studyNameSchema } from '~/server/studies/schemas';

type Source = 'draft' | number;
const sourceValue = (s: Source) => String(s);
const parseSource = (v: string): Source => (v === 'draft' ? 'draft' : Number(v));

function SourceSelect({ id, label, value, onChange, versions }: { id: string; label: string; value: Source; onChange: (s: Source) => void; versions: number[] }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={sourceValue(value)} onChange={(e) => onChange(parseSource(e.target.value))}>
        <option value="draft">The draft</option>
        {versions.map((v) => (
          <option key={v} value={v}>
            Published version {v}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Field-level difference between two setups (the draft or published versions), on its own page. */
export function CompareVersionsForm({ studyId, versions }: { studyId: string; versions: number[] }) {
  const [from, setFrom] = useState<Source>(versions[0] ?? 'draft');
  const [to, setTo] = useState<Source>('draft');
  return (
    <form className="row" aria-label="Compare versions" onSubmit={(e) => e.preventDefault()} style={{ alignItems: 'flex-end' }}>
      <SourceSelect id="compare-from" label="Compare" value={from} onChange={setFrom} versions={versions} />
      <SourceSelect id="compare-to" label="with" value={to} onChange={setTo} versions={versions} />
      <Link className="btn" href={`/studies/${studyId}/compare?from=${sourceValue(from)}&to=${sourceValue(to)}`}>
        Show differences
      </Link>
    </form>
  );
}

/** A new draft study from this study's draft or one of its versions (new slug and assignment seed). */
export function DuplicateStudyForm({ studyId, name, versions }: { studyId: string; name: string; versions: number[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [source, setSource] = useState<Source>('draft');
  const [newName, setNewName] = useState(`${name} (copy)`);
  const [slug, setSlug] = useState('');
  const [errors, setErrors] = useState<{ slug?: string; name?: string }>({});
  const duplicate = useMutation(trpc.studies.duplicate.mutationOptions({ onSuccess: (row) => router.push(`/studies/${row.id}/setup`) }));

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const s = slugSchema.safeParse(slug);
    const n = studyNameSchema.safeParse(newName);
    const next = { slug: s.success ? undefined : s.error.issues[0]?.message, name: n.success ? undefined : n.error.issues[0]?.message };
    setErrors(next);
    if (!s.success || !n.success) return;
    duplicate.mutate({ studyId, source, slug: s.data, name: n.data });
  }

  return (
    <form className="stack" aria-label="Duplicate study" onSubmit={onSubmit} noValidate>
      {duplicate.error && (
        <div className="alert alert-error" role="alert">
          {trpcErrorMessage(duplicate.error)}
        </div>
      )}
      <div className="row" style={{ alignItems: 'flex-start' }}>
        <SourceSelect id="duplicate-source" label="Copy from" value={source} onChange={setSource} versions={versions} />
        <div className="field">
          <label htmlFor="duplicate-name">New study name</label>
          <input id="duplicate-name" value={newName} onChange={(e) => setNewName(e.target.value)} aria-invalid={!!errors.name} />
          {errors.name && <span className="error">{errors.name}</span>}
        </div>
        <div className="field">
          <label htmlFor="duplicate-slug">New link name (slug)</label>
          <input id="duplicate-slug" value={slug} onChange={(e) => setSlug(e.target.value)} aria-invalid={!!errors.slug} placeholder="e.g. blog-study-2" />
          {errors.slug && <span className="error">{errors.slug}</span>}
        </div>
      </div>
      <div>
        <button className="btn" type="submit" disabled={duplicate.isPending}>
          {duplicate.isPending ? 'Duplicating…' : 'Duplicate as a new draft'}
        </button>
      </div>
    </form>
  );
}
