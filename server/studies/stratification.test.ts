import { describe, expect, it } from 'vitest';
import { testStudyConfig } from '../participants/testing/fixtures';
import { isFixedChoiceQuestion, stratificationOf, studyConfigSchema, storedStudyConfigSchema } from './config';

const base = testStudyConfig();
const withQuestions = (extra: Record<string, unknown>) => ({
  ...base,
  topicQuestions: [...base.topicQuestions, { id: 'level', prompt: 'How often do you write?', options: ['Rarely', 'Often'] }],
  ...extra,
});
function issuesOf(input: unknown) {
  const r = studyConfigSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('stratification in the study config', () => {
  it('is off by default, and configs saved before the setting existed still load unchanged', () => {
    expect(base.stratification).toBeUndefined();
    expect(stratificationOf(base)).toEqual({ by: 'none' });
    const { stratification: _omit, ...old } = base;
    expect(storedStudyConfigSchema.parse(old)).toEqual(old);
  });

  it('accepts document type and a fixed-choice topic question', () => {
    expect(issuesOf({ ...base, stratification: { by: 'documentType' } })).toEqual([]);
    const parsed = studyConfigSchema.parse(withQuestions({ stratification: { by: 'topicQuestion', questionId: 'level' } }));
    expect(stratificationOf(parsed)).toEqual({ by: 'topicQuestion', questionId: 'level' });
    expect(isFixedChoiceQuestion(parsed.topicQuestions[2]!)).toBe(true);
    expect(isFixedChoiceQuestion(parsed.topicQuestions[0]!)).toBe(false);
  });

  it('refuses a free-text or unknown question as a stratum, and malformed options', () => {
    expect(issuesOf(withQuestions({ stratification: { by: 'topicQuestion', questionId: 'audience' } }))).toEqual([
      'stratification.questionId: only a topic question with fixed options (two or more) can be a stratum',
    ]);
    expect(issuesOf(withQuestions({ stratification: { by: 'topicQuestion', questionId: 'nope' } }))).toEqual([
      'stratification.questionId: must be the id of one of the topic questions',
    ]);
    const oneOption = { ...base, topicQuestions: [{ id: 'q', prompt: 'Q?', options: ['Only'] }] };
    expect(issuesOf(oneOption)).toEqual(['topicQuestions.0.options: give at least two options, or none for a free-text answer']);
    const dupes = { ...base, topicQuestions: [{ id: 'q', prompt: 'Q?', options: ['A', 'A'] }] };
    expect(issuesOf(dupes)).toEqual(['topicQuestions.0.options: options must be different from each other']);
    expect(issuesOf({ ...base, stratification: { by: 'arm' } }).length).toBeGreaterThan(0);
  });
});
