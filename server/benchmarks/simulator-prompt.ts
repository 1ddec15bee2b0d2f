/**
 * The simulated user's prompt and the parsing of its replies (pure: no network, no database).
 * The prompt is our own; the behaviours it asks for follow the CollabLLM paper's simulator
 * (vague start, gradual reveal, answers questions, small mistakes, preferences, termination signal).
 */
import type { ChatMessage } from '../llm/types';
import { extractJsonObject, stringField } from './json';
import type { Persona } from './persona';

/** Bump whenever the prompt text or the parsing rules change; stored with every conversation. */
export const SIMULATOR_PROMPT_VERSION = 'sim-v2';
/** The target document goes into the simulator's prompt up to this length (Medium targets are ≤ 512 tokens). */
export const MAX_GOAL_DOCUMENT_CHARS = 20_000;
export const TERMINATION_SIGNAL = '[[TERMINATE CHAT]]';
const TERMINATION_PATTERN = /\[\[\s*TERMINATE(?:[ _]CHAT)?\s*\]\]/gi;

/** A user message longer than this is almost always the simulator writing the document itself. */
export const MAX_SIMULATED_USER_WORDS = 350;

export interface TranscriptMessage {
  role: 'user' | 'assistant';
  content: string;
}

/** The paper's history rendering: bold role labels, system messages left out. */
export function renderTranscript(history: readonly TranscriptMessage[]): string {
  return history.map((m) => `**${m.role === 'user' ? 'User' : 'Assistant'}**: ${m.content}`).join('\n\n');
}

/**
 * The task's hidden goal as the simulator holds it (the paper's simulator knows the complete goal): the brief,
 * its details and the target document. It goes into the simulator's prompt only, never into an arm's request.
 */
export interface SimulatorGoal {
  brief: string;
  /** Facts of the brief (task metadata.details) when known. */
  details?: readonly string[];
  /** The document the user has in mind; BLEU compares the final document with it. */
  targetDocument?: string;
}

function goalSection(goal: SimulatorGoal): string {
  const details = goal.details?.length ? `\n\nDetails you know and can reveal when they matter:\n${goal.details.map((d) => `- ${d}`).join('\n')}` : '';
  const target = goal.targetDocument?.trim()
    ? `\n\nThe document you have in mind (your ideal result; steer the assistant toward its content, facts and structure, but never paste or dictate it):\n<<<\n${goal.targetDocument.trim().slice(0, MAX_GOAL_DOCUMENT_CHARS)}\n>>>`
    : '';
  return `Your hidden goal (the assistant cannot see this; it only learns what you tell it):\n<<<\n${goal.brief}\n>>>${details}${target}`;
}

export function simulatorSystemPrompt(input: SimulatorGoal & { documentTypeLabel: string; persona: Persona }): string {
  const { documentTypeLabel, persona } = input;
  return `You are playing a person who is chatting with an AI writing assistant to get a ${documentTypeLabel} written. You are the user, never the assistant.

${goalSection(input)}

Who you are:
- Writing experience: ${persona.expertise}.
- Message length: ${persona.verbosity}.
- Tone: ${persona.tone}.
- Habit: ${persona.quirk}.

How to behave:
1. Start vague. Your first message says only roughly what you want (the kind of document and the general subject). Do not list your requirements up front.
2. Reveal details a little at a time: one or two per message, mostly when the assistant asks or when a draft gets something wrong.
3. Answer the assistant's questions directly. If it asks about something your goal does not cover, make up a plausible answer that fits your goal and stick to it.
4. React to drafts like a real person: say what you like, what is missing and what to change. State your preferences about style, length and structure.
5. Behave like a real user with the habit above: small imperfections are fine, but stay consistent with your goal.
6. Never write the document or long passages of it yourself. Never answer as the assistant, never offer help, never describe what "the assistant" should say.
7. When the latest draft in the conversation covers your goal (and the document you have in mind) well enough, or if the assistant clearly cannot help after several tries, end the conversation: write a short closing remark and include ${TERMINATION_SIGNAL} in your message.

Reply with one JSON object and nothing else:
{"thought": "<private reasoning about what to say next, one or two sentences>", "message": "<your next message to the assistant, in your own voice>", "done": <true if your message ends the conversation, otherwise false>}`;
}

export function simulatorMessages(input: SimulatorGoal & {
  documentTypeLabel: string;
  persona: Persona;
  history: readonly TranscriptMessage[];
}): ChatMessage[] {
  const turnPrompt =
    input.history.length === 0
      ? 'The conversation has not started yet. Write your opening message as the user.'
      : `The conversation so far:\n\n${renderTranscript(input.history)}\n\nWrite your next message as the user.`;
  return [
    { role: 'system', content: simulatorSystemPrompt(input) },
    { role: 'user', content: turnPrompt },
  ];
}

export type SimulatorRejectReason = 'malformed' | 'empty' | 'role_flip' | 'repeated' | 'too_long';

export type SimulatorReply =
  | { ok: true; message: string; thought: string; terminate: boolean }
  | { ok: false; reason: SimulatorRejectReason; detail: string };

const LEADING_USER_LABEL = /^\s*(?:\*\*)?\s*(?:user|me|human)\s*(?:\*\*)?\s*:\s*(?:\*\*)?\s*/i;
const ASSISTANT_LABEL_LINE = /(?:^|\n)\s*(?:\*\*)?\s*(?:assistant|ai|chatbot|bot)\s*(?:\*\*)?\s*:/i;
const ASSISTANT_PHRASES = [
  /\bas an ai\b/i,
  /\bhow (?:can|may) i (?:help|assist) you\b/i,
  /\bi(?:'|’)?d be (?:happy|glad) to help\b/i,
  /\bi would be (?:happy|glad) to help\b/i,
  /\bhere(?:'|’)?s (?:a|the|your) (?:first )?(?:draft|revised|updated|revision|version)\b/i,
  /\bhere is (?:a|the|your) (?:first )?(?:draft|revised|updated|revision|version)\b/i,
  /\blet me know if you(?:'|’)?d like (?:me to|any)\b/i,
];

/** Lowercase, no punctuation, single spaces: how "the same message again" is recognised. */
export function normaliseForRepeat(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function stripWrappingQuotes(text: string): string {
  const m = /^(["“'])([\s\S]*)(["”'])$/.exec(text);
  return m && m[2] !== undefined ? m[2].trim() : text;
}

function truthy(v: unknown): boolean {
  return v === true || (typeof v === 'string' && v.trim().toLowerCase() === 'true');
}

/**
 * Reads one simulator output. `previousUserMessages` are the user turns so far (for the repeat guard).
 * Rejections are retried by the caller with a fresh sample.
 */
export function parseSimulatorReply(raw: string, previousUserMessages: readonly string[] = []): SimulatorReply {
  const obj = extractJsonObject(raw);
  if (!obj) return { ok: false, reason: 'malformed', detail: 'no JSON object in the output' };
  const rawMessage = stringField(obj, 'message', 'response', 'reply', 'user_message');
  if (rawMessage === undefined) return { ok: false, reason: 'malformed', detail: 'the JSON has no "message" field' };
  const thought = stringField(obj, 'thought', 'reasoning') ?? '';

  const signalled = new RegExp(TERMINATION_PATTERN.source, 'i').test(rawMessage);
  const terminate = signalled || truthy(obj.done) || truthy(obj.terminate);
  const message = stripWrappingQuotes(rawMessage.replace(TERMINATION_PATTERN, ' ').replace(LEADING_USER_LABEL, '').trim())
    .replace(/[ \t]{2,}/g, ' ')
    .trim();

  if (message === '') {
    if (terminate) return { ok: true, message: '', thought, terminate: true };
    return { ok: false, reason: 'empty', detail: 'the message is empty' };
  }
  if (ASSISTANT_LABEL_LINE.test(message)) return { ok: false, reason: 'role_flip', detail: 'the message speaks as the assistant' };
  const phrase = ASSISTANT_PHRASES.find((p) => p.test(message));
  if (phrase) return { ok: false, reason: 'role_flip', detail: `assistant-like phrase (${phrase.source})` };
  const words = message.split(/\s+/).length;
  if (words > MAX_SIMULATED_USER_WORDS)
    return { ok: false, reason: 'too_long', detail: `${words} words; the user should not write the document` };
  const normalised = normaliseForRepeat(message);
  if (!terminate && previousUserMessages.some((p) => normaliseForRepeat(p) === normalised))
    return { ok: false, reason: 'repeated', detail: 'the same message was already sent' };
  return { ok: true, message, thought, terminate };
}

const CLOSING = /^(?:ok(?:ay)?[,!.]?\s*)?(?:thanks|thank you|thx|great|perfect|awesome|lovely|brilliant|bye|goodbye|cheers|looks (?:good|great)|that(?:'|’)?s (?:great|perfect|it|all)|all good)\b/i;

/** A short thank-you/goodbye with no request in it. */
export function isClosingMessage(text: string): boolean {
  const t = text.trim();
  return CLOSING.test(t) && !t.includes('?') && t.split(/\s+/).length <= 25;
}

/** After this many closing messages in a row without the signal, the conversation is ended for the simulator. */
export const MAX_CONSECUTIVE_CLOSINGS = 2;

/** True when the simulated user keeps saying goodbye without ending the chat. */
export function isEndlessGoodbye(userMessages: readonly string[]): boolean {
  if (userMessages.length < MAX_CONSECUTIVE_CLOSINGS) return false;
  return userMessages.slice(-MAX_CONSECUTIVE_CLOSINGS).every(isClosingMessage);
}
