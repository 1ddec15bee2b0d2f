'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';

const tabs = [
  { segment: '', label: 'Overview' },
  { segment: 'setup', label: 'Setup' },
  { segment: 'pilots', label: 'Pilots' },
  { segment: 'plan', label: 'Plan' },
  { segment: 'monitor', label: 'Monitor' },
  { segment: 'results', label: 'Results' },
  { segment: 'transcripts', label: 'Transcripts' },
  { segment: 'judging', label: 'Judging' },
  { segment: 'calibration', label: 'Calibration' },
  { segment: 'export', label: 'Export' },
] as const;

/** The study's sections. Monitor, Results, Transcripts and Export pages live beside Setup. */
export function StudyTabs({ studyId }: { studyId: string }) {
  const pathname = usePathname();
  const base = `/studies/${studyId}`;
  return (
    <nav aria-label="Study sections" className="row" style={{ borderBottom: '1px solid var(--border)', gap: 0 }}>
      {tabs.map((tab) => {
        const href = tab.segment ? `${base}/${tab.segment}` : base;
        const active = tab.segment ? pathname === href || pathname.startsWith(`${href}/`) : pathname === base;
        return (
          <Link
            key={tab.label}
            href={href}
            aria-current={active ? 'page' : undefined}
            style={{
              padding: '0.5rem 0.9rem',
              textDecoration: 'none',
              color: active ? 'var(--accent)' : 'var(--text)',
              borderBottom: active ? '2px solid var(--accent)' : '2px solid transparent',
              fontWeight: active ? 600 : 400,
            }}
          >
            {tab.label}
          </Link>
        );
      })}
    </nav>
  );
}
