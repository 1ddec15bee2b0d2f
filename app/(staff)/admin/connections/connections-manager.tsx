'use client';
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '~/app/_trpc/client';
import { trpcErrorMessage } from '~/app/_components/trpc-error';
import { connectionFields } from '~/server/connections/schemas';

export interface ConnectionView {
  id: string;
  name: string;
  baseUrl: string;
  defaultModel: string;
  hasKey: boolean;
  keyHint: string | null;
  keyUnreadable: boolean;
}

export function ConnectionsManager({ connections }: { connections: ConnectionView[] }) {
  const [editing, setEditing] = useState<string | 'new' | null>(connections.length === 0 ? 'new' : null);
  const current = connections.find((c) => c.id === editing) ?? null;
  return (
    <div className="stack">
      {connections.length === 0 ? (
        <div className="empty">No connections yet. Studies can still use the offline demo model; add a connection to use a real model.</div>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Base URL</th>
              <th>Default model</th>
              <th>API key</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {connections.map((c) => (
              <tr key={c.id}>
                <td>{c.name}</td>
                <td className="mono small">{c.baseUrl}</td>
                <td className="mono small">{c.defaultModel}</td>
                <td>{keyLabel(c)}</td>
                <td>
                  <button type="button" className="btn" onClick={() => setEditing(c.id)} aria-label={`Edit ${c.name}`}>
                    Edit
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing === null ? (
        <div>
          <button type="button" className="btn btn-primary" onClick={() => setEditing('new')}>
            Add connection
          </button>
        </div>
      ) : (
        <ConnectionForm key={editing} connection={current} onDone={() => setEditing(null)} />
      )}
    </div>
  );
}

function keyLabel(c: Pick<ConnectionView, 'hasKey' | 'keyHint' | 'keyUnreadable'>): string {
  if (c.keyUnreadable) return 'Set, but unreadable — enter it again';
  if (!c.hasKey) return 'No key';
  return c.keyHint ? `Set (ends ${c.keyHint})` : 'Set';
}

function ConnectionForm({ connection, onDone }: { connection: ConnectionView | null; onDone: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [name, setName] = useState(connection?.name ?? '');
  const [baseUrl, setBaseUrl] = useState(connection?.baseUrl ?? 'https://api.openai.com/v1');
  const [defaultModel, setDefaultModel] = useState(connection?.defaultModel ?? '');
  // The key field always starts empty: a stored key is never sent to the browser.
  const [apiKey, setApiKey] = useState('');
  const [clearKey, setClearKey] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const done = {
    onSuccess: () => {
      router.refresh();
      onDone();
    },
  };
  const create = useMutation(trpc.connections.create.mutationOptions(done));
  const update = useMutation(trpc.connections.update.mutationOptions(done));
  const remove = useMutation(trpc.connections.delete.mutationOptions(done));
  const test = useMutation(trpc.connections.test.mutationOptions());
  const error = create.error ?? update.error ?? remove.error;
  const pending = create.isPending || update.isPending || remove.isPending;

  function validate() {
    const parsed = connectionFields.safeParse({ name, baseUrl, defaultModel });
    if (!parsed.success) {
      setErrors(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])));
      return null;
    }
    setErrors({});
    return parsed.data;
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const fields = validate();
    if (!fields) return;
    const key = apiKey.trim() || undefined;
    if (connection) update.mutate({ connectionId: connection.id, ...fields, apiKey: key, clearKey: !key && clearKey });
    else create.mutate({ ...fields, apiKey: key });
  }

  function onTest() {
    const fields = validate();
    if (!fields) return;
    test.mutate({
      connectionId: connection && !clearKey ? connection.id : undefined,
      baseUrl: fields.baseUrl,
      apiKey: apiKey.trim() || undefined,
      model: fields.defaultModel,
    });
  }

  return (
    <form className="card stack" onSubmit={onSubmit} noValidate aria-label={connection ? `Edit ${connection.name}` : 'New connection'}>
      <h2 style={{ margin: 0 }}>{connection ? `Edit ${connection.name}` : 'New connection'}</h2>
      {error && (
        <div className="alert alert-error" role="alert">
          {trpcErrorMessage(error)}
        </div>
      )}
      <div className="field">
        <label htmlFor="conn-name">Name</label>
        <input id="conn-name" type="text" value={name} onChange={(e) => setName(e.target.value)} aria-invalid={!!errors.name} />
        {errors.name && <span className="error">{errors.name}</span>}
      </div>
      <div className="field">
        <label htmlFor="conn-url">Base URL</label>
        <input id="conn-url" type="url" value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} aria-invalid={!!errors.baseUrl} aria-describedby="conn-url-hint" />
        <span id="conn-url-hint" className="hint">
          The OpenAI-compatible API root, usually ending in /v1.
        </span>
        {errors.baseUrl && <span className="error">{errors.baseUrl}</span>}
      </div>
      <div className="field">
        <label htmlFor="conn-key">API key</label>
        <input
          id="conn-key"
          type="password"
          autoComplete="off"
          value={apiKey}
          onChange={(e) => setApiKey(e.target.value)}
          placeholder={connection?.hasKey ? 'Leave empty to keep the saved key' : 'Optional for local servers'}
          aria-describedby="conn-key-hint"
        />
        <span id="conn-key-hint" className="hint">
          {connection ? `Saved key: ${keyLabel(connection)}. ` : ''}
          Encrypted on the server; it is never shown again.
        </span>
        {connection?.hasKey && (
          <label className="row small" style={{ fontWeight: 400 }}>
            <input type="checkbox" checked={clearKey} disabled={!!apiKey} onChange={(e) => setClearKey(e.target.checked)} /> Remove the
            saved key
          </label>
        )}
      </div>
      <div className="field">
        <label htmlFor="conn-model">Default model</label>
        <input id="conn-model" type="text" value={defaultModel} onChange={(e) => setDefaultModel(e.target.value)} aria-invalid={!!errors.defaultModel} />
        {errors.defaultModel && <span className="error">{errors.defaultModel}</span>}
      </div>
      {test.data && (
        <div className={test.data.ok ? 'alert alert-ok' : 'alert alert-error'} role="status">
          {test.data.ok
            ? `Connection works: ${test.data.model ?? defaultModel} answered in ${test.data.latencyMs} ms.`
            : `Connection failed after ${test.data.latencyMs} ms: ${test.data.error ?? 'unknown error'}`}
        </div>
      )}
      {test.error && (
        <div className="alert alert-error" role="alert">
          {trpcErrorMessage(test.error)}
        </div>
      )}
      <div className="row">
        <button className="btn btn-primary" type="submit" disabled={pending}>
          {connection ? 'Save changes' : 'Save connection'}
        </button>
        <button className="btn" type="button" onClick={onTest} disabled={test.isPending}>
          {test.isPending ? 'Testing…' : 'Test connection'}
        </button>
        <button className="btn" type="button" onClick={onDone}>
          Cancel
        </button>
        <span className="spacer" />
        {connection && (
          <button
            className="btn btn-danger"
            type="button"
            disabled={pending}
            onClick={() => {
              if (window.confirm(`Delete the connection "${connection.name}"?`)) remove.mutate({ connectionId: connection.id });
            }}
          >
            Delete
          </button>
        )}
      </div>
    </form>
  );
}
