'use client';
/**
 * Study arms from a preset (ours or a pasted JSON preset): the same arm definition benchmark runs use, so a
 * setup tried on simulated users can be put in front of participants. Endpoints the preset leaves open (or
 * that do not exist here) get the first connection, or the demo model, and are listed for checking.
 */
import { useState } from 'react';
import { BUILTIN_PRESETS } from '~/server/benchmarks/builtin-presets';
import { parsePreset, studyArmsFromPreset, type Preset } from '~/server/benchmarks/presets';
import type { ArmConfig } from '~/server/studies/config';

export function PresetArmsPicker(props: { connections: { id: string; defaultModel: string }[]; onAdd: (arms: ArmConfig[]) => void }) {
  const [choice, setChoice] = useState('');
  const [text, setText] = useState('');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; lines: string[] } | null>(null);

  function add(preset: Preset) {
    const { arms, toCheck } = studyArmsFromPreset(preset, props.connections);
    props.onAdd(arms);
    setMessage({
      kind: 'ok',
      lines: [
        `Added ${arms.length} arm${arms.length === 1 ? '' : 's'} from “${preset.name}”.`,
        ...(toCheck.length ? [`Check the model endpoint of: ${toCheck.join(', ')} (the preset left it open or named a connection that does not exist here).`] : []),
      ],
    });
  }

  return (
    <details className="card stack">
      <summary className="small">Add arms from a preset</summary>
      <div className="row">
        <label htmlFor="study-preset" className="small">
          Preset
        </label>
        <select id="study-preset" value={choice} onChange={(e) => setChoice(e.target.value)}>
          <option value="">Choose…</option>
          {BUILTIN_PRESETS.map((p) => (
            <option key={p.name} value={p.name}>
              {p.name}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="btn"
          disabled={!choice}
          onClick={() => {
            const preset = BUILTIN_PRESETS.find((p) => p.name === choice);
            if (preset) add(preset);
          }}
        >
          Add its arms
        </button>
      </div>
      <div className="field">
        <label htmlFor="study-preset-json">Or paste a preset (JSON)</label>
        <textarea id="study-preset-json" className="mono" rows={4} value={text} onChange={(e) => setText(e.target.value)} />
      </div>
      <div className="row">
        <button
          type="button"
          className="btn"
          disabled={!text.trim()}
          onClick={() => {
            const parsed = parsePreset(text);
            if (parsed.ok) add(parsed.preset);
            else setMessage({ kind: 'error', lines: parsed.errors });
          }}
        >
          Add arms from JSON
        </button>
      </div>
      {message && (
        <div className={`alert ${message.kind === 'ok' ? 'alert-ok' : 'alert-error'}`} role={message.kind === 'ok' ? 'status' : 'alert'}>
          {message.lines.map((l) => (
            <div key={l} className="small">
              {l}
            </div>
          ))}
        </div>
      )}
    </details>
  );
}
