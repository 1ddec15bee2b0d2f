const colors: Record<string, string | undefined> = {
  submitted: 'var(--accent)',
  running: 'var(--accent)',
  succeeded: 'var(--ok)',
  failed: 'var(--danger)',
  cancelled: 'var(--muted)',
};

export function TrainingStatusBadge({ status }: { status: string }) {
  return (
    <span className="badge" data-testid="training-status" style={{ color: colors[status], borderColor: colors[status] }}>
      {status}
    </span>
  );
}

export const LIVE_TRAINING_STATUSES = new Set(['preparing', 'submitted', 'running']);
