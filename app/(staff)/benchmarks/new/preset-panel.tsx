'use client';
/**
 * Presets in the new-run form: start from one of ours, import one (paste or file), or export the current
 * setup (arms, simulated user, judge) as a JSON preset to share with a paper.
 */
import { useState } from 'react';
import { BUILTIN_PRESETS } from '~/server/benchmarks/builtin-presets';
import { parsePreset, presetFromConfig, type Preset } from '~/server/benchmarks/presets';
import type { RunConfigInput } from '~/server/benchmarks/run-config';

export function PresetPanel(props: {
  onApply: (preset: Preset) => void;
  /** The current setup, for export; null when it is not valid yet. */
  current: () => { name: string; config: Pick<RunConfigInput, 'arms' | 'referenceArmKey' | 'simulator' | 'judge'> };
}) {
  const [builtin, setBuiltin] = useState('');
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<string[]>([]);
  const [applied, setApplied] = useState<string | null>(null);
  const [exported, setExported] = useState<string | null>(null);
  const [exportError, setExportError] = useState<string | null>(null);

  function apply(preset: Preset) {
    props.onApply(preset);
    setErrors([]);
    setApplied(preset.name);
  }
  function importText(source: string) {
    const parsed = parsePreset(source);
    if (parsed.ok) apply(parsed.preset);
    else {
      setErrors(parsed.errors);
      setApplied(null);
    }
  }
  function exportCurrent() {
    try {
      const { name, config } = props.current();
      setExported(JSON.stringify(presetFromConfig({ name, config }), null, 2));
      setExportError(null);
    } catch (err) {
      setExported(null);
      setExportError(`The current setup is not valid yet: ${(err as Error).message.slice(0, 400)}`);
    }
  }

  return (
    <fieldset className="card stack">
      <legend className="label">Preset</legend>
      <p className="hint small muted">
        A preset holds the arms, the simulated user and the judge. Endpoints that a preset leaves open, or that do not exist here, are marked; choose them before
        starting.
      </p>
      <div className="row">
        <label htmlFor="builtin-preset" className="small">
          Start from
        </label>
        <select id="builtin-preset" value={builtin} onChange={(e) => setBuiltin(e.target.value)}>
          <option value="">Choose a preset…</option>
          {BUILTIN_PRESETS.map((p) => (
            <option key={p.name} value={p.name}>
              {p.name}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="btn"
          disabled={!builtin}
          onClick={() => {
            const p = BUILTIN_PRESETS.find((x) => x.name === builtin);
            if (p) apply(p);
          }}
        >
          Use preset
        </button>
        <button type="button" className="btn" onClick={exportCurrent}>
          Export current setup
        </button>
      </div>
      <details>
        <summary className="small">Import a preset (JSON)</summary>
        <div className="stack">
          <div className="field">
            <label htmlFor="preset-json">Preset JSON</label>
            <textarea id="preset-json" className="mono" rows={6} value={text} onChange={(e) => setText(e.target.value)} />
          </div>
          <div className="row">
            <button type="button" className="btn" disabled={!text.trim()} onClick={() => importText(text)}>
              Import preset
            </button>
            <label className="small">
              or a file{' '}
              <input
                type="file"
                accept="application/json,.json"
                aria-label="Preset file"
                onChange={async (e) => {
                  const file = e.target.files?.[0];
                  if (file) importText(await file.text());
                }}
              />
            </label>
          </div>
        </div>
      </details>
      {applied && (
        <p className="small" role="status">
          Applied preset “{applied}”.
        </p>
      )}
      {errors.length > 0 && (
        <div className="alert alert-error" role="alert">
          The preset could not be read:
          <ul>
            {errors.slice(0, 20).map((e) => (
              <li key={e} className="mono small">
                {e}
              </li>
            ))}
          </ul>
        </div>
      )}
      {exportError && <p className="error-text">{exportError}</p>}
      {exported && (
        <div className="field">
          <label htmlFor="preset-export">Exported preset</label>
          <textarea id="preset-export" className="mono" rows={8} readOnly value={exported} />
          <a className="btn" download="collabstudy-preset.json" href={`data:application/json;charset=utf-8,${encodeURIComponent(exported)}`}>
            Download
          </a>
        </div>
      )}
    </fieldset>
  );
}
