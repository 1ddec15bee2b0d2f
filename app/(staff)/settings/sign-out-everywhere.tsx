'use client';
import { useMutation } from '@tanstack/react-query';
import { signOut } from 'next-auth/react';
import Link from 'next/link';
import { useTRPC } from '~/app/_trpc/client';
import { trpcErrorMessage } from '~/app/_components/trpc-error';

/** Ends every session of this account (other browsers, a copied cookie), then this one. */
export function SignOutEverywhere() {
  const trpc = useTRPC();
  const end = useMutation(
    trpc.users.signOutEverywhere.mutationOptions({
      onSuccess: () => void signOut({ callbackUrl: '/sign-in?notice=signed-out-everywhere' }),
    }),
  );
  return (
    <div className="stack">
      {end.error && (
        <div className="alert alert-error" role="alert">
          {trpcErrorMessage(end.error)}
        </div>
      )}
      <p style={{ margin: 0 }}>
        Signs this account out in every browser and device, this one included. API tokens keep working; revoke them under{' '}
        <Link href="/settings/tokens">API tokens</Link>.
      </p>
      <div>
        <button className="btn" type="button" onClick={() => end.mutate()} disabled={end.isPending || end.isSuccess}>
          {end.isPending || end.isSuccess ? 'Signing out everywhere…' : 'Sign out everywhere'}
        </button>
      </div>
    </div>
  );
}
