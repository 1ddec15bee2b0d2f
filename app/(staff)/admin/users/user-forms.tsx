'use client';
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '~/app/_trpc/client';
import { trpcErrorMessage } from '~/app/_components/trpc-error';
import { createUserInput } from '~/server/users/schemas';

type Role = 'admin' | 'researcher' | 'viewer';
const roleOptions: { value: Role; label: string }[] = [
  { value: 'viewer', label: 'Viewer' },
  { value: 'researcher', label: 'Researcher' },
  { value: 'admin', label: 'Admin' },
];

export function CreateUserForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<string | null>(null);
  const create = useMutation(
    trpc.users.create.mutationOptions({
      onSuccess: (user) => {
        setCreated(user.email);
        router.refresh();
      },
    }),
  );

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const password = String(data.get('password') ?? '');
    const parsed = createUserInput.safeParse({
      email: String(data.get('email') ?? ''),
      name: String(data.get('name') ?? '') || undefined,
      role: String(data.get('role') ?? 'viewer'),
      password: password || undefined,
    });
    if (!parsed.success) {
      setErrors(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])));
      return;
    }
    setErrors({});
    setCreated(null);
    create.mutate(parsed.data, { onSuccess: () => form.reset() });
  }

  return (
    <form className="stack" onSubmit={onSubmit} noValidate aria-label="Add a user">
      {create.error && (
        <div className="alert alert-error" role="alert">
          {trpcErrorMessage(create.error)}
        </div>
      )}
      {created && (
        <div className="alert alert-ok" role="status">
          Added {created}. Give them their password through a separate channel.
        </div>
      )}
      <div className="row" style={{ alignItems: 'flex-start' }}>
        <div className="field" style={{ flex: 2, minWidth: 200 }}>
          <label htmlFor="new-user-email">Email</label>
          <input id="new-user-email" name="email" type="email" autoComplete="off" aria-invalid={!!errors.email} />
          {errors.email && <span className="error">{errors.email}</span>}
        </div>
        <div className="field" style={{ flex: 2, minWidth: 160 }}>
          <label htmlFor="new-user-name">Name (optional)</label>
          <input id="new-user-name" name="name" type="text" autoComplete="off" />
        </div>
        <div className="field" style={{ flex: 1, minWidth: 130 }}>
          <label htmlFor="new-user-role">Role</label>
          <select id="new-user-role" name="role" defaultValue="researcher">
            {roleOptions.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field" style={{ flex: 2, minWidth: 200 }}>
          <label htmlFor="new-user-password">Initial password</label>
          <input
            id="new-user-password"
            name="password"
            type="password"
            autoComplete="new-password"
            aria-invalid={!!errors.password}
            aria-describedby="new-user-password-hint"
          />
          <span id="new-user-password-hint" className="hint">
            At least 10 characters. Leave empty for single sign-on only.
          </span>
          {errors.password && <span className="error">{errors.password}</span>}
        </div>
      </div>
      <div>
        <button className="btn btn-primary" type="submit" disabled={create.isPending}>
          {create.isPending ? 'Adding…' : 'Add user'}
        </button>
      </div>
    </form>
  );
}

export function UserRowControls({
  userId,
  email,
  role,
  disabled,
  lastAdmin,
}: {
  userId: string;
  email: string;
  role: Role;
  disabled: boolean;
  lastAdmin: boolean;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const refresh = { onSuccess: () => router.refresh() };
  const setRole = useMutation(trpc.users.setRole.mutationOptions(refresh));
  const setDisabled = useMutation(trpc.users.setDisabled.mutationOptions(refresh));
  const resetPassword = useMutation(trpc.users.resetPassword.mutationOptions());
  const error = setRole.error ?? setDisabled.error ?? resetPassword.error;

  function onResetPassword() {
    const password = window.prompt(`New password for ${email} (at least 10 characters):`);
    if (password) resetPassword.mutate({ userId, password });
  }
  return (
    <div className="stack" style={{ gap: '0.3rem' }}>
      <div className="row">
        <select
          id={`role-${userId}`}
          aria-label={`Role for ${email}`}
          value={role}
          disabled={setRole.isPending || lastAdmin}
          title={lastAdmin ? 'The last admin keeps the admin role.' : undefined}
          onChange={(e) => setRole.mutate({ userId, role: e.target.value as Role })}
          style={{ width: 'auto' }}
        >
          {roleOptions.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
        <button
          type="button"
          className={disabled ? 'btn' : 'btn btn-danger'}
          disabled={setDisabled.isPending || (lastAdmin && !disabled)}
          title={lastAdmin ? 'The last admin cannot be disabled.' : undefined}
          aria-label={`${disabled ? 'Enable' : 'Disable'} ${email}`}
          onClick={() => setDisabled.mutate({ userId, disabled: !disabled })}
        >
          {disabled ? 'Enable' : 'Disable'}
        </button>
        <button type="button" className="btn" aria-label={`Set a new password for ${email}`} disabled={resetPassword.isPending} onClick={onResetPassword}>
          Set password
        </button>
      </div>
      {resetPassword.isSuccess && (
        <span className="small" role="status" style={{ color: 'var(--ok)' }}>
          Password changed.
        </span>
      )}
      {error && (
        <span className="error-text" role="alert">
          {trpcErrorMessage(error)}
        </span>
      )}
    </div>
  );
}
