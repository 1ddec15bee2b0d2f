import { getDb } from '~/db';
import { requirePageRole } from '~/server/auth/page-guard';
import { hasRole } from '~/server/auth/roles';
import { getStudy, listConnectionChoices } from '~/server/studies/service';
import { StudyConfigEditor } from '../../_components/study-config-editor';

export const dynamic = 'force-dynamic';

export default async function StudySetupPage({ params }: { params: Promise<{ studyId: string }> }) {
  const { studyId } = await params;
  const actor = await requirePageRole('viewer');
  const db = await getDb();
  const [study, connections] = await Promise.all([getStudy({ db, actor }, studyId), listConnectionChoices({ db, actor })]);
  const canEdit = hasRole(actor, 'researcher') && study.status !== 'closed';
  return (
    <StudyConfigEditor
      studyId={study.id}
      initialName={study.name}
      initialConfig={study.draftConfig}
      connections={connections}
      readOnly={!canEdit}
      readOnlyReason={study.status === 'closed' ? 'This study is closed; its setup is kept as it was.' : 'Your role can view the setup but not change it.'}
      launched={study.currentVersionId !== null}
      status={study.status}
      hasUnpublishedChanges={study.hasUnpublishedChanges}
    />
  );
}
