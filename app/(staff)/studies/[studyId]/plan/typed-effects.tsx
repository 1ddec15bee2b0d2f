'use client';

/** One typed effect as the form holds it (strings, so a half-typed number stays as typed). */
export interface TypedEffectDraft {
  label: string;
  kind: 'd' | 'mean';
  d: string;
  meanDifference: string;
  sd: string;
  sdOther: string;
}

export const newEffect = (label = ''): TypedEffectDraft => ({ label, kind: 'd', d: '0.5', meanDifference: '', sd: '', sdOther: '' });

const MAX_EFFECTS = 20;

/** Rows of effect sizes per outcome: Cohen's d, or a mean difference with SDs (the other arm's SD optional). */
export function TypedEffectsEditor({ effects, onChange }: { effects: TypedEffectDraft[]; onChange: (next: TypedEffectDraft[]) => void }) {
  const update = (i: number, patch: Partial<TypedEffectDraft>) => onChange(effects.map((e, j) => (j === i ? { ...e, ...patch } : e)));
  return (
    <fieldset className="stack" style={{ border: 0, padding: 0, margin: 0 }}>
      <legend className="label">Expected effects (per outcome; each arm against the reference arm)</legend>
      {effects.map((e, i) => (
        <div key={i} className="row" role="group" aria-label={`Effect ${i + 1}`} style={{ alignItems: 'flex-end' }}>
          <div className="field" style={{ width: '13rem' }}>
            <label htmlFor={`effect-${i}-label`}>Outcome</label>
            <input id={`effect-${i}-label`} value={e.label} maxLength={80} onChange={(ev) => update(i, { label: ev.target.value })} />
          </div>
          <div className="field" style={{ width: '12rem' }}>
            <label htmlFor={`effect-${i}-kind`}>Effect given as</label>
            <select id={`effect-${i}-kind`} value={e.kind} onChange={(ev) => update(i, { kind: ev.target.value as TypedEffectDraft['kind'] })}>
              <option value="d">Cohen&apos;s d</option>
              <option value="mean">Mean difference and SD</option>
            </select>
          </div>
          {e.kind === 'd' ? (
            <div className="field" style={{ width: '7rem' }}>
              <label htmlFor={`effect-${i}-d`}>d</label>
              <input id={`effect-${i}-d`} inputMode="decimal" value={e.d} onChange={(ev) => update(i, { d: ev.target.value })} />
            </div>
          ) : (
            <>
              <div className="field" style={{ width: '8rem' }}>
                <label htmlFor={`effect-${i}-diff`}>Mean difference</label>
                <input id={`effect-${i}-diff`} inputMode="decimal" value={e.meanDifference} onChange={(ev) => update(i, { meanDifference: ev.target.value })} />
              </div>
              <div className="field" style={{ width: '7rem' }}>
                <label htmlFor={`effect-${i}-sd`}>SD</label>
                <input id={`effect-${i}-sd`} inputMode="decimal" value={e.sd} onChange={(ev) => update(i, { sd: ev.target.value })} />
              </div>
              <div className="field" style={{ width: '9rem' }}>
                <label htmlFor={`effect-${i}-sd-other`}>SD, other arm (optional)</label>
                <input id={`effect-${i}-sd-other`} inputMode="decimal" value={e.sdOther} onChange={(ev) => update(i, { sdOther: ev.target.value })} />
              </div>
            </>
          )}
          <button type="button" className="btn" onClick={() => onChange(effects.filter((_, j) => j !== i))} disabled={effects.length === 1} aria-label={`Remove effect ${i + 1}`}>
            Remove
          </button>
        </div>
      ))}
      <div>
        <button type="button" className="btn" onClick={() => onChange([...effects, newEffect()])} disabled={effects.length >= MAX_EFFECTS}>
          Add an outcome
        </button>
      </div>
    </fieldset>
  );
}

/** Empty strings become NaN (not 0), so validation says "a number is needed" instead of planning for 0. */
export const toNumber = (s: string) => (s.trim() === '' ? Number.NaN : Number(s.replace(',', '.')));

export function typedEffectsInput(effects: TypedEffectDraft[]) {
  return effects.map((e) => ({
    label: e.label,
    effect:
      e.kind === 'd'
        ? { kind: 'd' as const, d: toNumber(e.d) }
        : { kind: 'mean' as const, meanDifference: toNumber(e.meanDifference), sd: toNumber(e.sd), ...(e.sdOther.trim() ? { sdOther: toNumber(e.sdOther) } : {}) },
  }));
}
