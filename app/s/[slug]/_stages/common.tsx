'use client';
import { TRPCClientError } from '@trpc/client';

export function DemoBadge() {
  return (
    <span className="badge badge-demo" title="Replies come from a built-in offline demo model, not a real language model.">
      Demo assistant (offline)
    </span>
  );
}

/** A participant-readable message for any failed call; never a stack trace. */
export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) {
    const zod = (error.data as { zodError?: { fieldErrors?: Record<string, string[]> } } | undefined)?.zodError;
    if (zod) return 'Some answers are not valid. Please check them and try again.';
    return error.message || 'Something went wrong. Please try again.';
  }
  if (error instanceof Error && /fetch|network/i.test(error.message)) return 'Could not reach the server. Please check your connection and try again.';
  return 'Something went wrong. Please try again.';
}

export function ErrorAlert({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <div className="alert alert-error" role="alert">
      {errorMessage(error)}
    </div>
  );
}

/** A 1–10 scale as a group of toggle buttons (arrow keys and Tab both work). */
export function Scale({
  label,
  value,
  onChange,
  disabled,
  low = 'Very poor',
  high = 'Excellent',
}: {
  label: string;
  value: number | null;
  onChange: (v: number) => void;
  disabled?: boolean;
  low?: string;
  high?: string;
}) {
  return (
    <fieldset className="field" style={{ border: 0, padding: 0, margin: 0 }}>
      <legend className="label">{label}</legend>
      <div className="scale">
        {Array.from({ length: 10 }, (_, i) => i + 1).map((n) => (
          <button
            key={n}
            type="button"
            className="btn"
            aria-pressed={value === n}
            aria-label={`${n} out of 10`}
            disabled={disabled}
            onClick={() => onChange(n)}
          >
            {n}
          </button>
        ))}
      </div>
      <div className="row small muted">
        <span>1 = {low}</span>
        <span className="spacer" />
        <span>10 = {high}</span>
      </div>
    </fieldset>
  );
}
