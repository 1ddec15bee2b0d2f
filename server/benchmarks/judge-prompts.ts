/**
 * LLM-judge prompts and the parsing of their replies (pure). Rubrics go in the system role; the
 * conversation goes in the user role. Our own wording; the interactivity anchors (1 / 0.5 / 0) and the
 * extraction step follow the CollabLLM paper's evaluation.
 */
import type { ChatMessage } from '../llm/types';
import { extractJsonObject, numberField, stringField } from './json';
import { renderTranscript, type TranscriptMessage } from './simulator-prompt';

/** Bump when any judge prompt or parsing rule changes; stored in every score's details. */
export const JUDGE_PROMPT_VERSION = 'judge-v1';

export const EXTRACTION_SYSTEM = `You read a conversation between a user and an AI writing assistant and extract the final document they produced together.

Rules:
- Return the latest complete version of the document, with every revision the user asked for and the assistant made merged into one coherent text.
- Use the assistant's wording. Do not improve, shorten, summarise or add anything.
- Leave out chat around the document (greetings, questions, offers of further help, notes about changes).
- If no document was ever written, return an empty string.

Reply with one JSON object and nothing else:
{"thought": "<one or two sentences on which parts make up the final version>", "document": "<the final document>"}`;

export const INTERACTIVITY_SYSTEM = `You evaluate how interactive an AI assistant was in a conversation with a user who wanted a document written. Judge the assistant only, not the user and not the document.

Interactivity means: the assistant engaged with the user, asked about what it could not know, checked its understanding, made its questions specific and easy to answer, and adapted to the user's answers and feedback.

Score with these anchors:
- 1 (highly interactive): the assistant asks specific, relevant questions where the request is open, builds on every answer, and checks the result with the user. Example: asked to write about climate change, it asks who the audience is, which aspect matters most and what length is needed, then drafts and asks what to adjust.
- 0.5 (moderately interactive): some engagement, but questions are generic, come late or miss obvious gaps, or answers are only partly used. Example: it writes a generic climate-change piece and then asks "anything else?".
- 0 (low interactivity): no questions and no checking; the assistant assumes everything and just produces text. Example: it writes about climate change without asking anything and never refers to the user's situation.
You may give values between the anchors.

Reply with one JSON object and nothing else:
{"thought": "<your reasoning in two to four sentences>", "interactivity": <number from 0 to 1>}`;

export const QUALITY_SYSTEM = `You rate the quality of a document an AI assistant wrote for a user. You see what the user wanted (their private brief) and the final document.

Rate from 1 to 10:
- 9–10: meets every stated requirement, well organised, vivid or persuasive as the genre needs, no errors.
- 7–8: meets almost all requirements with minor weaknesses in structure, tone or detail.
- 5–6: usable but misses some requirements or is generic in places.
- 3–4: misses several requirements or has clear problems of coherence or tone.
- 1–2: unrelated to the brief, mostly missing, or unusable.

Reply with one JSON object and nothing else:
{"thought": "<your reasoning in two to four sentences>", "score": <integer from 1 to 10>}`;

/**
 * The same rubric on the three-point scale the paper's Table 1 was scored with (3 / 2 / 1, rescaled by
 * `rescaleTable1`). Our wording; only the anchors' values and the rescaling come from the paper.
 */
export const INTERACTIVITY_TABLE1_SYSTEM = `You evaluate how interactive an AI assistant was in a conversation with a user who wanted a document written. Judge the assistant only, not the user and not the document.

Interactivity means: the assistant engaged with the user, asked about what it could not know, checked its understanding, made its questions specific and easy to answer, and adapted to the user's answers and feedback.

Score on this three-point scale:
- 3 (highly interactive): specific, relevant questions where the request is open; every answer is built on; the result is checked with the user.
- 2 (moderately interactive): some engagement, but questions are generic, late or miss obvious gaps, or answers are only partly used.
- 1 (low interactivity): no questions and no checking; the assistant assumes everything and just produces text.
You may give values between the anchors.

Reply with one JSON object and nothing else:
{"thought": "<your reasoning in two to four sentences>", "interactivity": <number from 1 to 3>}`;

/** How interactivity is scored: the released code's anchors (1 / 0.5 / 0) or the paper's Table 1 scale. */
export const INTERACTIVITY_SCALES = ['released-code', 'paper-table1'] as const;
export type InteractivityScale = (typeof INTERACTIVITY_SCALES)[number];

/** The paper's rescaling of a 3 / 2 / 1 score to an upper bound of 1: S' = 2 (S − 2.5) (so 3 → 1, 2 → −1, 1 → −3). */
export function rescaleTable1(raw: number): number {
  return 2 * (raw - 2.5);
}

export function extractionMessages(input: { documentTypeLabel: string; history: readonly TranscriptMessage[] }): ChatMessage[] {
  return [
    { role: 'system', content: EXTRACTION_SYSTEM },
    {
      role: 'user',
      content: `Document type: ${input.documentTypeLabel}\n\nConversation:\n\n${renderTranscript(input.history)}`,
    },
  ];
}

export function interactivityMessages(history: readonly TranscriptMessage[], scale: InteractivityScale = 'released-code'): ChatMessage[] {
  return [
    { role: 'system', content: scale === 'paper-table1' ? INTERACTIVITY_TABLE1_SYSTEM : INTERACTIVITY_SYSTEM },
    { role: 'user', content: `Conversation:\n\n${renderTranscript(history)}` },
  ];
}

export function qualityMessages(input: { documentTypeLabel: string; brief: string; document: string }): ChatMessage[] {
  return [
    { role: 'system', content: QUALITY_SYSTEM },
    {
      role: 'user',
      content: `Document type: ${input.documentTypeLabel}\n\nWhat the user wanted:\n<<<\n${input.brief}\n>>>\n\nFinal document:\n<<<\n${input.document}\n>>>`,
    },
  ];
}

export interface Extraction {
  document: string;
  thought: string;
}
export interface Judgement {
  score: number;
  thought: string;
}

export function parseExtraction(raw: string): Extraction | null {
  const obj = extractJsonObject(raw);
  if (!obj) return null;
  const document = stringField(obj, 'document', 'final_document', 'final_completion');
  if (document === undefined) return null;
  return { document, thought: stringField(obj, 'thought') ?? '' };
}

export function parseInteractivity(raw: string): Judgement | null {
  const obj = extractJsonObject(raw);
  if (!obj) return null;
  const score = numberField(obj, 'interactivity', 'score');
  if (score === undefined || score < 0 || score > 1) return null;
  return { score, thought: stringField(obj, 'thought') ?? '' };
}

export function parseQuality(raw: string): Judgement | null {
  const obj = extractJsonObject(raw);
  if (!obj) return null;
  const score = numberField(obj, 'score', 'quality');
  if (score === undefined || score < 1 || score > 10) return null;
  return { score, thought: stringField(obj, 'thought') ?? '' };
}

/** A Table-1-scale reply: the raw 1–3 score (letters A/B/C read as 3/2/1) and its rescaled value. */
export function parseInteractivityTable1(raw: string): (Judgement & { rawScore: number }) | null {
  const obj = extractJsonObject(raw);
  if (!obj) return null;
  const letter = stringField(obj, 'interactivity', 'score')?.trim().toUpperCase();
  const fromLetter = letter === 'A' ? 3 : letter === 'B' ? 2 : letter === 'C' ? 1 : undefined;
  const rawScore = fromLetter ?? numberField(obj, 'interactivity', 'score');
  if (rawScore === undefined || rawScore < 1 || rawScore > 3) return null;
  return { score: rescaleTable1(rawScore), rawScore, thought: stringField(obj, 'thought') ?? '' };
}
