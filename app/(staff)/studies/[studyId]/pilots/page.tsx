import { getDb } from '~/db';
import { requirePageRole } from '~/server/auth/page-guard';
import { hasRole } from '~/server/auth/roles';
import { getStudy, listConnectionChoices } from '~/server/studies/service';
import { loadVersionConfig } from '~/server/participants/session';
import { PilotLauncher } from './pilot-launcher';
import { PilotList } from './pilot-list';

export const dynamic = 'force-dynamic';

export default async function StudyPilotsPage({ params }: { params: Promise<{ studyId: string }> }) {
  const { studyId } = await params;
  const actor = await requirePageRole('viewer');
  const db = await getDb();
  const [study, connections] = await Promise.all([getStudy({ db, actor }, studyId), listConnectionChoices({ db, actor })]);
  const onDraft = study.status === 'draft' || study.currentVersionId === null;
  const config = onDraft ? study.draftConfig : await loadVersionConfig(db, study.currentVersionId!);
  return (
    <div className="stack">
      <PilotLauncher
        studyId={study.id}
        connections={connections}
        armCount={config.arms.length}
        runsOn={onDraft ? 'the saved draft setup' : `version ${study.currentVersion} (what participants get now)`}
        canStart={hasRole(actor, 'researcher') && study.status !== 'closed'}
      />
      <section className="stack" aria-labelledby="pilots-heading">
        <h2 id="pilots-heading">Pilots</h2>
        <PilotList studyId={study.id} />
      </section>
    </div>
  );
}
