import { describe, expect, it } from 'vitest';
import { launchChecklist } from './launch-checklist';
import { starterArm, starterStudyConfig } from './template';

const connection = '00000000-0000-4000-8000-000000000001';

describe('launchChecklist', () => {
  it('flags everything the starter template leaves to change', () => {
    const ids = launchChecklist(starterStudyConfig()).map((i) => i.id);
    expect(ids).toEqual(expect.arrayContaining(['demo-model', 'template-codes', 'template-consent']));
    expect(launchChecklist(starterStudyConfig()).find((i) => i.id === 'demo-model')!.message).toMatch(/^Every arm/);
  });

  it('is empty for a study with real, distinct arms, its own codes, consent and Prolific URL', () => {
    const config = starterStudyConfig();
    config.arms = [
      starterArm('baseline', { connectionId: connection, model: 'gpt-4o-mini', systemPrompt: '' }),
      starterArm('collab', { connectionId: connection, model: 'gpt-4o-mini', systemPrompt: 'Ask before drafting.' }),
    ];
    config.completionCodes = { completed: 'C1X9', noConsent: 'C2X9', failedChecks: 'C3X9', timedOut: 'C4X9' };
    config.consent.text = 'Approved consent text, protocol 2026-17.';
    expect(launchChecklist(config)).toEqual([]);
  });

  it('names identical arms (same endpoint, model and prompt), a missing Prolific URL and partly unchanged codes', () => {
    const config = starterStudyConfig();
    config.arms = [
      starterArm('a', { label: 'Alpha', connectionId: connection, model: 'm', systemPrompt: 'Be helpful.' }),
      starterArm('b', { label: 'Beta', connectionId: connection, model: 'm', systemPrompt: ' Be helpful. ', temperature: 0.2 }),
      starterArm('c', { label: 'Gamma', connectionId: connection, model: 'other', systemPrompt: 'Be helpful.' }),
    ];
    config.prolificCompletionUrl = '';
    config.completionCodes = { ...config.completionCodes, completed: 'MINE1' };
    const items = launchChecklist(config);
    expect(items.filter((i) => i.id === 'identical-arms').map((i) => i.message)).toEqual([
      expect.stringContaining('"Alpha" and "Beta"'),
    ]);
    expect(items.find((i) => i.id === 'prolific-url')!.message).toMatch(/No Prolific completion URL/);
    const codes = items.find((i) => i.id === 'template-codes')!.message;
    expect(codes).toContain('"NOCONSENT"');
    expect(codes).not.toContain('MINE1');
    expect(items.some((i) => i.id === 'demo-model')).toBe(false);
  });

  it('notices a Prolific URL without the {code} placeholder', () => {
    const config = starterStudyConfig();
    config.prolificCompletionUrl = 'https://app.prolific.com/submissions/complete';
    expect(launchChecklist(config).find((i) => i.id === 'prolific-url')!.message).toMatch(/\{code\}/);
  });
});
