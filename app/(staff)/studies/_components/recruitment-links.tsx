import { CopyButton } from '~/app/_components/copy-button';
import type { RecruitmentLinks } from '~/server/studies/recruitment-links';

/** Study URLs and completion details, ready to paste into Prolific, MTurk or an e-mail. */
export function RecruitmentLinksCard({ links, launched }: { links: RecruitmentLinks; launched: boolean }) {
  return (
    <section className="card stack" aria-labelledby="recruitment-links-heading">
      <h2 id="recruitment-links-heading" style={{ margin: 0 }}>
        Recruitment links
      </h2>
      {!launched && <p className="small muted">These links admit participants once the study is launched.</p>}
      <LinkRow id="prolific" label="Prolific study URL" value={links.prolific} hint="Paste as the study URL; Prolific fills in the {{%…%}} placeholders." />
      <LinkRow id="mturk" label="MTurk ExternalURL" value={links.mturk} hint="MTurk adds workerId, assignmentId, hitId and turkSubmitTo itself; finished workers are submitted back to MTurk." />
      <LinkRow id="plain" label="Plain link" value={links.plain} hint="For e-mail or a lab session; each browser gets its own session." />
      <h3 style={{ marginBottom: 0 }}>Enter on the recruitment platform</h3>
      <LinkRow id="completion-code" label="Completion code" value={links.completionCode} hint="Shown to participants who finish." />
      {links.prolificCompletionUrl ? (
        <LinkRow id="completion-url" label="Prolific completion URL" value={links.prolificCompletionUrl} hint="Participants who finish are sent here." />
      ) : (
        <p className="small alert alert-warn">No Prolific completion URL is set; Prolific participants will only see the code.</p>
      )}
      <p className="small muted" style={{ margin: 0 }}>
        Other endings: {links.otherCodes.map((c) => `${c.label} ${c.code}`).join(' · ')}
      </p>
    </section>
  );
}

function LinkRow({ id, label, value, hint }: { id: string; label: string; value: string; hint: string }) {
  return (
    <div className="field">
      <label htmlFor={`link-${id}`}>{label}</label>
      <div className="row" style={{ flexWrap: 'nowrap' }}>
        <input id={`link-${id}`} className="mono" readOnly value={value} style={{ flex: 1, minWidth: 0 }} />
        <CopyButton text={value} label={`Copy ${label}`} />
      </div>
      <span className="hint">{hint}</span>
    </div>
  );
}
