'use client';
/** One arm in the new-run form: key, label, model endpoint and model (or demo style), request mode and system prompt. */
import { ArmModeFields } from '~/app/_components/arm-mode-fields';
import { ConnectionOptions, DEMO_ENDPOINT as DEMO, type ConnectionChoice } from '../endpoint-picker';
import type { ArmDraft } from './arm-drafts';

export function ArmCard({
  index: i,
  arm,
  connections,
  isReference,
  onMakeReference,
  onChange,
  onRemove,
}: {
  index: number;
  arm: ArmDraft;
  connections: ConnectionChoice[];
  isReference: boolean;
  onMakeReference: () => void;
  onChange: (patch: Partial<ArmDraft>) => void;
  onRemove: () => void;
}) {
  return (
    <div className="card stack" aria-label={`Arm ${i + 1}`} role="group">
      <div className="row">
        <strong>{arm.label || `Arm ${i + 1}`}</strong>
        {arm.connectionId === null && <span className="badge badge-demo">demo model</span>}
        {arm.needsEndpoint && <span className="badge badge-demo">choose an endpoint</span>}
        <span className="spacer" />
        <label className="small row" style={{ gap: '0.3rem' }}>
          <input type="radio" name="reference-arm" checked={isReference} onChange={onMakeReference} />
          Reference arm
        </label>
        <button type="button" className="btn btn-danger" onClick={onRemove}>
          Remove
        </button>
      </div>
      <div className="row" style={{ alignItems: 'flex-start' }}>
        <div className="field" style={{ flex: 1, minWidth: '8rem' }}>
          <label htmlFor={`arm-${i}-key`}>Key</label>
          <input id={`arm-${i}-key`} value={arm.key} maxLength={40} onChange={(e) => onChange({ key: e.target.value })} />
        </div>
        <div className="field" style={{ flex: 2, minWidth: '10rem' }}>
          <label htmlFor={`arm-${i}-label`}>Label</label>
          <input id={`arm-${i}-label`} value={arm.label} maxLength={80} onChange={(e) => onChange({ label: e.target.value })} />
        </div>
        <div className="field" style={{ flex: 2, minWidth: '10rem' }}>
          <label htmlFor={`arm-${i}-connection`}>Model endpoint</label>
          <select
            id={`arm-${i}-connection`}
            value={arm.connectionId ?? DEMO}
            onChange={(e) => {
              const c = connections.find((x) => x.id === e.target.value);
              const keepModel = arm.needsEndpoint && c;
              onChange(c ? { connectionId: c.id, model: keepModel ? arm.model : c.defaultModel, needsEndpoint: false } : { connectionId: null, model: 'baseline', needsEndpoint: false });
            }}
          >
            <option value={DEMO}>Offline demo model</option>
            <ConnectionOptions connections={connections} />
          </select>
        </div>
        <div className="field" style={{ flex: 2, minWidth: '10rem' }}>
          <label htmlFor={`arm-${i}-model`}>{arm.connectionId === null ? 'Demo style' : 'Model'}</label>
          {arm.connectionId === null ? (
            <select id={`arm-${i}-model`} value={arm.model} onChange={(e) => onChange({ model: e.target.value })}>
              <option value="baseline">baseline</option>
              <option value="proactive">proactive</option>
              <option value="collabllm">collabllm</option>
            </select>
          ) : (
            <input id={`arm-${i}-model`} value={arm.model} maxLength={200} onChange={(e) => onChange({ model: e.target.value })} />
          )}
        </div>
      </div>
      <ArmModeFields idPrefix={`arm-${i}`} value={arm} onChange={(next) => onChange(next)} />
      <div className="field">
        <label htmlFor={`arm-${i}-prompt`}>{arm.mode === 'template' ? 'System prompt (optional, sent before the template)' : 'System prompt (empty = none)'}</label>
        <textarea id={`arm-${i}-prompt`} value={arm.systemPrompt} maxLength={20_000} rows={2} onChange={(e) => onChange({ systemPrompt: e.target.value })} />
      </div>
    </div>
  );
}
