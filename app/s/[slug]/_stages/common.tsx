'use client';
import { TRPCClientError } from '@trpc/client';
import { useEffect, useId, useRef, type ReactNode } from 'react';

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

/**
 * A 1–10 scale as a native radio group styled as a row of buttons: arrow keys move and select, Tab enters
 * and leaves the group, and screen readers announce "7 out of 10, radio, 7 of 10". Native radios give
 * these semantics for free, which the earlier toggle buttons only claimed.
 */
export function Scale({
  label,
  name,
  value,
  onChange,
  disabled,
  low = 'Very poor',
  high = 'Excellent',
  error,
}: {
  label: string;
  /** Radio group name; unique on the page. */
  name: string;
  value: number | null;
  onChange: (v: number) => void;
  disabled?: boolean;
  low?: string;
  high?: string;
  error?: string | null;
}) {
  const hintId = `${name}-ends`;
  const errorId = `${name}-error`;
  return (
    <fieldset className="field p-fieldset" aria-describedby={error ? `${errorId} ${hintId}` : hintId} aria-invalid={error ? true : undefined}>
      <legend className="label">{label}</legend>
      <div className="scale">
        {Array.from({ length: 10 }, (_, i) => i + 1).map((n) => (
          <label key={n} className="scale-option">
            <input
              type="radio"
              name={name}
              value={n}
              id={n === 1 ? `${name}-first` : undefined}
              checked={value === n}
              disabled={disabled}
              aria-label={`${n} out of 10`}
              onChange={() => onChange(n)}
            />
            <span aria-hidden="true">{n}</span>
          </label>
        ))}
      </div>
      <div id={hintId} className="row small muted">
        <span>1 = {low}</span>
        <span className="spacer" />
        <span>10 = {high}</span>
      </div>
      <FieldError id={errorId} error={error} />
    </fieldset>
  );
}

export function FieldError({ id, error }: { id: string; error?: string | null }) {
  if (!error) return null;
  return (
    <span id={id} className="error-text">
      {error}
    </span>
  );
}

/** A stage's title; it takes focus when the stage appears, so keyboard and screen-reader users start at the top of the new step. */
export function StageHeading({ id, children }: { id: string; children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus({ preventScroll: false });
  }, []);
  return (
    <h1 id={id} ref={ref} tabIndex={-1} className="p-stage-heading">
      {children}
    </h1>
  );
}

/**
 * An inline "are you sure?" for steps that cannot be undone. The confirm button takes focus; Escape or the
 * cancel button closes it and gives focus back to whatever opened it.
 */
export function ConfirmPrompt({
  title,
  body,
  confirmLabel,
  cancelLabel,
  onConfirm,
  onCancel,
  busy,
  danger,
}: {
  title: string;
  body: ReactNode;
  confirmLabel: string;
  cancelLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  busy?: boolean;
  danger?: boolean;
}) {
  const confirmRef = useRef<HTMLButtonElement>(null);
  const opener = useRef<Element | null>(null);
  const titleId = useId();
  useEffect(() => {
    opener.current = document.activeElement;
    confirmRef.current?.focus();
    return () => {
      if (opener.current instanceof HTMLElement && opener.current.isConnected) opener.current.focus();
    };
  }, []);
  return (
    <div
      className={`alert ${danger ? 'alert-error' : 'alert-warn'} stack p-confirm`}
      role="alertdialog"
      aria-labelledby={titleId}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onCancel();
      }}
    >
      <strong id={titleId}>{title}</strong>
      <div>{body}</div>
      <div className="row">
        <button ref={confirmRef} type="button" className={`btn ${danger ? 'btn-danger' : 'btn-primary'}`} disabled={busy} onClick={onConfirm}>
          {confirmLabel}
        </button>
        <button type="button" className="btn" disabled={busy} onClick={onCancel}>
          {cancelLabel}
        </button>
      </div>
    </div>
  );
}
