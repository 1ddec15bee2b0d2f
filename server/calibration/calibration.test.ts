import { describe, expect, it } from 'vitest';
import { judgeScaleWidth, judgeToUnit, ratingToUnit } from './scales';
import { matchArms, rankAgreement, type MatchableArm } from './sim-vs-people';

const arm = (key: string, model: string, systemPrompt = ''): MatchableArm => ({ key, label: key, connectionId: null, model, systemPrompt });

describe('common 0–1 scale', () => {
  it('maps ratings, judge quality and both interactivity scales linearly onto 0–1', () => {
    expect([1, 10, 5.5].map(ratingToUnit)).toEqual([0, 1, 0.5]);
    expect(judgeToUnit('quality', 10, 'j')).toBe(1);
    expect(judgeToUnit('interactivity', 0.5, 'j')).toBe(0.5);
    // Table 1: raw 1 / 2 / 3 stored as −3 / −1 / 1.
    expect([-3, -1, 1].map((v) => judgeToUnit('interactivity', v, 'm@judge-v1+itr-table1#c'))).toEqual([0, 0.5, 1]);
    expect(judgeToUnit('interactivity', 1, 'plain-label', { interactivityScale: 'paper-table1' })).toBe(1);
    expect(judgeToUnit('interactivity', 1, 'x+itr-table1', { interactivityScale: 'released-code' })).toBe(1);
    expect(judgeToUnit('turns', 3, 'j')).toBeNull();
    expect([judgeScaleWidth('quality', 'j'), judgeScaleWidth('interactivity', 'j'), judgeScaleWidth('interactivity', 'j+itr-table1')]).toEqual([9, 1, 4]);
  });
});

describe('matchArms', () => {
  it('prefers the researcher’s choice, then the key, then the same model and prompt; one to one', () => {
    const study = [arm('base', 'gpt', ''), arm('collab', 'gpt', 'Ask first.'), arm('extra', 'other')];
    const run = [arm('base', 'gpt', ''), arm('c2', 'gpt', '  Ask first. '), arm('c3', 'gpt', 'Ask first.')];
    expect(matchArms(study, run)).toEqual({
      matches: [
        { studyArmKey: 'base', runArmKey: 'base', how: 'key' },
        { studyArmKey: 'collab', runArmKey: 'c2', how: 'identity' },
      ],
      unmatchedStudyArms: ['extra'],
      unmatchedRunArms: ['c3'],
    });
    const chosen = matchArms(study, run, { collab: 'c3', extra: 'base', nope: 'c2' });
    expect(chosen.matches).toEqual([
      { studyArmKey: 'collab', runArmKey: 'c3', how: 'chosen' },
      { studyArmKey: 'extra', runArmKey: 'base', how: 'chosen' },
    ]);
    expect(chosen.unmatchedStudyArms).toEqual(['base']);
  });
});

describe('rankAgreement', () => {
  it('counts pairs of arms ordered alike, the other way or tied, and gives tau from three arms on', () => {
    const mixed = rankAgreement([
      { arm: 'r', people: 0, simulation: 0 },
      { arm: 'a', people: 0.2, simulation: 0.1 },
      { arm: 'b', people: 0.1, simulation: 0.3 },
    ]);
    expect(mixed).toMatchObject({ concordantPairs: 2, discordantPairs: 1, tiedPairs: 0, sameOrder: false });
    expect(mixed.tau).toBeCloseTo(1 / 3, 14);
    expect(rankAgreement([
      { arm: 'r', people: 0, simulation: 0 },
      { arm: 'a', people: 0, simulation: 0.1 },
    ])).toMatchObject({ tiedPairs: 1, sameOrder: false, tau: null });
    expect(rankAgreement([{ arm: 'r', people: 0, simulation: 0 }, { arm: 'a', people: null, simulation: 0.2 }])).toMatchObject({ arms: ['r'], sameOrder: null });
  });
});
