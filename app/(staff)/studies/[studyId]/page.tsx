import Link from 'next/link';
import { headers } from 'next/headers';
import { getDb } from '~/db';
import { env } from '~/server/env';
import { Time } from '~/app/_components/time';
import { publicOrigin, recruitmentLinks } from '~/server/studies/recruitment-links';
import { PreviewPanel } from '../_components/preview-panel';
import { RecruitmentLinksCard } from '../_components/recruitment-links';
import { CompareVersionsForm, DuplicateStudyForm } from '../_components/study-history-tools';
import { requirePageRole } from '~/server/auth/page-guard';
import { hasRole } from '~/server/auth/roles';
import { getStudy } from '~/server/studies/service';
import { StudyActions } from '../_components/study-actions';

export const dynamic = 'force-dynamic';

export default async function StudyOverviewPage({ params }: { params: Promise<{ studyId: string }> }) {
  const { studyId } = await params;
  const actor = await requirePageRole('viewer');
  const study = await getStudy({ db: await getDb(), actor }, studyId);
  const canEdit = hasRole(actor, 'researcher');
  const p = study.participants;
  const launched = study.currentVersionId !== null;
  const links = recruitmentLinks(publicOrigin(env.NEXTAUTH_URL, await headers()), study.slug, study.draftConfig);
  const versionNumbers = study.versions.map((v) => v.version);
  return (
    <div className="stack">
      <div className="card">
        <div className="row" style={{ gap: '2rem' }}>
          <Stat label="Participants" value={p.total} />
          <Stat label="Completed" value={p.completed} />
          <Stat label="In progress" value={p.inProgress} />
          <Stat label="Ended early" value={p.ended} />
          <Stat label="Declined consent" value={p.declined} />
          <Stat label="Arms" value={study.draftConfig.arms.length} />
        </div>
      </div>

      {canEdit ? (
        <StudyActions
          studyId={study.id}
          slug={study.slug}
          status={study.status}
          launched={launched}
          hasUnpublishedChanges={study.hasUnpublishedChanges}
          draftConfig={study.draftConfig}
        />
      ) : (
        <p className="muted">You can look at this study; researchers and admins can change it.</p>
      )}

      {canEdit && (
        <PreviewPanel
          // Remount after a launch or publish, so the default setup (draft or published) follows the new state.
          key={`${launched}:${study.hasUnpublishedChanges}`}
          slug={study.slug}
          arms={study.draftConfig.arms.map((a) => ({ key: a.key, label: a.label }))}
          launched={launched}
          hasUnpublishedChanges={study.hasUnpublishedChanges}
        />
      )}

      <RecruitmentLinksCard links={links} launched={launched} />

      <section>
        <h2>Versions</h2>
        {study.versions.length === 0 ? (
          <div className="empty">
            Not launched yet. Launching freezes the current setup as version 1; participants always record the version they saw.
          </div>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th className="num">Version</th>
                <th>Published</th>
                <th>By</th>
                <th>Note</th>
              </tr>
            </thead>
            <tbody>
              {study.versions.map((v) => (
                <tr key={v.id}>
                  <td className="num">
                    {v.version}
                    {v.id === study.currentVersionId && (
                      <>
                        {' '}
                        <span className="badge">current</span>
                      </>
                    )}
                  </td>
                  <td>
                    <Time value={v.createdAt} />
                  </td>
                  <td>{v.createdByEmail ?? '—'}</td>
                  <td>{v.note ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {study.hasUnpublishedChanges && study.currentVersionId && (
          <p className="small muted">
            The draft has changes that participants do not see yet. <Link href={`/studies/${study.id}/setup`}>Review the setup</Link>{' '}
            and publish a new version.
          </p>
        )}
        {study.versions.length > 0 && <CompareVersionsForm studyId={study.id} versions={versionNumbers} />}
      </section>

      {canEdit && (
        <section className="card stack">
          <h2 style={{ margin: 0 }}>Duplicate</h2>
          <DuplicateStudyForm studyId={study.id} name={study.name} versions={versionNumbers} />
        </section>
      )}
    </div>
  );
}

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <div>
      <div className="small muted">{label}</div>
      <div style={{ fontSize: '1.5rem', fontWeight: 600, fontVariantNumeric: 'tabular-nums' }}>{value}</div>
    </div>
  );
}
