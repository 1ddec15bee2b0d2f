'use client';
/** The labelled inputs of the study setup form (text, number, select, one-per-line list), each wired to its hint and error. */
import { useEffect, useState, type ReactNode } from 'react';

function FieldShell({ id, label, hint, error, children }: { id: string; label: string; hint?: string; error?: string; children: ReactNode }) {
  return (
    <div className="field" style={{ flex: 1, minWidth: 0 }}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      )}
      {error && (
        <span id={`${id}-error`} className="error">
          {error}
        </span>
      )}
    </div>
  );
}

function describedBy(id: string, hint?: string, error?: string) {
  return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
}

export function TextField(props: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  hint?: string;
  multiline?: boolean;
  rows?: number;
  mono?: boolean;
}) {
  const common = {
    id: props.id,
    value: props.value,
    'aria-invalid': props.error ? true : undefined,
    'aria-describedby': describedBy(props.id, props.hint, props.error),
    className: props.mono ? 'mono' : undefined,
  };
  return (
    <FieldShell {...props}>
      {props.multiline ? (
        <textarea {...common} rows={props.rows ?? 4} onChange={(e) => props.onChange(e.target.value)} />
      ) : (
        <input {...common} type="text" onChange={(e) => props.onChange(e.target.value)} />
      )}
    </FieldShell>
  );
}

export function NumberField(props: { id: string; label: string; value: number; onChange: (value: number) => void; error?: string; hint?: string; step?: number }) {
  // Keep the typed text, so an empty or half-typed field is not overwritten while editing.
  const [text, setText] = useState(Number.isFinite(props.value) ? String(props.value) : '');
  useEffect(() => {
    if (Number(text) !== props.value && !(text === '' && Number.isNaN(props.value)))
      setText(Number.isFinite(props.value) ? String(props.value) : '');
    // Only outside changes of the value (e.g. a reset) overwrite what is typed.
  }, [props.value]);
  return (
    <FieldShell {...props}>
      <input
        id={props.id}
        type="number"
        inputMode="decimal"
        step={props.step ?? 1}
        value={text}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy(props.id, props.hint, props.error)}
        onChange={(e) => {
          setText(e.target.value);
          props.onChange(e.target.value.trim() === '' ? Number.NaN : Number(e.target.value));
        }}
      />
    </FieldShell>
  );
}

export function SelectField(props: {
  id: string;
  label: string;
  value: string;
  options: { value: string; label: string }[];
  onChange: (value: string) => void;
  error?: string;
  hint?: string;
}) {
  const hasValue = props.options.some((o) => o.value === props.value);
  return (
    <FieldShell {...props}>
      <select
        id={props.id}
        value={props.value}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy(props.id, props.hint, props.error)}
        onChange={(e) => props.onChange(e.target.value)}
      >
        {!hasValue && <option value={props.value}>{props.value || '—'}</option>}
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

/** A list of short strings edited as lines; blank lines are dropped when the field loses focus. */
export function LinesField(props: { id: string; label: string; value: string[]; onChange: (value: string[]) => void; error?: string; hint?: string }) {
  return (
    <FieldShell {...props}>
      <textarea
        id={props.id}
        rows={Math.max(3, props.value.length + 1)}
        value={props.value.join('\n')}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy(props.id, props.hint, props.error)}
        onChange={(e) => props.onChange(e.target.value.split('\n'))}
        onBlur={() => {
          const cleaned = props.value.map((l) => l.trim()).filter(Boolean);
          if (cleaned.length !== props.value.length || cleaned.some((l, i) => l !== props.value[i])) props.onChange(cleaned);
        }}
      />
    </FieldShell>
  );
}
