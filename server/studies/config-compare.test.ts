import { describe, expect, it } from 'vitest';
import { configsEqual, diffConfigs } from './config-compare';
import { starterArm, starterStudyConfig } from './template';

describe('diffConfigs', () => {
  it('is empty for equal configs, whatever the key order', () => {
    const a = starterStudyConfig();
    const b = JSON.parse(JSON.stringify(a, Object.keys(a).reverse())) as typeof a;
    expect(configsEqual(a, structuredClone(a))).toBe(true);
    expect(diffConfigs(a, structuredClone(a))).toEqual([]);
    expect(diffConfigs(a, { ...b, ...a })).toEqual([]);
  });

  it('lists changed fields by path, arms by key, and added/removed arms', () => {
    const before = starterStudyConfig();
    const after = structuredClone(before);
    after.title = 'New title';
    after.arms[1]!.systemPrompt = 'Ask first.';
    after.arms.reverse(); // order alone is not a field change of every arm
    after.arms.push(starterArm('extra'));
    after.blindingOptions = ['A', 'B'];
    expect(diffConfigs(before, after)).toEqual([
      { path: 'arms[collabllm].systemPrompt', kind: 'changed', before: before.arms[1]!.systemPrompt, after: 'Ask first.' },
      { path: 'arms[extra]', kind: 'added', after: starterArm('extra') },
      { path: 'blindingOptions', kind: 'changed', before: before.blindingOptions, after: ['A', 'B'] },
      { path: 'title', kind: 'changed', before: before.title, after: 'New title' },
    ]);
    expect(diffConfigs(after, before).find((c) => c.path === 'arms[extra]')).toMatchObject({ kind: 'removed' });
  });
});
