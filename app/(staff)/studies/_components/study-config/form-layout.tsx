'use client';
/** Layout pieces of the study setup form: a titled section, a section holding an editable list, one removable list item, and a field grid. */
import type { ReactNode } from 'react';

export function Grid({ children }: { children: ReactNode }) {
  return <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(180px, 1fr))', gap: '0.75rem', alignItems: 'start' }}>{children}</div>;
}

export function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="card stack" aria-labelledby={`section-${title}`}>
      <h2 id={`section-${title}`} style={{ margin: 0 }}>
        {title}
      </h2>
      {children}
    </section>
  );
}

export function ListSection({
  title,
  hint,
  error,
  id,
  addLabel,
  onAdd,
  children,
}: {
  title: string;
  hint?: string;
  error?: string;
  id: string;
  addLabel: string;
  onAdd: () => void;
  children: ReactNode;
}) {
  return (
    <section className="card stack" aria-labelledby={`section-${title}`} id={id} tabIndex={-1}>
      <h2 id={`section-${title}`} style={{ margin: 0 }}>
        {title}
      </h2>
      {hint && <p className="small muted" style={{ margin: 0 }}>{hint}</p>}
      {error && <p className="error-text" style={{ margin: 0 }}>{error}</p>}
      {children}
      <div>
        <button type="button" className="btn" onClick={onAdd}>
          {addLabel}
        </button>
      </div>
    </section>
  );
}

export function Item({ legend, onRemove, children }: { legend: string; onRemove: () => void; children: ReactNode }) {
  return (
    <fieldset className="stack" style={{ border: '1px solid var(--border)', borderRadius: 'var(--radius)', padding: '0.75rem 1rem' }}>
      <legend className="label" style={{ padding: '0 0.3rem' }}>
        {legend}
      </legend>
      {children}
      <div>
        <button type="button" className="btn btn-danger small" onClick={onRemove} aria-label={`Remove ${legend.toLowerCase()}`}>
          Remove
        </button>
      </div>
    </fieldset>
  );
}
