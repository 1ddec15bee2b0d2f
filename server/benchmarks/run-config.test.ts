import { describe, expect, it } from 'vitest';
import { demoRunConfig, estimateCostUsd, runConfigSchema } from './run-config';

const arm = (key: string) => ({ key, label: key, connectionId: null, model: 'baseline', systemPrompt: '' });
const taskId = '00000000-0000-4000-8000-000000000001';

describe('runConfigSchema', () => {
  it('fills defaults', () => {
    const c = runConfigSchema.parse({ arms: [arm('base')], taskIds: [taskId], simulator: { connectionId: null }, judge: { connectionId: null } });
    expect(c).toMatchObject({ conversationsPerTask: 1, maxTurns: 7, concurrency: 2, seed: 'collabstudy' });
    expect(c.simulator.temperature).toBe(1);
    expect(c.arms[0]?.temperature).toBe(0.8);
  });

  it('rejects duplicate arms, unknown reference arm and duplicate tasks', () => {
    const r = runConfigSchema.safeParse({
      arms: [arm('a'), arm('a')],
      referenceArmKey: 'z',
      taskIds: [taskId, taskId],
      simulator: { connectionId: null },
      judge: { connectionId: null },
    });
    expect(r.success).toBe(false);
    const paths = r.error?.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['arms.1.key', 'referenceArmKey', 'taskIds']));
  });

  it('estimates cost from per-million prices', () => {
    const cost = estimateCostUsd(
      { assistant: { input: 1, output: 2 }, judge: { input: 10, output: 10 } },
      { assistant: { promptTokens: 1_000_000, completionTokens: 500_000 }, simulator: { promptTokens: 9, completionTokens: 9 } },
    );
    expect(cost).toBeCloseTo(2);
  });
});

describe('demoRunConfig', () => {
  it('uses the demo model for every arm and no connection for simulator and judge', () => {
    const c = demoRunConfig([taskId], { maxTurns: 4 });
    expect(c.arms.map((a) => [a.key, a.connectionId, a.model])).toEqual([
      ['baseline', null, 'baseline'],
      ['proactive', null, 'proactive'],
      ['collabllm', null, 'collabllm'],
    ]);
    expect(c).toMatchObject({ referenceArmKey: 'proactive', maxTurns: 4, simulator: { connectionId: null }, judge: { connectionId: null } });
  });
});
