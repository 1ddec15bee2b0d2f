/**
 * tiktoken's cl100k_base (what the CollabLLM code counts with), through `gpt-tokenizer`: the same token
 * ids as tiktoken and js-tiktoken (checked against fixtures in metrics.test.ts), at half the memory and
 * several times the speed of js-tiktoken, which mattered because every benchmark conversation and every
 * participant's metrics count every message. Its merge cache is bounded, so memory stays flat.
 */
import { countTokens as countCl100k, decode, encode } from 'gpt-tokenizer/encoding/cl100k_base';

/**
 * Special-token text ("<|endoftext|>") is counted as ordinary text instead of throwing, as tiktoken does by
 * default: participants can type anything.
 */
const ORDINARY_TEXT = { disallowedSpecial: new Set<string>() };

/** Tokens in `text` under cl100k_base. */
export function countTokens(text: string): number {
  if (text.length === 0) return 0;
  return countCl100k(text, ORDINARY_TEXT);
}

export function encodeCl100k(text: string): number[] {
  return encode(text, ORDINARY_TEXT);
}

export function decodeCl100k(tokens: number[]): string {
  return decode(tokens);
}
