'use client';
/** The "Size and pace" fieldset of the new-run form: conversations per task, maximum turns, concurrency and seed. */

export function SizePaceFieldset(props: {
  conversationsPerTask: number;
  onConversationsPerTaskChange: (n: number) => void;
  maxTurns: number;
  onMaxTurnsChange: (n: number) => void;
  concurrency: number;
  onConcurrencyChange: (n: number) => void;
  seed: string;
  onSeedChange: (seed: string) => void;
}) {
  return (
    <fieldset className="card stack">
      <legend className="label">Size and pace</legend>
      <div className="row" style={{ alignItems: 'flex-start' }}>
        <NumberField id="conversations" label="Conversations per task" value={props.conversationsPerTask} min={1} max={20} onChange={props.onConversationsPerTaskChange} />
        <NumberField id="max-turns" label="Maximum turns" value={props.maxTurns} min={1} max={30} onChange={props.onMaxTurnsChange} />
        <NumberField id="concurrency" label="Concurrency" hint="Conversations at once, across all workers" value={props.concurrency} min={1} max={32} onChange={props.onConcurrencyChange} />
        <div className="field" style={{ flex: 1, minWidth: '8rem' }}>
          <label htmlFor="seed">Seed</label>
          <input id="seed" value={props.seed} maxLength={100} onChange={(e) => props.onSeedChange(e.target.value)} />
        </div>
      </div>
    </fieldset>
  );
}

function NumberField(props: { id: string; label: string; hint?: string; value: number; min: number; max: number; onChange: (n: number) => void }) {
  return (
    <div className="field" style={{ flex: 1, minWidth: '8rem' }}>
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="number"
        inputMode="numeric"
        min={props.min}
        max={props.max}
        value={props.value}
        onChange={(e) => props.onChange(Math.max(props.min, Math.min(props.max, Number(e.target.value) || props.min)))}
      />
      {props.hint && <span className="hint">{props.hint}</span>}
    </div>
  );
}
