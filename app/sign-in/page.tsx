import { redirect } from 'next/navigation';
import { getSessionActor } from '~/server/auth/session';
import { safeCallbackPath } from '~/server/auth/redirect';
import { env } from '~/server/env';
import { SignInForm } from './sign-in-form';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Sign in · CollabStudy' };

const notices: Record<string, string> = {
  'password-changed': 'Your password was changed and every session ended. Sign in with the new password.',
  'signed-out-everywhere': 'You were signed out in every browser.',
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackPath = safeCallbackPath(params.callbackUrl);
  if (await getSessionActor()) redirect(callbackPath);
  const oidcEnabled = Boolean(env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET);
  const error = typeof params.error === 'string' ? params.error : null;
  const notice = typeof params.notice === 'string' ? notices[params.notice] : undefined;
  return (
    <main className="narrow" style={{ maxWidth: 440, marginTop: '8vh' }}>
      <div className="card stack">
        <h1>Sign in</h1>
        <p className="muted small">For researchers and admins. Study participants do not need an account.</p>
        {notice && (
          <div className="alert alert-ok" role="status">
            {notice}
          </div>
        )}
        <SignInForm callbackPath={callbackPath} oidcEnabled={oidcEnabled} initialError={error} />
      </div>
    </main>
  );
}
