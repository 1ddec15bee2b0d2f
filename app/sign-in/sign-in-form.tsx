'use client';
import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';

const messages: Record<string, string> = {
  CredentialsSignin: 'The email or password is not correct, or the account is disabled.',
  TooManyAttempts: 'Too many failed attempts for this email. Wait 15 minutes and try again, or ask an admin to reset the password.',
  TooManyAttemptsFromAddress: 'Too many failed sign-ins from your network. Wait 15 minutes and try again.',
  AccessDenied: 'This account is not allowed to sign in. Ask an admin to invite your email address.',
  default: 'Signing in failed. Please try again.',
};

export function SignInForm({
  callbackPath,
  oidcEnabled,
  initialError,
}: {
  callbackPath: string;
  oidcEnabled: boolean;
  initialError: string | null;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(initialError ? (messages[initialError] ?? messages.default!) : null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      const result = await signIn('credentials', {
        email: String(form.get('email') ?? ''),
        password: String(form.get('password') ?? ''),
        redirect: false,
      });
      if (!result || result.error) {
        setError(messages[result?.error ?? 'default'] ?? messages.default!);
        return;
      }
      router.replace(callbackPath);
      router.refresh();
    } catch {
      setError(messages.default!);
    } finally {
      setPending(false);
    }
  }

  return (
    <form className="stack" onSubmit={onSubmit} noValidate={false} aria-describedby={error ? 'sign-in-error' : undefined}>
      {error && (
        <div id="sign-in-error" className="alert alert-error" role="alert">
          {error}
        </div>
      )}
      <div className="field">
        <label htmlFor="email">Email</label>
        <input id="email" name="email" type="email" autoComplete="username" required autoFocus />
      </div>
      <div className="field">
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
      </div>
      <button className="btn btn-primary" type="submit" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
      {oidcEnabled && (
        <button type="button" className="btn" onClick={() => void signIn('oidc', { callbackUrl: callbackPath })}>
          Sign in with single sign-on
        </button>
      )}
    </form>
  );
}
