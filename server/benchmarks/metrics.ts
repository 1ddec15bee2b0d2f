/**
 * Judge-independent metrics of one simulated conversation (pure). BLEU depends on the extracted document,
 * so it is computed per judge; the rest depends only on the messages.
 */
import { conversationMetrics, sentenceBleu } from '../metrics';
import type { TranscriptMessage } from './simulator-prompt';

/** Metric names stored in benchmark_scores.metric. */
export const METRICS = {
  bleuWord: 'bleu_word',
  bleuChar: 'bleu_char',
  interactivity: 'interactivity',
  quality: 'quality',
  tokensRead: 'tokens_read',
  tokensTyped: 'tokens_typed',
  clarifyingQuestions: 'clarifying_questions',
  turns: 'turns',
  documentWords: 'document_words',
} as const;
export type MetricName = (typeof METRICS)[keyof typeof METRICS];

/**
 * Marker row (value 1) of a completed conversation that a re-scoring judge could not score: its output could
 * not be parsed after retries. Not a result metric; the run's accounting counts it per judge.
 */
export const UNSCORABLE_METRIC = 'judge_unparseable';

export interface MetricInfo {
  label: string;
  /**
   * Which way is better: 'higher', 'lower' (tokens, turns: an improvement when lower), or 'none' for
   * descriptive metrics (clarifying questions, document length), which are shown without better/worse colouring.
   */
  direction: 'higher' | 'lower' | 'none';
}

export const METRIC_INFO: Record<MetricName, MetricInfo> = {
  bleu_word: { label: 'BLEU (word)', direction: 'higher' },
  bleu_char: { label: 'BLEU (character)', direction: 'higher' },
  interactivity: { label: 'Interactivity (0–1)', direction: 'higher' },
  quality: { label: 'Document quality (1–10)', direction: 'higher' },
  tokens_read: { label: 'Tokens read (assistant, cl100k)', direction: 'lower' },
  tokens_typed: { label: 'Tokens typed (user, cl100k)', direction: 'lower' },
  clarifying_questions: { label: 'Clarifying questions', direction: 'none' },
  turns: { label: 'Turns', direction: 'lower' },
  document_words: { label: 'Final document words', direction: 'none' },
};

export interface MetricValue {
  metric: MetricName;
  value: number;
  rationale?: string | null;
  details?: Record<string, unknown> | null;
}

export function conversationMetricValues(history: readonly TranscriptMessage[]): MetricValue[] {
  const m = conversationMetrics(history);
  return [
    { metric: METRICS.tokensRead, value: m.tokensRead },
    { metric: METRICS.tokensTyped, value: m.tokensTyped },
    { metric: METRICS.clarifyingQuestions, value: m.clarifyingQuestions, details: { questionsAsked: m.questionsAsked, questionsBeforeFirstDraft: m.questionsBeforeFirstDraft } },
    { metric: METRICS.turns, value: m.turns },
  ];
}

/** Word- and character-level sentence BLEU of the extracted document against the target; none without a target. */
export function bleuValues(targetDocument: string, finalDocument: string): MetricValue[] {
  if (targetDocument.trim() === '') return [];
  return [
    { metric: METRICS.bleuWord, value: sentenceBleu(targetDocument, finalDocument, { level: 'word' }) },
    { metric: METRICS.bleuChar, value: sentenceBleu(targetDocument, finalDocument, { level: 'char' }) },
  ];
}
