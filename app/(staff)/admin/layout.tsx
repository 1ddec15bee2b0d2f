import Link from 'next/link';
import type { ReactNode } from 'react';
import { requirePageRole } from '~/server/auth/page-guard';

export const dynamic = 'force-dynamic';

export default async function AdminLayout({ children }: { children: ReactNode }) {
  await requirePageRole('admin');
  return (
    <div className="stack">
      <nav aria-label="Admin" className="row">
        <Link href="/admin/users">Users</Link>
        <Link href="/admin/connections">LLM connections</Link>
        <Link href="/admin/audit">Audit log</Link>
      </nav>
      {children}
    </div>
  );
}
