/**
 * Python's `str.split()` with no separator: splits on runs of the characters for which `str.isspace()` is
 * true and drops empty strings. JavaScript's `\s` differs (it includes U+FEFF and excludes U+001C–U+001F
 * and U+0085), so the class is spelled out; the list was generated from Python 3.11.
 */
const PYTHON_WHITESPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/u;

export function pythonSplit(text: string): string[] {
  return text.split(PYTHON_WHITESPACE).filter((token) => token.length > 0);
}

/** Characters as Python counts them (Unicode code points, so an emoji is one character, not two). */
export function codePoints(text: string): string[] {
  return Array.from(text);
}

export function countWords(text: string): number {
  return pythonSplit(text).length;
}

export function countCharacters(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}
