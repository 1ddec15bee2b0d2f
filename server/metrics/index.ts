export { sentenceBleu, type BleuLevel, type BleuOptions } from './bleu';
export { countTokens, encodeCl100k, decodeCl100k } from './tokens';
export { pythonSplit, countWords, countCharacters } from './text';
export {
  conversationMetrics,
  clarifyingQuestionCount,
  questionSentences,
  DEFAULT_DRAFT_MIN_WORDS,
  type ConversationMessage,
  type ConversationMetrics,
  type ConversationMetricsOptions,
} from './conversation';
