import Link from 'next/link';
import { roleLabels } from '~/server/auth/roles';

export default async function ForbiddenPage({ searchParams }: { searchParams: Promise<{ need?: string }> }) {
  const { need } = await searchParams;
  const label = need && need in roleLabels ? roleLabels[need as keyof typeof roleLabels] : null;
  return (
    <div className="card stack" role="alert">
      <h1>Not allowed</h1>
      <p>
        Your role does not allow this page{label ? ` (it needs the ${label} role or higher)` : ''}. Ask an admin if you need
        access.
      </p>
      <p>
        <Link href="/studies">Back to studies</Link>
      </p>
    </div>
  );
}
