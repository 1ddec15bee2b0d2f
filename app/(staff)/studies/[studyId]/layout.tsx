import Link from 'next/link';
import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { z } from 'zod';
import { getDb } from '~/db';
import { requirePageRole } from '~/server/auth/page-guard';
import { getStudy } from '~/server/studies/service';
import { ServiceError } from '~/server/services/errors';
import { StatusBadge } from '../status-badge';
import { StudyTabs } from './study-tabs';

export const dynamic = 'force-dynamic';

export default async function StudyLayout({ children, params }: { children: ReactNode; params: Promise<{ studyId: string }> }) {
  const { studyId } = await params;
  if (!z.uuid().safeParse(studyId).success) notFound();
  const actor = await requirePageRole('viewer');
  const study = await getStudy({ db: await getDb(), actor }, studyId).catch((err: unknown) => {
    if (err instanceof ServiceError && err.code === 'NOT_FOUND') notFound();
    throw err;
  });
  return (
    <div className="stack">
      <div className="row">
        <Link href="/studies" className="small">
          ← Studies
        </Link>
      </div>
      <div className="row">
        <h1 style={{ margin: 0 }}>{study.name}</h1>
        <StatusBadge status={study.status} />
        {study.currentVersion !== null && <span className="badge">Version {study.currentVersion}</span>}
        <span className="spacer" />
        <span className="mono small muted">/s/{study.slug}</span>
      </div>
      <StudyTabs studyId={study.id} />
      <div>{children}</div>
    </div>
  );
}
