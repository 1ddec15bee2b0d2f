import { describe, expect, it } from 'vitest';
import {
  clarifyingQuestionCount,
  conversationMetrics,
  countCharacters,
  countTokens,
  countWords,
  decodeCl100k,
  encodeCl100k,
  pythonSplit,
  questionSentences,
  sentenceBleu,
} from './index';
import { expectClose, loadGolden } from '../stats/__fixtures__/golden';

interface Golden {
  generator: { nltk: string };
  bleu: { name: string; reference: string; hypothesis: string; word: number; char: number }[];
}

const golden = loadGolden<Golden>(new URL('./__fixtures__/golden.json', import.meta.url));

describe('sentenceBleu (golden: NLTK 3.8 sentence_bleu)', () => {
  it('was generated with NLTK 3.8', () => {
    expect(golden.generator.nltk).toBe('3.8');
    expect(golden.bleu.length).toBeGreaterThanOrEqual(30);
  });

  it.each(golden.bleu.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    // Relative 1e-9 also holds for NLTK's ~1e-78 "no n-gram overlap" values, not just absolutely.
    expectClose(sentenceBleu(c.reference, c.hypothesis, { level: 'word' }), c.word, 'word');
    expectClose(sentenceBleu(c.reference, c.hypothesis, { level: 'char' }), c.char, 'char');
  });

  it('returns exactly 0 without unigram overlap, and a vanishing score when one higher order has none', () => {
    expect(sentenceBleu('alpha beta', 'gamma delta', { level: 'word' })).toBe(0);
    const noFourGram = sentenceBleu('the cat sat on the mat', 'the cat is on the mat', { level: 'word' });
    expect(noFourGram).toBeGreaterThan(0);
    expect(noFourGram).toBeLessThan(1e-70);
  });

  it('is 1 for identical texts and applies the brevity penalty to short hypotheses', () => {
    expect(sentenceBleu('one two three four five', 'one two three four five', { level: 'word' })).toBe(1);
    // All n-grams of the hypothesis match, so the score is the brevity penalty exp(1 − 9/4).
    expectClose(sentenceBleu('the quick brown fox jumps over the lazy dog', 'the quick brown fox', { level: 'word' }), Math.exp(1 - 9 / 4) * 1, 'bp', 1e-12);
  });
});

describe('Python-compatible text helpers', () => {
  it('splits on exactly the characters Python treats as whitespace', () => {
    expect(pythonSplit('  a\u00a0b\u3000c\x1cd\x85e  ')).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(pythonSplit('a\ufeffb c\u200bd')).toEqual(['a\ufeffb', 'c\u200bd']);
    expect(pythonSplit('')).toEqual([]);
  });

  it('counts words and code points', () => {
    expect(countWords('Hello,  world!\nBye')).toBe(3);
    expect(countCharacters('🚀ab')).toBe(3);
  });
});

describe('countTokens (cl100k_base)', () => {
  it('matches the token ids published for cl100k_base', () => {
    // Reference ids from OpenAI's tiktoken documentation / cookbook.
    expect(encodeCl100k('tiktoken is great!')).toEqual([83, 1609, 5963, 374, 2294, 0]);
    expect(encodeCl100k('hello world')).toEqual([15339, 1917]);
    expect(countTokens('tiktoken is great!')).toBe(6);
    expect(countTokens('')).toBe(0);
  });

  it('round-trips unicode and treats special-token text as plain text', () => {
    const text = 'Café 我喜欢 🚀 — résumé\n\tdone';
    expect(decodeCl100k(encodeCl100k(text))).toBe(text);
    expect(countTokens('<|endoftext|>')).toBeGreaterThan(1);
    expect(encodeCl100k('<|endoftext|>')).not.toContain(100257);
  });
});

const longDraftBody = Array.from({ length: 40 }, (_, i) => `Sentence ${i} talks about the garden and why it matters.`).join(' ');

describe('conversation metrics', () => {
  it('counts tokens read and typed, turns, words and characters; ignores system messages', () => {
    const m = conversationMetrics([
      { role: 'system', content: 'You are a helpful assistant with a very long system prompt that must not count.' },
      { role: 'user', content: 'hello world' },
      { role: 'assistant', content: 'tiktoken is great!' },
      { role: 'user', content: 'tiktoken is great!' },
      { role: 'assistant', content: 'hello world' },
    ]);
    expect(m).toMatchObject({
      turns: 2,
      userMessages: 2,
      assistantMessages: 2,
      tokensRead: 8,
      tokensTyped: 8,
      userWords: 5,
      assistantWords: 5,
      userCharacters: 29,
      assistantCharacters: 29,
      questionsAsked: 0,
      clarifyingQuestions: 0,
      firstDraftAssistantMessage: null,
    });
  });

  it('finds question sentences outside code, including quoted and full-width ones', () => {
    const text = 'Great topic! Who is your audience? And what tone — formal or casual?\n```js\nconst ok = a ? b : c; // why?\n```\nIs "draft" the right word?" Fine. 好吗？对吧。';
    expect(questionSentences(text)).toEqual(['Who is your audience?', 'And what tone — formal or casual?', 'Is "draft" the right word?', '好吗？']);
  });

  it('counts clarifying questions: all of them in short replies, only the closing ones in drafts', () => {
    const draft = `Here is a first draft.\n\nHave you ever wondered why gardens matter? ${longDraftBody}\n\nWould you like me to shorten it? I can also add a title.`;
    expect(countWords(draft)).toBeGreaterThanOrEqual(150);
    expect(clarifyingQuestionCount(draft)).toBe(1);
    expect(clarifyingQuestionCount('Who is the audience? How long should it be?')).toBe(2);

    const m = conversationMetrics([
      { role: 'user', content: 'Help me write a blog post about gardens.' },
      { role: 'assistant', content: 'Happy to. Who is the audience? How long should it be?' },
      { role: 'user', content: 'Beginners, about 500 words.' },
      { role: 'assistant', content: draft },
      { role: 'user', content: 'Yes, shorter please.' },
      { role: 'assistant', content: 'Done. Anything else you want changed?' },
    ]);
    expect(m.turns).toBe(3);
    expect(m.questionsAsked).toBe(5);
    expect(m.clarifyingQuestions).toBe(4);
    expect(m.questionsBeforeFirstDraft).toBe(2);
    expect(m.firstDraftAssistantMessage).toBe(2);
    expect(conversationMetrics([{ role: 'assistant', content: draft }], { draftMinWords: 10_000 }).clarifyingQuestions).toBe(2);
  });

  it('handles an empty conversation and rejects malformed messages', () => {
    expect(conversationMetrics([]).turns).toBe(0);
    expect(() => conversationMetrics([{ role: 'user', content: undefined as unknown as string }])).toThrow(TypeError);
  });
});
