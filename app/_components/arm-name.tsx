/**
 * How an arm is named on every staff page: its label, with the key (what exports and the API use)
 * beside it, so the monitor, transcripts, results and exports' `arm_label`/`arm_key` columns read the same.
 */
export function ArmName({ armKey, label }: { armKey: string; label?: string | null }) {
  if (!label || label === armKey) return <span className="mono">{armKey}</span>;
  return (
    <span>
      {label} <span className="mono small muted">({armKey})</span>
    </span>
  );
}
