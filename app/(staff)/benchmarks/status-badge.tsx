const colors: Record<string, string | undefined> = {
  running: 'var(--accent)',
  completed: 'var(--ok)',
  failed: 'var(--danger)',
  cancelled: 'var(--muted)',
};

export function RunStatusBadge({ status }: { status: string }) {
  return (
    <span className="badge" style={{ color: colors[status], borderColor: colors[status] }}>
      {status}
    </span>
  );
}
