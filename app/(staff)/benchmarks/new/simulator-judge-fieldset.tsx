'use client';
/** The "Simulated user and judge" fieldset of the new-run form: both endpoints and the interactivity scale the judge scores on. */
import type { InteractivityScale } from '~/server/benchmarks/judge-prompts';
import { EndpointPicker, type ConnectionChoice, type EndpointChoice } from '../endpoint-picker';

export function SimulatorJudgeFieldset(props: {
  connections: ConnectionChoice[];
  simulator: EndpointChoice;
  judge: EndpointChoice;
  /** Which of the two a preset left open (their labels ask for an endpoint). */
  openEndpoints: { simulator: boolean; judge: boolean };
  onSimulatorChange: (value: EndpointChoice) => void;
  onJudgeChange: (value: EndpointChoice) => void;
  interactivityScale: InteractivityScale;
  onInteractivityScaleChange: (scale: InteractivityScale) => void;
}) {
  return (
    <fieldset className="card stack">
      <legend className="label">Simulated user and judge</legend>
      <div className="row" style={{ alignItems: 'flex-start' }}>
        <EndpointPicker
          id="simulator"
          label={props.openEndpoints.simulator ? 'Simulated user (choose an endpoint)' : 'Simulated user'}
          modelLabel="Simulator model"
          demoLabel="Scripted demo user (offline)"
          value={props.simulator}
          connections={props.connections}
          onChange={props.onSimulatorChange}
        />
        <EndpointPicker
          id="judge"
          label={props.openEndpoints.judge ? 'Judge (choose an endpoint)' : 'Judge'}
          modelLabel="Judge model"
          demoLabel="Demo judge (offline heuristic)"
          value={props.judge}
          connections={props.connections}
          onChange={props.onJudgeChange}
        />
      </div>
      <div className="field" style={{ maxWidth: '32rem' }}>
        <label htmlFor="interactivity-scale">Interactivity scale</label>
        <select id="interactivity-scale" value={props.interactivityScale} onChange={(e) => props.onInteractivityScaleChange(e.target.value as InteractivityScale)}>
          <option value="released-code">Released code: 1 / 0.5 / 0</option>
          <option value="paper-table1">Paper, Table 1: 3 / 2 / 1, rescaled to 2 (S − 2.5)</option>
        </select>
        <span className="hint">Recorded with every interactivity score and in the judge label.</span>
      </div>
    </fieldset>
  );
}
