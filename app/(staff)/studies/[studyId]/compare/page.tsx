import Link from 'next/link';
import { getDb } from '~/db';
import { requirePageRole } from '~/server/auth/page-guard';
import { compareConfigs } from '~/server/studies/history';
import { configSourceSchema } from '~/server/studies/schemas';

export const dynamic = 'force-dynamic';

const sourceName = (s: 'draft' | number) => (s === 'draft' ? 'the draft' : `version ${s}`);

/** Plain text for a value in the diff table; long texts (prompts, consent) keep their line breaks. */
function show(value: unknown): string {
  if (value === undefined) return '—';
  if (typeof value === 'string') return value === '' ? '(empty)' : value;
  return JSON.stringify(value, null, 1);
}

export default async function CompareVersionsPage({
  params,
  searchParams,
}: {
  params: Promise<{ studyId: string }>;
  searchParams: Promise<{ from?: string; to?: string }>;
}) {
  const [{ studyId }, query] = await Promise.all([params, searchParams]);
  const actor = await requirePageRole('viewer');
  const parse = (v: string | undefined) => configSourceSchema.safeParse(v === 'draft' || v === undefined ? 'draft' : Number(v));
  const from = parse(query.from);
  const to = parse(query.to);
  if (!from.success || !to.success)
    return (
      <div className="alert alert-error" role="alert">
        Choose what to compare: the draft or a version number. <Link href={`/studies/${studyId}`}>Back to the overview</Link>
      </div>
    );
  const { changes } = await compareConfigs({ db: await getDb(), actor }, { studyId, from: from.data, to: to.data });
  return (
    <div className="stack">
      <h2>
        Differences from {sourceName(from.data)} to {sourceName(to.data)}
      </h2>
      <p className="small">
        <Link href={`/studies/${studyId}`}>Back to the overview</Link>
      </p>
      {changes.length === 0 ? (
        <div className="empty">No differences: both setups are the same.</div>
      ) : (
        <table className="table" aria-label="Setup differences">
          <thead>
            <tr>
              <th>Field</th>
              <th>Change</th>
              <th>{sourceName(from.data)}</th>
              <th>{sourceName(to.data)}</th>
            </tr>
          </thead>
          <tbody>
            {changes.map((c) => (
              <tr key={c.path}>
                <td className="mono small">{c.path}</td>
                <td>{c.kind}</td>
                <td style={{ whiteSpace: 'pre-wrap', maxWidth: '28rem' }}>{show(c.before)}</td>
                <td style={{ whiteSpace: 'pre-wrap', maxWidth: '28rem' }}>{show(c.after)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
