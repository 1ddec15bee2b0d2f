import { countTokens } from './tokens';
import { countCharacters, countWords } from './text';

export interface ConversationMessage {
  role: string;
  content: string;
}

export interface ConversationMetricsOptions {
  /** An assistant message with at least this many words counts as a draft of the document. */
  draftMinWords?: number;
}

export interface ConversationMetrics {
  /** Number of user messages: a turn is a user message and the reply to it (the paper's t_j = {u_j, m_j}). */
  turns: number;
  userMessages: number;
  assistantMessages: number;
  /** cl100k tokens in assistant messages: what the user has to read (the paper's #Tokens; divide by 1000 for "k"). */
  tokensRead: number;
  /** cl100k tokens in user messages: what the user typed. */
  tokensTyped: number;
  userWords: number;
  assistantWords: number;
  userCharacters: number;
  assistantCharacters: number;
  /** Question sentences in assistant messages (code blocks ignored). */
  questionsAsked: number;
  /** Question sentences that ask the user something about the task; see `clarifyingQuestionCount`. */
  clarifyingQuestions: number;
  /** Question sentences in assistant messages sent before the first draft (all of them if there is no draft). */
  questionsBeforeFirstDraft: number;
  /** 1-based index among assistant messages of the first draft, or null if no assistant message is a draft. */
  firstDraftAssistantMessage: number | null;
}

export const DEFAULT_DRAFT_MIN_WORDS = 150;

const FENCED_CODE = /```[\s\S]*?(?:```|$)/g;
const INLINE_CODE = /`[^`\n]*`/g;
/**
 * Sentence ends: ., ! or ? (optionally followed by closing quotes, brackets or markdown emphasis) and then
 * whitespace; full-width 。！？ even without whitespace (CJK text has none); and any line break.
 */
const SENTENCE_BREAK = /(?<=[.!?]["'”’»)\]*_~]*)\s+|(?<=[。！？]["'”’»)\]*_~]*)\s*|\n+/u;
/** Characters that may close a sentence after its question mark. */
const TRAILING_CLOSERS = /[\s"'”’»)\]*_~]+$/u;

function proseOf(text: string): string {
  return text.replace(FENCED_CODE, '\n').replace(INLINE_CODE, ' ');
}

/** Question sentences in a piece of text: sentences (or lines) that end with "?" or "？". */
export function questionSentences(text: string): string[] {
  return proseOf(text)
    .split(SENTENCE_BREAK)
    .map((s) => s.replace(TRAILING_CLOSERS, '').trim())
    .filter((s) => s.endsWith('?') || s.endsWith('？'));
}

/** The last paragraph (after the last blank line), where assistants put their follow-up questions. */
function closingParagraph(text: string): string {
  const paragraphs = proseOf(text).split(/\n\s*\n/).filter((p) => p.trim().length > 0);
  return paragraphs[paragraphs.length - 1] ?? '';
}

/**
 * Heuristic count of clarifying questions in the assistant messages of a conversation:
 * - in an assistant message that is not a draft (fewer than `draftMinWords` words), every question
 *   sentence counts: short replies are where the assistant asks about goals, audience, tone or details;
 * - in a draft (long message containing the document), only the questions in its closing paragraph count
 *   ("Would you like a more formal tone?"), so rhetorical questions inside the document body do not.
 * Question sentences are sentences or lines ending with "?" outside code blocks. This is a proxy, not a
 * classifier: a long answer that asks its questions mid-text is undercounted.
 */
export function clarifyingQuestionCount(assistantText: string, draftMinWords = DEFAULT_DRAFT_MIN_WORDS): number {
  const isDraft = countWords(proseOf(assistantText)) >= draftMinWords;
  return questionSentences(isDraft ? closingParagraph(assistantText) : assistantText).length;
}

/** Conversation-level metrics over chat messages; system and other roles are ignored. */
export function conversationMetrics(messages: readonly ConversationMessage[], options: ConversationMetricsOptions = {}): ConversationMetrics {
  const draftMinWords = options.draftMinWords ?? DEFAULT_DRAFT_MIN_WORDS;
  const metrics: ConversationMetrics = {
    turns: 0,
    userMessages: 0,
    assistantMessages: 0,
    tokensRead: 0,
    tokensTyped: 0,
    userWords: 0,
    assistantWords: 0,
    userCharacters: 0,
    assistantCharacters: 0,
    questionsAsked: 0,
    clarifyingQuestions: 0,
    questionsBeforeFirstDraft: 0,
    firstDraftAssistantMessage: null,
  };
  for (const message of messages) {
    if (typeof message?.content !== 'string') throw new TypeError('every message needs string content');
    const { role, content } = message;
    if (role === 'user') {
      metrics.userMessages++;
      metrics.tokensTyped += countTokens(content);
      metrics.userWords += countWords(content);
      metrics.userCharacters += countCharacters(content);
    } else if (role === 'assistant') {
      metrics.assistantMessages++;
      metrics.tokensRead += countTokens(content);
      metrics.assistantWords += countWords(content);
      metrics.assistantCharacters += countCharacters(content);
      const questions = questionSentences(content).length;
      metrics.questionsAsked += questions;
      metrics.clarifyingQuestions += clarifyingQuestionCount(content, draftMinWords);
      const isDraft = countWords(proseOf(content)) >= draftMinWords;
      if (isDraft && metrics.firstDraftAssistantMessage === null) metrics.firstDraftAssistantMessage = metrics.assistantMessages;
      if (metrics.firstDraftAssistantMessage === null) metrics.questionsBeforeFirstDraft += questions;
    }
  }
  metrics.turns = metrics.userMessages;
  return metrics;
}
