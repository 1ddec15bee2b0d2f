import Link from 'next/link';
import { requirePageRole } from '~/server/auth/page-guard';
import { roleLabels } from '~/server/auth/roles';
import { ChangePasswordForm } from './change-password-form';
import { SignOutEverywhere } from './sign-out-everywhere';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Settings · CollabStudy' };

export default async function SettingsPage() {
  const actor = await requirePageRole('viewer');
  return (
    <div className="stack" style={{ maxWidth: 720 }}>
      <h1>Settings</h1>
      <section className="card stack">
        <h2 style={{ margin: 0 }}>Account</h2>
        <p style={{ margin: 0 }}>
          {actor.email} · <span className="badge">{roleLabels[actor.role]}</span>
        </p>
        <p className="small muted" style={{ margin: 0 }}>
          Roles are changed by an admin.
        </p>
      </section>
      <section className="card stack">
        <h2 style={{ margin: 0 }}>API tokens</h2>
        <p style={{ margin: 0 }}>
          Personal tokens let scripts (for example an export with curl) act as you. <Link href="/settings/tokens">Manage API tokens</Link>
        </p>
      </section>
      <section className="card stack">
        <h2 style={{ margin: 0 }}>Change password</h2>
        <p className="small muted" style={{ margin: 0 }}>
          Changing your password signs you out everywhere and revokes your API tokens.
        </p>
        <ChangePasswordForm />
      </section>
      <section className="card stack">
        <h2 style={{ margin: 0 }}>Sessions</h2>
        <SignOutEverywhere />
      </section>
    </div>
  );
}
