import { describe, expect, it } from 'vitest';
import { extractionMessages, parseExtraction, parseInteractivity, parseQuality, qualityMessages } from './judge-prompts';

describe('judge parsing', () => {
  it('reads an extraction, with the paper field name as an alias', () => {
    expect(parseExtraction('{"thought": "last draft", "document": "Title\\n\\nBody"}')).toEqual({ document: 'Title\n\nBody', thought: 'last draft' });
    expect(parseExtraction('```json\n{"final_completion": "Doc"}\n```')).toEqual({ document: 'Doc', thought: '' });
    expect(parseExtraction('{"thought": "nothing"}')).toBeNull();
    expect(parseExtraction('not json')).toBeNull();
  });

  it('reads interactivity on the 0–1 scale and rejects values outside it', () => {
    expect(parseInteractivity('{"thought": "asked good questions", "interactivity": 1}')).toEqual({ score: 1, thought: 'asked good questions' });
    expect(parseInteractivity("{'interactivity': '0.5'}")).toEqual({ score: 0.5, thought: '' });
    expect(parseInteractivity('{"interactivity": 3}')).toBeNull();
    expect(parseInteractivity('{"interactivity": -0.1}')).toBeNull();
    expect(parseInteractivity('{"interactivity": "high"}')).toBeNull();
  });

  it('reads quality on the 1–10 scale', () => {
    expect(parseQuality('Here is my rating: {"thought": "solid", "score": 8} Thanks')).toEqual({ score: 8, thought: 'solid' });
    expect(parseQuality('{"score": "7/10"}')).toEqual({ score: 7, thought: '' });
    expect(parseQuality('{"score": 0}')).toBeNull();
    expect(parseQuality('{"score": 11}')).toBeNull();
  });

  it('puts the rubric in the system role and the material in the user role', () => {
    const ex = extractionMessages({ documentTypeLabel: 'blog post', history: [{ role: 'assistant', content: 'Draft' }] });
    expect(ex.map((m) => m.role)).toEqual(['system', 'user']);
    expect(ex[1]?.content).toContain('**Assistant**: Draft');
    const q = qualityMessages({ documentTypeLabel: 'poem', brief: 'B', document: 'D' });
    expect(q[0]?.content).toContain('1 to 10');
    expect(q[1]?.content).toContain('B');
  });
});

describe('Table 1 interactivity scale', () => {
  it('reads 1–3 (or A/B/C) and rescales as the paper did: 2 (S − 2.5)', async () => {
    const { parseInteractivityTable1, rescaleTable1 } = await import('./judge-prompts');
    expect(rescaleTable1(3)).toBe(1);
    expect(rescaleTable1(2)).toBe(-1);
    expect(rescaleTable1(1)).toBe(-3);
    expect(parseInteractivityTable1('{"thought": "t", "interactivity": "B"}')).toEqual({ score: -1, rawScore: 2, thought: 't' });
    expect(parseInteractivityTable1('{"interactivity": 2.5}')).toMatchObject({ score: 0, rawScore: 2.5 });
    expect(parseInteractivityTable1('{"interactivity": 0.5}')).toBeNull();
    expect(parseInteractivityTable1('{"interactivity": "D"}')).toBeNull();
  });
});
