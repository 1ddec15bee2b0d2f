'use client';
import { useState } from 'react';

/**
 * Opens the participant flow as an uncounted preview: of the draft or the published version, with a
 * chosen arm or one drawn as for a participant, resuming the last preview or starting afresh.
 */
export function PreviewPanel({
  slug,
  arms,
  launched,
  hasUnpublishedChanges,
}: {
  slug: string;
  arms: { key: string; label: string }[];
  launched: boolean;
  hasUnpublishedChanges: boolean;
}) {
  const [arm, setArm] = useState('');
  const [target, setTarget] = useState<'draft' | 'published'>(launched && !hasUnpublishedChanges ? 'published' : 'draft');
  const href = (restart: boolean) => {
    const params = new URLSearchParams({ preview: target === 'draft' ? 'draft' : '1' });
    if (arm) params.set('arm', arm);
    if (restart) params.set('restart', String(Date.now()));
    return `/s/${slug}?${params.toString()}`;
  };
  return (
    <section className="card stack" aria-labelledby="preview-heading">
      <h2 id="preview-heading" style={{ margin: 0 }}>
        Preview as a participant
      </h2>
      <p className="small muted" style={{ margin: 0 }}>
        Previews are never counted: they get no place in the assignment sequence and stay out of results and exports (unless you
        include previews in an export).
      </p>
      <div className="row">
        {launched && (
          <div className="field">
            <label htmlFor="preview-target">Setup</label>
            <select id="preview-target" value={target} onChange={(e) => setTarget(e.target.value as 'draft' | 'published')}>
              <option value="draft">Draft (unpublished changes)</option>
              <option value="published">Published version</option>
            </select>
          </div>
        )}
        <div className="field">
          <label htmlFor="preview-arm">Arm</label>
          <select id="preview-arm" value={arm} onChange={(e) => setArm(e.target.value)}>
            <option value="">Drawn at random</option>
            {arms.map((a) => (
              <option key={a.key} value={a.key}>
                {a.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="row">
        <a className="btn" href={href(false)} target="_blank" rel="noreferrer">
          Open preview
        </a>
        {/* The restart token is made on click, not while rendering (it would differ between server and browser). */}
        <button type="button" className="btn" onClick={() => window.open(href(true), '_blank', 'noopener')}>
          Start a new preview
        </button>
        {!launched && <span className="small muted">Before launch, the preview shows the draft as saved.</span>}
      </div>
    </section>
  );
}
