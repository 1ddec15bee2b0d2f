import { describe, expect, it } from 'vitest';
import { cleanText, isCleanText } from './text';
import { parseCookieHeader } from './cookies';

describe('cleanText', () => {
  it('drops U+0000 and replaces lone surrogates, keeping pairs and everything else', () => {
    expect(cleanText('a\u0000b')).toBe('ab');
    expect(cleanText('x\uD800y')).toBe('x\uFFFDy');
    expect(cleanText('x\uDC00')).toBe('x\uFFFD');
    expect(cleanText('\uDC00\uD800')).toBe('\uFFFD\uFFFD');
    expect(cleanText('emoji 😀 ok')).toBe('emoji 😀 ok');
    expect(cleanText('ünïcödé – fine')).toBe('ünïcödé – fine');
    // What Postgres jsonb refuses: JSON.stringify escapes a lone surrogate, never after cleaning.
    expect(JSON.stringify(cleanText('\uD83D'))).toBe('"\uFFFD"');
  });

  it('tells clean strings apart', () => {
    expect(isCleanText('plain-slug')).toBe(true);
    expect(isCleanText('😀')).toBe(true);
    expect(isCleanText('a\u0000')).toBe(false);
    expect(isCleanText('\uD800')).toBe(false);
  });
});

describe('parseCookieHeader', () => {
  it('keeps a value with a broken percent-escape as sent instead of throwing', () => {
    const jar = parseCookieHeader('cs_p_x=%E0%A4%A; other=a%20b; quoted="v"; =nameless; cs_p_x=second');
    expect(jar.get('cs_p_x')).toBe('%E0%A4%A');
    expect(jar.get('other')).toBe('a b');
    expect(jar.get('quoted')).toBe('v');
    expect(jar.size).toBe(3);
  });

  it('reads an empty or missing header as no cookies', () => {
    expect(parseCookieHeader(null).size).toBe(0);
    expect(parseCookieHeader('').size).toBe(0);
  });
});
