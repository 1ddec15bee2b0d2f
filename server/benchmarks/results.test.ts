import { describe as group, expect, it } from 'vitest';
import { describe } from '../stats';
import { summarizeScores, type ScoreRow } from './results';

// A small deterministic generator so the seeded scores are reproducible without fixtures.
function lcg(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1664525 + 1013904223) % 4294967296;
    return s / 4294967296;
  };
}

group('summarizeScores', () => {
  const rand = lcg(42);
  const arms = [
    { key: 'base', label: 'Base' },
    { key: 'collab', label: 'CollabLLM' },
  ];
  const tasks = ['t1', 't2', 't3'].map((id) => ({ id, key: `key-${id}`, documentType: 'blog_post' }));
  const rows: ScoreRow[] = [];
  for (const arm of arms)
    for (const task of tasks)
      for (let r = 0; r < 4; r++) {
        const lift = arm.key === 'collab' ? 1 : 0;
        rows.push({ armKey: arm.key, taskId: task.id, metric: 'quality', value: Math.round(5 + lift + rand() * 4) });
        rows.push({ armKey: arm.key, taskId: task.id, metric: 'tokens_read', value: Math.round(2000 - lift * 300 + rand() * 500) });
        rows.push({ armKey: arm.key, taskId: task.id, metric: 'interactivity', value: [0, 0.5, 1][Math.floor(rand() * 3)]! });
      }
  const summary = summarizeScores(rows, { arms, tasks });
  const vals = (arm: string, metric: string, task?: string) =>
    rows.filter((r) => r.armKey === arm && r.metric === metric && (!task || r.taskId === task)).map((r) => r.value);

  it('matches the stats module for means and 95% CIs', () => {
    for (const arm of arms)
      for (const metric of ['quality', 'tokens_read', 'interactivity'] as const) {
        const d = describe(vals(arm.key, metric));
        const s = summary.arms.find((a) => a.armKey === arm.key)!.metrics[metric]!;
        expect(s).toEqual({ n: 12, mean: d.mean, sd: d.sd, ciLower: d.ciLower, ciUpper: d.ciUpper });
      }
    expect(summary.metrics).toEqual(['quality', 'interactivity', 'tokens_read']);
  });

  it('computes relative improvement against the reference with the direction of each metric', () => {
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const q = summary.relativeImprovements.find((r) => r.armKey === 'collab' && r.metric === 'quality')!.value!;
    expect(q).toBeCloseTo((mean(vals('collab', 'quality')) - mean(vals('base', 'quality'))) / mean(vals('base', 'quality')), 12);
    const t = summary.relativeImprovements.find((r) => r.armKey === 'collab' && r.metric === 'tokens_read')!.value!;
    expect(t).toBeCloseTo((mean(vals('base', 'tokens_read')) - mean(vals('collab', 'tokens_read'))) / mean(vals('base', 'tokens_read')), 12);
    expect(t).toBeGreaterThan(0);
    expect(summary.relativeImprovements.some((r) => r.armKey === 'base')).toBe(false);
  });

  it('reproduces the paper Table 1 relative improvement from its means', () => {
    const paper = summarizeScores(
      [
        { armKey: 'proactive', taskId: 'm', metric: 'bleu_char', value: 35.0 },
        { armKey: 'online_dpo', taskId: 'm', metric: 'bleu_char', value: 36.8 },
        { armKey: 'proactive', taskId: 'm', metric: 'tokens_read', value: 2.18 },
        { armKey: 'online_dpo', taskId: 'm', metric: 'tokens_read', value: 2.0 },
        { armKey: 'proactive', taskId: 'm', metric: 'interactivity', value: 62 },
        { armKey: 'online_dpo', taskId: 'm', metric: 'interactivity', value: 92 },
      ],
      { arms: [{ key: 'proactive', label: 'Proactive Base' }, { key: 'online_dpo', label: 'Online DPO' }] },
    );
    const rel = (m: string) => paper.relativeImprovements.find((r) => r.metric === m)!.value!;
    expect(rel('bleu_char') * 100).toBeCloseTo(5.14, 2);
    expect(rel('tokens_read') * 100).toBeCloseTo(8.26, 2);
    expect(rel('interactivity') * 100).toBeCloseTo(48.39, 2);
  });

  it('breaks results down per task', () => {
    const t2 = summary.perTask.find((t) => t.taskId === 't2')!;
    expect(t2.taskKey).toBe('key-t2');
    const collab = t2.arms.find((a) => a.armKey === 'collab')!.metrics.quality!;
    const v = vals('collab', 'quality', 't2');
    expect(collab).toEqual({ n: 4, mean: v.reduce((a, b) => a + b, 0) / 4 });
  });

  it('handles an arm with no scores and a zero reference', () => {
    const s = summarizeScores([{ armKey: 'a', taskId: 't', metric: 'clarifying_questions', value: 0 }], {
      arms: [{ key: 'a', label: 'A' }, { key: 'b', label: 'B' }],
    });
    expect(s.arms[1]!.metrics.clarifying_questions).toEqual({ n: 0, mean: null, sd: null, ciLower: null, ciUpper: null });
    expect(s.relativeImprovements).toEqual([{ armKey: 'b', metric: 'clarifying_questions', value: null }]);
  });
});
