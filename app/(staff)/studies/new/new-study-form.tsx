'use client';
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '~/app/_trpc/client';
import { trpcErrorMessage } from '~/app/_components/trpc-error';
import { createStudyInput } from '~/server/studies/schemas';

function slugify(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
}

export function NewStudyForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [slugEdited, setSlugEdited] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const create = useMutation(
    trpc.studies.create.mutationOptions({ onSuccess: ({ id }) => router.push(`/studies/${id}/setup`) }),
  );

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const parsed = createStudyInput.safeParse({ name, slug });
    if (!parsed.success) {
      setErrors(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])));
      return;
    }
    setErrors({});
    create.mutate(parsed.data);
  }

  return (
    <form className="card stack" onSubmit={onSubmit} noValidate>
      {create.error && (
        <div className="alert alert-error" role="alert">
          {trpcErrorMessage(create.error)}
        </div>
      )}
      <div className="field">
        <label htmlFor="study-name">Name</label>
        <input
          id="study-name"
          type="text"
          value={name}
          autoFocus
          aria-invalid={!!errors.name}
          aria-describedby={errors.name ? 'study-name-error' : undefined}
          onChange={(e) => {
            setName(e.target.value);
            if (!slugEdited) setSlug(slugify(e.target.value));
          }}
        />
        <span className="hint">For researchers; participants see the study title you set on the Setup tab.</span>
        {errors.name && (
          <span id="study-name-error" className="error">
            {errors.name}
          </span>
        )}
      </div>
      <div className="field">
        <label htmlFor="study-slug">Link name (slug)</label>
        <input
          id="study-slug"
          type="text"
          value={slug}
          aria-invalid={!!errors.slug}
          aria-describedby="study-slug-hint"
          onChange={(e) => {
            setSlug(e.target.value);
            setSlugEdited(true);
          }}
        />
        <span id="study-slug-hint" className="hint">
          Participants open <span className="mono">/s/{slug || 'your-slug'}</span>. It cannot change later.
        </span>
        {errors.slug && <span className="error">{errors.slug}</span>}
      </div>
      <div className="row">
        <button className="btn btn-primary" type="submit" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create study'}
        </button>
      </div>
    </form>
  );
}
