import { describe, expect, it } from 'vitest';
import { samplePersona } from '../benchmarks/persona';
import { testStudyConfig } from '../participants/testing/fixtures';
import { pilotArmFor, pilotSettingsSchema } from './config';
import { answerSetupQuestions, heuristicRating, heuristicSurvey, rateInteraction } from './respondent';
import { pilotBrief } from './brief';

const ctx = (seed: string) => ({ persona: samplePersona(seed), seed, documentTypeLabel: 'blog post', topicLabel: 'A memorable trip', target: null });
const draft = `Here is a draft.\n<document>\n${'The harbour was quiet that morning and we walked for hours. '.repeat(20)}\n</document>`;
const history = [
  { role: 'user' as const, content: 'Can you help me write about my trip?' },
  { role: 'assistant' as const, content: 'Who will read it, and what should they take away?' },
  { role: 'user' as const, content: 'My friends; slow travel is worth it.' },
  { role: 'assistant' as const, content: draft },
];

describe('simulated respondents offline', () => {
  it('answers every setup question: a listed option for fixed choices, text otherwise, the same for the same seed', async () => {
    const questions = [
      { id: 'audience', prompt: 'Who will read it?', placeholder: '' },
      { id: 'tone', prompt: 'Which tone?', placeholder: '', options: ['Formal', 'Casual'] },
    ];
    const a = await answerSetupQuestions(ctx('s1'), questions);
    expect(Object.keys(a.value).sort()).toEqual(['audience', 'tone']);
    expect(['Formal', 'Casual']).toContain(a.value.tone);
    expect(a.value.audience!.length).toBeGreaterThan(3);
    expect((await answerSetupQuestions(ctx('s1'), questions)).value).toEqual(a.value);
    expect(a.usage).toEqual({ promptTokens: 0, completionTokens: 0 });
  });

  it('rates on the 1–10 scale and rates a conversation with a draft and questions above one without', async () => {
    for (const seed of ['a', 'b', 'c', 'd', 'e']) {
      const good = heuristicRating(ctx(seed), history, 'r');
      const bare = heuristicRating(ctx(seed), [history[0]!, { role: 'assistant', content: 'OK.' }], 'r');
      expect(good).toBeGreaterThanOrEqual(1);
      expect(good).toBeLessThanOrEqual(10);
      expect(good).toBeGreaterThan(bare);
    }
    expect((await rateInteraction(ctx('a'), history, 3)).value).toBe(heuristicRating(ctx('a'), history, 'rating:3'));
  });

  it("fills the survey within the study's rules: lengths, blinding options, attention checks", () => {
    const config = { ...testStudyConfig(), minFreeTextChars: 150 };
    const survey = heuristicSurvey(ctx('x'), { history, finalDocument: draft, ratings: [7, 8] }, config);
    expect(survey.strengths.length).toBeGreaterThanOrEqual(150);
    expect(survey.weaknesses.length).toBeGreaterThanOrEqual(150);
    expect(config.blindingOptions).toContain(survey.blindingGuess);
    expect(survey.attentionAnswers).toEqual({ check_a: 'Purple', check_b: 'Strongly disagree' });
    for (const v of [survey.documentQuality, survey.overallInteraction]) expect(Number.isInteger(v) && v >= 1 && v <= 10).toBe(true);
  });
});

describe('pilot configuration', () => {
  it('allocates arms in turn so every arm gets participantsPerArm', () => {
    const arms = [{ key: 'a', label: 'A' }, { key: 'b', label: 'B' }, { key: 'c', label: 'C' }];
    const counts: Record<string, number> = {};
    for (let i = 0; i < 12; i++) counts[pilotArmFor({ arms }, i)] = (counts[pilotArmFor({ arms }, i)] ?? 0) + 1;
    expect(counts).toEqual({ a: 4, b: 4, c: 4 });
  });

  it('refuses settings outside the limits', () => {
    expect(pilotSettingsSchema.safeParse({ participantsPerArm: 51, simulator: { connectionId: null }, seed: 's' }).success).toBe(false);
    expect(pilotSettingsSchema.safeParse({ participantsPerArm: 2, simulator: { connectionId: null }, seed: '   ' }).success).toBe(false);
    expect(pilotSettingsSchema.parse({ participantsPerArm: 2, simulator: { connectionId: null }, seed: ' s ' })).toMatchObject({ seed: 's', concurrency: 2 });
  });

  it("builds the simulated user's goal from the study's type, topic and the participant's own answers", () => {
    const config = testStudyConfig();
    const goal = pilotBrief(config, { documentType: 'blog_post', topicId: 'travel', topicAnswers: { audience: 'my hiking club', point: 'slow travel' } });
    expect(goal.brief).toContain('blog post about "A memorable trip"');
    expect(goal.brief).toContain('Who will read it: my hiking club');
    expect(goal.details).toContain('Who will read it: my hiking club.');
  });
});
