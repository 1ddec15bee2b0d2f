'use client';
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '~/app/_trpc/client';
import { trpcErrorMessage } from '~/app/_components/trpc-error';
import { createTokenInput } from '~/server/auth/token-schemas';

export interface TokenView {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const when = (iso: string | null) => (iso ? `${iso.replace('T', ' ').slice(0, 16)} UTC` : '—');

export function TokensManager({ tokens }: { tokens: TokenView[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | null>(null);
  const [fresh, setFresh] = useState<{ name: string; token: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const create = useMutation(
    trpc.tokens.create.mutationOptions({
      onSuccess: ({ token, summary }) => {
        setFresh({ name: summary.name, token });
        setCopied(false);
        setName('');
        router.refresh();
      },
    }),
  );
  const revoke = useMutation(trpc.tokens.revoke.mutationOptions({ onSuccess: () => router.refresh() }));

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const parsed = createTokenInput.safeParse({ name });
    if (!parsed.success) {
      setNameError(parsed.error.issues[0]?.message ?? 'invalid name');
      return;
    }
    setNameError(null);
    create.mutate(parsed.data);
  }

  return (
    <div className="stack">
      {fresh && (
        <div className="alert alert-ok stack" role="status">
          <strong>Token “{fresh.name}” created. Copy it now — it will not be shown again.</strong>
          <div className="row">
            <input type="text" readOnly value={fresh.token} aria-label="New API token" className="mono" onFocus={(e) => e.currentTarget.select()} />
            <button
              type="button"
              className="btn"
              onClick={() => {
                void navigator.clipboard?.writeText(fresh.token).then(() => setCopied(true));
              }}
            >
              {copied ? 'Copied' : 'Copy'}
            </button>
          </div>
        </div>
      )}
      <form className="card row" onSubmit={onSubmit} noValidate aria-label="Create API token" style={{ alignItems: 'flex-end' }}>
        <div className="field" style={{ flex: 1 }}>
          <label htmlFor="token-name">Token name</label>
          <input id="token-name" type="text" value={name} placeholder="e.g. nightly export" onChange={(e) => setName(e.target.value)} aria-invalid={!!nameError} />
          {nameError && <span className="error">{nameError}</span>}
        </div>
        <button className="btn btn-primary" type="submit" disabled={create.isPending}>
          Create token
        </button>
      </form>
      {(create.error ?? revoke.error) && (
        <div className="alert alert-error" role="alert">
          {trpcErrorMessage(create.error ?? revoke.error)}
        </div>
      )}
      {tokens.length === 0 ? (
        <div className="empty">No tokens yet.</div>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Token</th>
              <th>Created</th>
              <th>Last used</th>
              <th>Status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.id}>
                <td>{t.name}</td>
                <td className="mono small">{t.prefix}…</td>
                <td>{when(t.createdAt)}</td>
                <td>{when(t.lastUsedAt)}</td>
                <td>{t.revokedAt ? <span className="badge">Revoked</span> : 'Active'}</td>
                <td>
                  {!t.revokedAt && (
                    <button
                      type="button"
                      className="btn btn-danger"
                      aria-label={`Revoke ${t.name}`}
                      disabled={revoke.isPending}
                      onClick={() => revoke.mutate({ tokenId: t.id })}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
