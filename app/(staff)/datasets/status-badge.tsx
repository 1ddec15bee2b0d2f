const colors: Record<string, string | undefined> = {
  generating: 'var(--accent)',
  ready: 'var(--ok)',
  failed: 'var(--danger)',
  cancelled: 'var(--muted)',
};

export function DatasetStatusBadge({ status }: { status: string }) {
  return (
    <span className="badge" style={{ color: colors[status], borderColor: colors[status] }}>
      {status}
    </span>
  );
}
