import { describe, expect, it } from 'vitest';
import { conversationReward, meanComponents, pickPreference, summarizeRewards, tokenPenalty } from './reward';

// Values computed by hand (shown in each comment), not by the code under test.
describe('conversationReward', () => {
  it('document task defaults: BLEU weight 1, λ = 1e-4', () => {
    // 1·0.42 − min(1e-4·1500, 1) = 0.42 − 0.15 = 0.27
    const r = conversationReward({ weights: { bleu_char: 1 }, lambda: 1e-4 }, { components: { bleu_char: 0.42 }, tokens: 1500 });
    expect(r.reward).toBeCloseTo(0.27, 12);
    expect(r.terms).toEqual({ bleu_char: 0.42 });
    expect(r.tokenPenalty).toBeCloseTo(-0.15, 12);
  });

  it('adds interactivity with its weight', () => {
    // 1·0.30 + 0.5·1 − 1e-4·2000 = 0.30 + 0.50 − 0.20 = 0.60
    const r = conversationReward({ weights: { bleu_char: 1, interactivity: 0.5 }, lambda: 1e-4 }, { components: { bleu_char: 0.3, interactivity: 1 }, tokens: 2000 });
    expect(r.reward).toBeCloseTo(0.6, 12);
    expect(r.terms.interactivity).toBe(0.5);
  });

  it('caps the token penalty at 1', () => {
    // 5e-4 · 4000 = 2 → capped at 1: 1·1 + 1·0.5 − 1 = 0.5
    const r = conversationReward({ weights: { bleu_word: 1, interactivity: 1 }, lambda: 5e-4 }, { components: { bleu_word: 1, interactivity: 0.5 }, tokens: 4000 });
    expect(r.tokenPenalty).toBe(-1);
    expect(r.reward).toBeCloseTo(0.5, 12);
  });

  it('ignores components with weight 0 and refuses missing weighted ones', () => {
    expect(conversationReward({ weights: { bleu_char: 1, interactivity: 0 }, lambda: 0 }, { components: { bleu_char: 0.2 }, tokens: 10 }).reward).toBeCloseTo(0.2, 12);
    expect(() => conversationReward({ weights: { interactivity: 1 }, lambda: 0 }, { components: {}, tokens: 0 })).toThrow(/interactivity/);
    expect(() => tokenPenalty(-1, 3)).toThrow();
  });
});

describe('summarizeRewards', () => {
  it('mean and population std', () => {
    // [0.2, 0.4, 0.6]: mean 0.4; deviations² 0.04, 0, 0.04 → var 0.08/3 → std 0.16329931618554522
    const s = summarizeRewards([0.2, 0.4, 0.6]);
    expect(s.mean).toBeCloseTo(0.4, 12);
    expect(s.std).toBeCloseTo(0.16329931618554522, 12);
    expect(s.n).toBe(3);
    expect(summarizeRewards([0.5]).std).toBe(0);
  });
  it('means each component', () => {
    expect(meanComponents([{ a: 1, b: 2 }, { a: 3 }])).toEqual({ a: 2, b: 2 });
  });
});

describe('pickPreference', () => {
  it('chooses the highest mean and pairs when the gap reaches the minimum', () => {
    const p = pickPreference([{ idx: 0, mean: 0.3, std: 0.1 }, { idx: 1, mean: 0.35, std: 0.2 }], 0.02);
    expect(p.chosen.idx).toBe(1);
    expect(p.rejected?.idx).toBe(0);
    expect(p.gap).toBeCloseTo(0.05, 12);
  });
  it('drops the pair below the gap, keeps an exact gap', () => {
    expect(pickPreference([{ idx: 0, mean: 0.3, std: 0 }, { idx: 1, mean: 0.31, std: 0 }], 0.02).rejected).toBeNull();
    expect(pickPreference([{ idx: 0, mean: 0.3, std: 0 }, { idx: 1, mean: 0.32, std: 0 }], 0.02).rejected?.idx).toBe(0);
  });
  it('breaks a tie by the lower reward spread', () => {
    const p = pickPreference([{ idx: 0, mean: 0.4, std: 0.3 }, { idx: 1, mean: 0.4, std: 0.1 }], 0.02);
    expect(p.chosen.idx).toBe(1);
    expect(p.rejected).toBeNull();
  });
});
