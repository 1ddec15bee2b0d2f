'use client';
/**
 * The arm's request mode, shared by the study arm editor and the benchmark arm editor: plain (system prompt +
 * conversation) or template (a researcher-written request with placeholders, JSON reply, one shown field).
 */
import { PLACEHOLDER_NAMES, TEMPLATE_PLACEHOLDERS, templateProblems, type ArmMode, type ArmTemplate } from '~/server/arms/template';

export interface ArmModeValue {
  mode?: ArmMode;
  template?: ArmTemplate;
}

export const STARTER_TEMPLATE = `You are a writing assistant. {{task}}.

Conversation so far:
{{conversation}}

Think about what the user still needs, then reply with one JSON object and nothing else:
{"thought": "<your private reasoning>", "response": "<your message to the user, at most {{max_new_tokens}} tokens>"}`;

export function ArmModeFields(props: {
  idPrefix: string;
  value: ArmModeValue;
  onChange: (next: ArmModeValue) => void;
  /** Server-side error for the template text, if any. */
  error?: string;
}) {
  const { idPrefix, value, onChange } = props;
  const mode = value.mode ?? 'system_prompt';
  const template = value.template ?? { text: STARTER_TEMPLATE, responseField: 'response', parseRetries: 2 };
  const problems = mode === 'template' ? templateProblems(template.text) : [];
  return (
    <div className="stack">
      <div className="field">
        <label htmlFor={`${idPrefix}-mode`}>Request</label>
        <select
          id={`${idPrefix}-mode`}
          value={mode}
          onChange={(e) => {
            const next = e.target.value as ArmMode;
            onChange(next === 'template' ? { mode: next, template } : { mode: undefined, template: undefined });
          }}
        >
          <option value="system_prompt">System prompt + conversation</option>
          <option value="template">Template (the model replies in JSON; one field is shown)</option>
        </select>
      </div>
      {mode === 'template' && (
        <>
          <div className="field">
            <label htmlFor={`${idPrefix}-template`}>Template (the whole request, sent as one user message)</label>
            <textarea
              id={`${idPrefix}-template`}
              className="mono"
              rows={8}
              maxLength={50_000}
              value={template.text}
              aria-invalid={problems.length > 0 || !!props.error}
              onChange={(e) => onChange({ mode, template: { ...template, text: e.target.value } })}
            />
            <details className="hint small">
              <summary>Placeholders</summary>
              <ul>
                {PLACEHOLDER_NAMES.map((n) => (
                  <li key={n}>
                    <code>{`{{${n}}}`}</code>: {TEMPLATE_PLACEHOLDERS[n]}
                  </li>
                ))}
                <li>
                  Write <code>{'\\{{'}</code> for literal double braces. Inserted text is never expanded again.
                </li>
              </ul>
            </details>
            {[...problems, ...(props.error && !problems.length ? [props.error] : [])].map((p) => (
              <span key={p} className="error-text" role="alert">
                {p}
              </span>
            ))}
          </div>
          <div className="row" style={{ alignItems: 'flex-start' }}>
            <div className="field" style={{ flex: 1, minWidth: '10rem' }}>
              <label htmlFor={`${idPrefix}-field`}>Shown field</label>
              <input
                id={`${idPrefix}-field`}
                className="mono"
                value={template.responseField}
                maxLength={64}
                onChange={(e) => onChange({ mode, template: { ...template, responseField: e.target.value } })}
              />
              <span className="hint">The JSON field shown to the user; the other fields are stored, never shown.</span>
            </div>
            <div className="field" style={{ flex: 1, minWidth: '10rem' }}>
              <label htmlFor={`${idPrefix}-retries`}>Retries on unreadable JSON</label>
              <input
                id={`${idPrefix}-retries`}
                type="number"
                min={0}
                max={5}
                value={template.parseRetries}
                onChange={(e) => onChange({ mode, template: { ...template, parseRetries: Math.max(0, Math.min(5, Number(e.target.value) || 0)) } })}
              />
              <span className="hint">Then the reply fails: participants see “Try again”, a benchmark item records the error.</span>
            </div>
          </div>
        </>
      )}
    </div>
  );
}
