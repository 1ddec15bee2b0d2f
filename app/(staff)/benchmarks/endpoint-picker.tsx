'use client';
/**
 * A connection (or the offline demo) plus, for a real connection, the model to call: the simulated user and the
 * judge of a new run, and the judge of a re-score. Picking a connection fills in its default model.
 */

/** The select's value for "no connection": the offline demo user or judge. */
export const DEMO_ENDPOINT = '';

export interface EndpointChoice {
  connectionId: string;
  model: string;
}

export interface ConnectionChoice {
  id: string;
  name: string;
  defaultModel: string;
}

/** The configured connections as options of a select (after its own demo option). */
export function ConnectionOptions({ connections }: { connections: ConnectionChoice[] }) {
  return (
    <>
      {connections.map((c) => (
        <option key={c.id} value={c.id}>
          {c.name}
        </option>
      ))}
    </>
  );
}

export function EndpointPicker(props: {
  id: string;
  label: string;
  modelLabel: string;
  demoLabel: string;
  value: EndpointChoice;
  connections: ConnectionChoice[];
  onChange: (value: EndpointChoice) => void;
}) {
  const { id, value, connections, onChange } = props;
  return (
    <>
      <div className="field" style={{ flex: 1, minWidth: '12rem' }}>
        <label htmlFor={id}>{props.label}</label>
        <select
          id={id}
          value={value.connectionId}
          onChange={(e) => onChange({ connectionId: e.target.value, model: connections.find((c) => c.id === e.target.value)?.defaultModel ?? value.model })}
        >
          <option value={DEMO_ENDPOINT}>{props.demoLabel}</option>
          <ConnectionOptions connections={connections} />
        </select>
      </div>
      {value.connectionId !== DEMO_ENDPOINT && (
        <div className="field" style={{ flex: 1, minWidth: '10rem' }}>
          <label htmlFor={`${id}-model`}>{props.modelLabel}</label>
          <input id={`${id}-model`} value={value.model} maxLength={200} onChange={(e) => onChange({ ...value, model: e.target.value })} />
        </div>
      )}
    </>
  );
}
