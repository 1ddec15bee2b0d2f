'use client';
import { useMutation } from '@tanstack/react-query';
import { signOut } from 'next-auth/react';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '~/app/_trpc/client';
import { trpcErrorMessage } from '~/app/_components/trpc-error';
import { changeOwnPasswordInput } from '~/server/users/schemas';

export function ChangePasswordForm() {
  const trpc = useTRPC();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const change = useMutation(trpc.users.changeOwnPassword.mutationOptions());

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const next = String(data.get('newPassword') ?? '');
    if (next !== String(data.get('confirmPassword') ?? '')) {
      setErrors({ confirmPassword: 'the two new passwords differ' });
      return;
    }
    const parsed = changeOwnPasswordInput.safeParse({ currentPassword: String(data.get('currentPassword') ?? ''), newPassword: next });
    if (!parsed.success) {
      setErrors(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])));
      return;
    }
    setErrors({});
    // The change ends every session, this one included: sign in again with the new password.
    change.mutate(parsed.data, {
      onSuccess: () => {
        form.reset();
        void signOut({ callbackUrl: '/sign-in?notice=password-changed' });
      },
    });
  }

  return (
    <form className="stack" onSubmit={onSubmit} noValidate aria-label="Change password">
      {change.error && (
        <div className="alert alert-error" role="alert">
          {trpcErrorMessage(change.error)}
        </div>
      )}
      {change.isSuccess && (
        <div className="alert alert-ok" role="status">
          Password changed. Signing you out…
        </div>
      )}
      <div className="field">
        <label htmlFor="current-password">Current password</label>
        <input id="current-password" name="currentPassword" type="password" autoComplete="current-password" aria-invalid={!!errors.currentPassword} />
        {errors.currentPassword && <span className="error">{errors.currentPassword}</span>}
      </div>
      <div className="field">
        <label htmlFor="new-password">New password</label>
        <input id="new-password" name="newPassword" type="password" autoComplete="new-password" aria-invalid={!!errors.newPassword} />
        {errors.newPassword && <span className="error">{errors.newPassword}</span>}
      </div>
      <div className="field">
        <label htmlFor="confirm-password">New password again</label>
        <input id="confirm-password" name="confirmPassword" type="password" autoComplete="new-password" aria-invalid={!!errors.confirmPassword} />
        {errors.confirmPassword && <span className="error">{errors.confirmPassword}</span>}
      </div>
      <div>
        <button className="btn btn-primary" type="submit" disabled={change.isPending}>
          Change password
        </button>
      </div>
    </form>
  );
}
