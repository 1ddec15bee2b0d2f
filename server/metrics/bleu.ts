import { pythonSplit } from './text';

/*
 * Sentence BLEU exactly as NLTK 3.8 computes `sentence_bleu([reference], hypothesis)` with the default
 * weights (0.25, 0.25, 0.25, 0.25) and no smoothing. Written here because no maintained JavaScript package
 * reproduces NLTK's numbers: NLTK clips counts against the reference, floors the precision denominator at 1,
 * returns 0 when no unigram matches, and, for a higher order with no match, substitutes the smallest normal
 * double for the precision (so the score is ~1e-78 rather than exactly 0) — all of which is mirrored below
 * and checked against NLTK itself (scripts/golden/metrics_golden.py).
 */

export type BleuLevel = 'word' | 'char';

export interface BleuOptions {
  /**
   * 'word': tokens are `str.split()` of each string (whitespace tokens).
   * 'char': NLTK applied to the raw strings, so n-grams are over characters (code points). This is what
   * the CollabLLM code computes for MediumDocEdit-Chat (`sentence_bleu([groundtruth], completion)`).
   */
  level: BleuLevel;
}

const MAX_ORDER = 4;
const WEIGHT = 1 / MAX_ORDER;
/** Python's sys.float_info.min, NLTK's stand-in for a zero precision. */
const FLOAT_MIN_NORMAL = 2.2250738585072014e-308;

/**
 * A sequence of tokens and, for each n-gram, a string key that identifies it. Word n-grams are joined with a
 * space (word tokens never contain one). Character n-grams are slices of the original text between
 * code-point offsets — the same string as joining the code points, without building an array per n-gram
 * (character BLEU of a long document otherwise allocates millions of small arrays).
 */
interface Tokens {
  length: number;
  key(start: number, n: number): string;
}

function wordTokens(text: string): Tokens {
  const words = pythonSplit(text);
  return { length: words.length, key: (start, n) => (n === 1 ? words[start]! : words.slice(start, start + n).join(' ')) };
}

function charTokens(text: string): Tokens {
  const offsets: number[] = [];
  let offset = 0;
  for (const cp of text) {
    offsets.push(offset);
    offset += cp.length;
  }
  offsets.push(offset);
  return { length: offsets.length - 1, key: (start, n) => text.slice(offsets[start], offsets[start + n]) };
}

function ngramCounts(tokens: Tokens, n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = tokens.key(i, n);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function modifiedPrecision(reference: Tokens, hypothesis: Tokens, n: number) {
  const hypCounts = ngramCounts(hypothesis, n);
  const refCounts = ngramCounts(reference, n);
  let numerator = 0;
  let total = 0;
  for (const [ngram, count] of hypCounts) {
    numerator += Math.min(count, refCounts.get(ngram) ?? 0);
    total += count;
  }
  return { numerator, denominator: Math.max(1, total) };
}

export function sentenceBleu(reference: string, hypothesis: string, options: BleuOptions): number {
  if (typeof reference !== 'string' || typeof hypothesis !== 'string') throw new TypeError('reference and hypothesis must be strings');
  const tokenize = options.level === 'word' ? wordTokens : charTokens;
  const ref = tokenize(reference);
  const hyp = tokenize(hypothesis);

  const precisions = Array.from({ length: MAX_ORDER }, (_, i) => modifiedPrecision(ref, hyp, i + 1));
  if (precisions[0]!.numerator === 0) return 0;

  const hypLen = hyp.length;
  const refLen = ref.length;
  const brevityPenalty = hypLen > refLen ? 1 : hypLen === 0 ? 0 : Math.exp(1 - refLen / hypLen);

  // Neumaier-compensated sum: NLTK uses math.fsum; with four terms the two agree to the last bit or so.
  let sum = 0;
  let compensation = 0;
  for (const { numerator, denominator } of precisions) {
    const term = WEIGHT * Math.log(numerator === 0 ? FLOAT_MIN_NORMAL : numerator / denominator);
    const next = sum + term;
    compensation += Math.abs(sum) >= Math.abs(term) ? sum - next + term : term - next + sum;
    sum = next;
  }
  return brevityPenalty * Math.exp(sum + compensation);
}
