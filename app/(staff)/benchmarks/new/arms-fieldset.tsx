'use client';
/** The Arms fieldset of the new-run form: the arm cards, and adding the demo arms, a blank arm, a study's arm or a trained model. */
import type { Dispatch, SetStateAction } from 'react';
import { TrainedModelArmPicker, type TrainedModelArm } from '~/app/_components/trained-model-arm-picker';
import type { ConnectionChoice } from '../endpoint-picker';
import { ArmCard } from './arm-card';
import { demoArms, uniqueKey, type ArmDraft, type StudyArmChoice } from './arm-drafts';

export function ArmsFieldset({
  arms,
  setArms,
  referenceArmKey,
  setReferenceArmKey,
  connections,
  studyArms,
  studyArmChoice,
  setStudyArmChoice,
  fieldErrors,
}: {
  arms: ArmDraft[];
  setArms: Dispatch<SetStateAction<ArmDraft[]>>;
  referenceArmKey: string;
  setReferenceArmKey: (key: string) => void;
  connections: ConnectionChoice[];
  studyArms: StudyArmChoice[];
  studyArmChoice: string;
  setStudyArmChoice: (id: string) => void;
  /** The server's complaints about the last submit, by field. */
  fieldErrors: Record<string, string[]> | undefined;
}) {
  function updateArm(i: number, patch: Partial<ArmDraft>) {
    setArms((prev) => prev.map((a, j) => (j === i ? { ...a, ...patch } : a)));
  }
  function addStudyArm() {
    const pick = studyArms.find((s) => s.id === studyArmChoice);
    if (!pick) return;
    setArms((prev) => [
      ...prev,
      {
        key: uniqueKey(pick.arm.key, prev.map((a) => a.key)),
        label: `${pick.arm.label} (${pick.study})`.slice(0, 80),
        connectionId: pick.arm.connectionId,
        model: pick.arm.model,
        systemPrompt: pick.arm.systemPrompt,
        temperature: pick.arm.temperature,
        mode: pick.arm.mode,
        template: pick.arm.template,
      },
    ]);
  }
  function addTrainedArm(trained: TrainedModelArm) {
    setArms((prev) => [...prev, { key: uniqueKey('trained', prev.map((a) => a.key)), label: trained.label, connectionId: trained.connectionId, model: trained.model, systemPrompt: '', temperature: 0.8 }]);
  }
  function addBlankArm() {
    setArms((prev) => [
      ...prev,
      { key: uniqueKey('arm', prev.map((a) => a.key)), label: 'New arm', connectionId: connections[0]?.id ?? null, model: connections[0]?.defaultModel ?? 'baseline', systemPrompt: '', temperature: 0.8 },
    ]);
  }

  return (
    <fieldset className="card stack">
      <legend className="label">Arms</legend>
      <p className="hint small muted">
        Each arm is a model setup to compare. Arms on the <strong>offline demo model</strong> cost nothing and produce demo numbers, not research results.
      </p>
      {arms.length === 0 && <div className="empty">No arms yet. Add the demo arms, an arm from a study, or define one.</div>}
      {arms.map((arm, i) => (
        <ArmCard
          key={i}
          index={i}
          arm={arm}
          connections={connections}
          isReference={referenceArmKey === arm.key}
          onMakeReference={() => setReferenceArmKey(arm.key)}
          onChange={(patch) => updateArm(i, patch)}
          onRemove={() => setArms((prev) => prev.filter((_, j) => j !== i))}
        />
      ))}
      <div className="row">
        <button type="button" className="btn" onClick={() => setArms((prev) => [...prev, ...demoArms().filter((d) => !prev.some((a) => a.key === d.key))])}>
          Add the demo arms
        </button>
        <button type="button" className="btn" onClick={addBlankArm}>
          Define an arm
        </button>
        {studyArms.length > 0 && (
          <>
            <label htmlFor="study-arm" className="small">
              From a study
            </label>
            <select id="study-arm" value={studyArmChoice} onChange={(e) => setStudyArmChoice(e.target.value)}>
              <option value="">Choose an arm…</option>
              {studyArms.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.study} — {s.arm.label}
                  {s.arm.connectionId === null ? ' (demo)' : ''}
                </option>
              ))}
            </select>
            <button type="button" className="btn" disabled={!studyArmChoice} onClick={addStudyArm}>
              Add arm
            </button>
          </>
        )}
      </div>
      <TrainedModelArmPicker id="run-trained-model" onAdd={addTrainedArm} />
      {fieldErrors && Object.keys(fieldErrors).length > 0 && <p className="error-text">Check the arms and settings: {Object.keys(fieldErrors).join(', ')}.</p>}
    </fieldset>
  );
}
