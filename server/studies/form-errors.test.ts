import { describe, expect, it } from 'vitest';
import { studyConfigSchema } from './config';
import { describeFieldPath, issuesToErrors } from './form-errors';
import { starterStudyConfig } from './template';

describe('study form errors', () => {
  it('keys errors by config path with wording for people', () => {
    const config = starterStudyConfig();
    config.arms[0]!.key = '';
    config.arms[1]!.temperature = Number.NaN;
    config.minTurns = 2.5;
    config.topics = [];
    config.consent.version = 'x'.repeat(41);
    const result = studyConfigSchema.safeParse(config);
    expect(result.success).toBe(false);
    const errors = issuesToErrors(result.error!.issues);
    expect(errors).toMatchObject({
      'arms.0.key': 'required',
      'arms.1.temperature': 'enter a number',
      minTurns: 'enter a whole number',
      topics: 'add at least one',
      'consent.version': 'at most 40 characters',
    });
  });

  it('keeps the first message per field and passes custom messages through', () => {
    const config = starterStudyConfig();
    config.arms[1]!.key = config.arms[0]!.key;
    config.maxTurns = 1;
    config.attentionChecks[0]!.correctOption = 'Not an option';
    const errors = issuesToErrors(studyConfigSchema.safeParse(config).error!.issues);
    expect(errors).toEqual({
      'arms.1.key': 'duplicate arm key',
      maxTurns: 'must be at least the minimum turns',
      'attentionChecks.0.correctOption': 'must be one of the options',
    });
  });
});

describe('describeFieldPath', () => {
  it('names fields by their on-screen labels, with the list item they belong to', () => {
    expect(describeFieldPath('arms.1.model')).toBe('Arm 2 · Model');
    expect(describeFieldPath('arms.0.key')).toBe('Arm 1 · Key');
    expect(describeFieldPath('completionCodes.noConsent')).toBe('Code: did not consent');
    expect(describeFieldPath('consent.text')).toBe('Consent text');
    expect(describeFieldPath('attentionChecks.0.correctOption')).toBe('Attention check 1 · Correct option');
    expect(describeFieldPath('maxTurns')).toBe('Maximum turns');
    expect(describeFieldPath('blindingOptions.2')).toBe('Blinding option 3');
    expect(describeFieldPath('someNewSetting')).toBe('Some new setting');
  });
});
