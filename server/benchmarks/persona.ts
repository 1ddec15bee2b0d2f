/**
 * Simulated-user personas, drawn deterministically from a seed string so a run can be reproduced and
 * each conversation's persona can be stored and read back.
 */
import { createHash } from 'node:crypto';

export const personaOptions = {
  expertise: ['new to this kind of writing', 'has written a few of these before', 'an experienced writer'],
  verbosity: ['terse: one or two short sentences per message', 'moderate: two to four sentences per message', 'chatty: up to six sentences, with asides'],
  tone: ['casual', 'polite and a little formal', 'blunt and direct', 'warm and enthusiastic'],
  quirk: [
    'types quickly and leaves the odd typo or missing capital letter',
    'misremembers one small detail at first and corrects it later',
    'changes their mind about one small preference partway through',
    'answers only the question they find most important when asked several at once',
  ],
} as const;

export interface Persona {
  expertise: (typeof personaOptions.expertise)[number];
  verbosity: (typeof personaOptions.verbosity)[number];
  tone: (typeof personaOptions.tone)[number];
  quirk: (typeof personaOptions.quirk)[number];
}

/**
 * The integer `seed` sent with one role's model calls in a conversation (0 … 2^31 − 1, what OpenAI-compatible
 * endpoints accept), derived from the conversation's seed so a rerun of the run sends the same seeds.
 */
export function requestSeed(conversationSeed: string, role: 'simulator' | 'assistant' | 'judge'): number {
  return createHash('sha256').update(`request:${role}:${conversationSeed}`).digest().readUInt32BE(0) & 0x7fffffff;
}

/** Persona for a seed; the same seed always gives the same persona. */
export function samplePersona(seed: string): Persona {
  const bytes = createHash('sha256').update(`persona:${seed}`).digest();
  const pick = <T>(options: readonly T[], i: number): T => options[bytes.readUInt16BE(i * 2) % options.length] as T;
  return {
    expertise: pick(personaOptions.expertise, 0),
    verbosity: pick(personaOptions.verbosity, 1),
    tone: pick(personaOptions.tone, 2),
    quirk: pick(personaOptions.quirk, 3),
  };
}

/**
 * Seed of one simulated user: run seed × task × replicate. The arm is left out on purpose: every arm
 * meets the same simulated user for a task and replicate, so arm differences are paired, not persona noise.
 */
export function conversationSeed(runSeed: string, taskId: string, replicate: number): string {
  return `${runSeed}:${taskId}:${replicate}`;
}
