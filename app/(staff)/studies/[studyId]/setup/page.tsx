import { getDb } from '~/db';
import { requirePageRole } from '~/server/auth/page-guard';
import { hasRole } from '~/server/auth/roles';
import { getStudy, listConnectionChoices } from '~/server/studies/service';
import { StudyConfigEditor } from '../../_components/study-config-editor';
import { loadVersionConfig } from '~/server/participants/session';
import { PilotLauncher } from '../pilots/pilot-launcher';

export const dynamic = 'force-dynamic';

export default async function StudySetupPage({ params }: { params: Promise<{ studyId: string }> }) {
  const { studyId } = await params;
  const actor = await requirePageRole('viewer');
  const db = await getDb();
  const [study, connections] = await Promise.all([getStudy({ db, actor }, studyId), listConnectionChoices({ db, actor })]);
  const canEdit = hasRole(actor, 'researcher') && study.status !== 'closed';
  const onDraft = study.status === 'draft' || study.currentVersionId === null;
  const pilotConfig = onDraft ? study.draftConfig : await loadVersionConfig(db, study.currentVersionId!);
  return (
    <div className="stack">
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
      {/* Issue 11 §3: try the study with simulated participants before recruiting anyone (list: the Pilots tab). */}
      <PilotLauncher
        studyId={study.id}
        connections={connections}
        armCount={pilotConfig.arms.length}
        runsOn={onDraft ? 'the saved draft setup' : `version ${study.currentVersion} (what participants get now)`}
        canStart={canEdit}
      />
    </div>
  );
}
