import { DemoBadge } from './common';

/** What an MTurk worker sees before accepting the HIT: the task, with every input disabled. */
export function MturkPreview({ title, instructions, usesDemoModel }: { title: string; instructions: string; usesDemoModel: boolean }) {
  return (
    <main className="narrow stack">
      <div className="row">
        <h1>{title}</h1>
        <span className="spacer" />
        {usesDemoModel ? <DemoBadge /> : null}
      </div>
      <div className="alert alert-warn" role="status">
        This is a preview. Accept the HIT on MTurk to start the task.
      </div>
      <section className="card stack">
        <h2>What you will do</h2>
        <p className="prewrap">{instructions}</p>
      </section>
      <div className="field">
        <label htmlFor="preview-message">Your message</label>
        <textarea id="preview-message" disabled placeholder="Accept the HIT to start writing" />
      </div>
      <button type="button" className="btn btn-primary" disabled>
        Start
      </button>
    </main>
  );
}
