import { Tiktoken } from 'js-tiktoken/lite';
import cl100kBase from 'js-tiktoken/ranks/cl100k_base';

// Building the encoder parses ~100k BPE ranks (tens of milliseconds), so it is made once per process.
let encoder: Tiktoken | null = null;

function cl100k(): Tiktoken {
  encoder ??= new Tiktoken(cl100kBase);
  return encoder;
}

/**
 * Tokens in `text` under tiktoken's cl100k_base (what the CollabLLM code counts with). Text that looks like
 * a special token ("<|endoftext|>") is counted as ordinary text instead of throwing as tiktoken does by
 * default: participants can type anything.
 */
export function countTokens(text: string): number {
  if (text.length === 0) return 0;
  return cl100k().encode(text, [], []).length;
}

export function encodeCl100k(text: string): number[] {
  return cl100k().encode(text, [], []);
}

export function decodeCl100k(tokens: number[]): string {
  return cl100k().decode(tokens);
}
