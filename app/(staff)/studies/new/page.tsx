import { requirePageRole } from '~/server/auth/page-guard';
import { NewStudyForm } from './new-study-form';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'New study · CollabStudy' };

export default async function NewStudyPage() {
  await requirePageRole('researcher');
  return (
    <div className="narrow stack" style={{ padding: 0 }}>
      <h1>New study</h1>
      <p className="muted">
        The study starts from a complete template with two arms on the offline demo model. You can change every part of it
        on the Setup tab before launching.
      </p>
      <NewStudyForm />
    </div>
  );
}
