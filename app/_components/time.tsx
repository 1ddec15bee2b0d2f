'use client';
import { useEffect, useState } from 'react';

/** "2026-12-01 23:45 UTC": the same on server and browser, and what the tooltip shows. */
export function utcLabel(date: Date): string {
  return `${date.toISOString().replace('T', ' ').slice(0, 16)} UTC`;
}

/**
 * A point in time, in the reader's locale and time zone, with UTC on hover. The first render uses UTC
 * (the server does not know the reader's zone, and a different first render would be a hydration
 * error); the local form replaces it once mounted.
 */
export function Time({ value, withSeconds = false }: { value: Date | string | number; withSeconds?: boolean }) {
  const date = value instanceof Date ? value : new Date(value);
  const ms = date.getTime();
  const valid = !Number.isNaN(ms);
  const [text, setText] = useState(() => (valid ? utcLabel(date) : '—'));
  useEffect(() => {
    if (Number.isNaN(ms)) return;
    setText(
      new Date(ms).toLocaleString(undefined, {
        dateStyle: 'medium',
        timeStyle: withSeconds ? 'medium' : 'short',
      }),
    );
  }, [ms, withSeconds]);
  if (!valid) return <span>—</span>;
  return (
    <time dateTime={date.toISOString()} title={utcLabel(date)}>
      {text}
    </time>
  );
}
