'use client';
/** The Tasks fieldset of the new-run form: pick a task set, then the tasks of it to run. */

export interface TaskSetChoice {
  id: string;
  name: string;
  tasks: { id: string; key: string }[];
}

export function TasksFieldset({
  taskSets,
  currentSet,
  chosen,
  onChooseSet,
  onSelectTasks,
}: {
  taskSets: TaskSetChoice[];
  currentSet: TaskSetChoice | undefined;
  /** The selected task ids of the current set. */
  chosen: Set<string>;
  onChooseSet: (taskSetId: string) => void;
  onSelectTasks: (taskIds: Set<string>) => void;
}) {
  const tasks = currentSet?.tasks ?? [];
  return (
    <fieldset className="card stack">
      <legend className="label">Tasks</legend>
      {taskSets.length === 0 ? (
        <div className="empty">No task sets yet. Import one under Task sets.</div>
      ) : (
        <>
          <div className="field">
            <label htmlFor="task-set">Task set</label>
            <select id="task-set" value={currentSet?.id} onChange={(e) => onChooseSet(e.target.value)}>
              {taskSets.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name} ({s.tasks.length} tasks)
                </option>
              ))}
            </select>
          </div>
          <div className="row">
            <span className="small">
              {chosen.size} of {tasks.length} tasks selected
            </span>
            <button type="button" className="btn" onClick={() => onSelectTasks(new Set(tasks.map((t) => t.id)))}>
              Select all
            </button>
            <button type="button" className="btn" onClick={() => onSelectTasks(new Set())}>
              Select none
            </button>
          </div>
          <div style={{ maxHeight: '14rem', overflowY: 'auto', columns: '16rem' }}>
            {tasks.map((t) => (
              <label key={t.id} className="small" style={{ display: 'block' }}>
                <input
                  type="checkbox"
                  checked={chosen.has(t.id)}
                  onChange={(e) => {
                    const next = new Set(chosen);
                    if (e.target.checked) next.add(t.id);
                    else next.delete(t.id);
                    onSelectTasks(next);
                  }}
                />{' '}
                <span className="mono">{t.key}</span>
              </label>
            ))}
          </div>
        </>
      )}
    </fieldset>
  );
}
