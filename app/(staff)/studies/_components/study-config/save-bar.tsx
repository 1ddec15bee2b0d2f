'use client';
/** The sticky bar under the study setup form: the error summary (linking to each field), the save button and the saved/unsaved state. */
import { trpcErrorMessage } from '~/app/_components/trpc-error';
import { describeFieldPath, type FieldErrors } from '~/server/studies/form-errors';
import { fieldId } from './editor-shared';

export function SaveBar(props: {
  showErrors: boolean;
  /** Every current error, shown or not yet. */
  allErrors: FieldErrors;
  saveError: unknown;
  isPending: boolean;
  launched: boolean;
  savedAt: Date | null;
  dirty: boolean;
}) {
  const errorCount = Object.keys(props.allErrors).length;
  return (
    <div className="card stack" style={{ position: 'sticky', bottom: 0, zIndex: 1 }}>
      {props.showErrors && errorCount > 0 && (
        <div id="setup-error-summary" className="alert alert-error" role="alert" tabIndex={-1}>
          <strong>
            {errorCount === 1 ? 'One field needs attention' : `${errorCount} fields need attention`} before saving:
          </strong>
          <ul style={{ margin: '0.3rem 0 0', paddingLeft: '1.2rem' }}>
            {Object.entries(props.allErrors)
              .slice(0, 8)
              .map(([key, message]) => (
                <li key={key}>
                  <a href={`#${fieldId(key.split('.'))}`}>{describeFieldPath(key)}</a>: {message}
                </li>
              ))}
          </ul>
        </div>
      )}
      {props.saveError != null && (
        <div className="alert alert-error" role="alert">
          {trpcErrorMessage(props.saveError)}
        </div>
      )}
      <div className="row">
        <button className="btn btn-primary" type="submit" disabled={props.isPending}>
          {props.isPending ? 'Saving…' : props.launched ? 'Save draft' : 'Save setup'}
        </button>
        {props.savedAt && !props.dirty && (
          <span className="small" role="status" style={{ color: 'var(--ok)' }}>
            Saved.
          </span>
        )}
        {props.dirty && <span className="small muted">Unsaved changes</span>}
      </div>
    </div>
  );
}
