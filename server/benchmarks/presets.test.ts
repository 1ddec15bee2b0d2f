import { describe, expect, it } from 'vitest';
import { BUILTIN_PRESETS } from './builtin-presets';
import { endpointsToFill, parsePreset, presetFromConfig, PRESET_VERSION, studyArmsFromPreset } from './presets';
import { studyConfigSchema } from '../studies/config';
import { testStudyConfig } from '../participants/testing/fixtures';
import { runConfigSchema, demoRunConfig } from './run-config';

const CONN = '11111111-1111-4111-8111-111111111111';

describe('presets', () => {
  it('round-trips a run setup through JSON and back into a valid run config', () => {
    const config = demoRunConfig(['00000000-0000-4000-8000-000000000000'], {
      judge: { connectionId: CONN, model: 'judge', interactivityScale: 'paper-table1' },
    });
    config.arms[1] = { ...config.arms[1]!, mode: 'template', template: { text: 'Chat: {{conversation}}', responseField: 'answer', parseRetries: 3 } };
    const preset = presetFromConfig({ name: 'My setup', config });
    const text = JSON.stringify(preset, null, 2);
    const back = parsePreset(text);
    expect(back).toEqual({ ok: true, preset });
    if (!back.ok) return;
    expect(back.preset.presetVersion).toBe(PRESET_VERSION);
    expect(back.preset.arms[1]).toMatchObject({ mode: 'template', template: { responseField: 'answer', parseRetries: 3 } });
    expect(back.preset.judge).toEqual({ connectionId: CONN, model: 'judge', interactivityScale: 'paper-table1' });
    const rebuilt = runConfigSchema.parse({ ...back.preset, taskIds: config.taskIds });
    expect(rebuilt.arms).toEqual(config.arms);
    expect(endpointsToFill(back.preset, [])).toEqual(['judge']);
    expect(endpointsToFill(back.preset, [CONN])).toEqual([]);
  });

  it('gives clear errors for bad JSON, an unknown version and invalid fields', () => {
    expect(parsePreset('{nope')).toMatchObject({ ok: false, errors: [expect.stringMatching(/^Not valid JSON/)] });
    expect(parsePreset('{"presetVersion": 7}')).toEqual({
      ok: false,
      errors: ['presetVersion 7 is not supported; this version reads presetVersion 1.'],
    });
    const bad = parsePreset(
      JSON.stringify({
        presetVersion: 1,
        name: 'x',
        arms: [
          { key: 'a', label: 'A', model: 'm', systemPrompt: '', mode: 'template', template: { text: '{{oops}}' } },
          { key: 'a', label: 'B', model: 'm', systemPrompt: '' },
        ],
        simulator: {},
        judge: {},
      }),
    );
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.errors).toEqual([
      'arms.1.key: duplicate arm key',
      expect.stringMatching(/^arms\.0\.template\.text: unknown placeholder \{\{oops\}\}/),
      expect.stringMatching(/^arms\.0\.template\.text: the template must include the conversation/),
    ]);
    const scale = parsePreset(JSON.stringify({ presetVersion: 1, name: 'x', arms: [{ key: 'a', label: 'A', model: 'm', systemPrompt: '' }], simulator: {}, judge: { interactivityScale: 'stars' } }));
    expect(scale).toMatchObject({ ok: false, errors: [expect.stringMatching(/^judge\.interactivityScale: /)] });
  });

  it('ships the four presets, valid, with endpoints left to fill in', () => {
    expect(BUILTIN_PRESETS.map((p) => p.name)).toEqual(['Plain baseline', 'Proactive prompt', 'Collaborative prompt', 'Released checkpoint on vLLM']);
    for (const p of BUILTIN_PRESETS) {
      expect(endpointsToFill(p, [])).toContain('judge');
      expect(parsePreset(JSON.stringify(p))).toEqual({ ok: true, preset: p });
    }
    expect(BUILTIN_PRESETS[1]!.arms[1]).toMatchObject({ mode: 'template', template: { responseField: 'response' } });
  });
});

describe('presets for study arms', () => {
  it('turns a preset into study arms, filling open endpoints and listing them', () => {
    const proactive = BUILTIN_PRESETS.find((p) => p.name === 'Proactive prompt')!;
    const withConnection = studyArmsFromPreset(proactive, [{ id: CONN }]);
    expect(withConnection.toCheck).toEqual(['base', 'proactive']);
    expect(withConnection.arms.map((a) => a.connectionId)).toEqual([CONN, CONN]);
    // The template arm stays a template arm, and the study schema accepts the arms as they are.
    const config = studyConfigSchema.parse({ ...testStudyConfig(), arms: withConnection.arms });
    expect(config.arms[1]).toMatchObject({ mode: 'template', template: { responseField: 'response' } });
    const offline = studyArmsFromPreset(proactive, []);
    expect(offline.arms.map((a) => [a.connectionId, a.model])).toEqual([
      [null, 'baseline'],
      [null, 'baseline'],
    ]);
  });
});
