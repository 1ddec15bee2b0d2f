import Link from 'next/link';
import type { ReactNode } from 'react';
import { requirePageRole } from '~/server/auth/page-guard';
import { roleLabels } from '~/server/auth/roles';
import { SignOutButton } from '../_components/sign-out-button';

export const dynamic = 'force-dynamic';

export default async function StaffLayout({ children }: { children: ReactNode }) {
  const actor = await requirePageRole('viewer');
  return (
    <>
      <header className="topbar">
        <Link href="/studies" style={{ fontWeight: 700 }}>
          CollabStudy
        </Link>
        <nav aria-label="Main">
          <Link href="/studies">Studies</Link>
          <Link href="/benchmarks">Benchmarks</Link>
          <Link href="/datasets">Datasets</Link>
          <Link href="/training/jobs">Training jobs</Link>
          {actor.role === 'admin' && <Link href="/admin/users">Admin</Link>}
          <Link href="/settings">Settings</Link>
        </nav>
        <span className="spacer" />
        <span className="small" data-testid="signed-in-user">
          {actor.name ? `${actor.name} · ` : ''}
          {actor.email} <span className="badge">{roleLabels[actor.role]}</span>
        </span>
        <SignOutButton />
      </header>
      <main className="container">{children}</main>
    </>
  );
}
