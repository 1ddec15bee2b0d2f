import type { StudyStatus } from '~/server/studies/service';

const labels: Record<StudyStatus, string> = { draft: 'Draft', running: 'Running', paused: 'Paused', closed: 'Closed' };
const colors: Record<StudyStatus, string> = { draft: 'var(--muted)', running: 'var(--ok)', paused: 'var(--warn)', closed: 'var(--text)' };

export function StatusBadge({ status }: { status: StudyStatus }) {
  return (
    <span className="badge" style={{ borderColor: colors[status], color: colors[status] }}>
      {labels[status]}
    </span>
  );
}
