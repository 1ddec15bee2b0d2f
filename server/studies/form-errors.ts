/**
 * Field errors for the study setup form, keyed by config path ("arms.0.key"). Pure, so the browser
 * form and tests share it; wording is for the researcher filling the form, not for developers.
 */
import type { z } from 'zod';

export type FieldErrors = Record<string, string>;

/** zod's default wording is written for developers; say the same thing for the person filling the form. */
export function friendlyMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'too_small') {
    const min = Number(issue.minimum);
    if (issue.origin === 'string') return min <= 1 ? 'required' : `at least ${min} characters`;
    if (issue.origin === 'array') return min <= 1 ? 'add at least one' : `add at least ${min}`;
    if (issue.origin === 'number') return `at least ${min}`;
  }
  if (issue.code === 'too_big') {
    const max = Number(issue.maximum);
    if (issue.origin === 'string') return `at most ${max} characters`;
    if (issue.origin === 'array') return `at most ${max}`;
    if (issue.origin === 'number') return `at most ${max}`;
  }
  if (issue.code === 'invalid_type' && issue.expected === 'number') return 'enter a number';
  if (issue.code === 'invalid_type' && issue.expected === 'int') return 'enter a whole number';
  return issue.message;
}

export function issuesToErrors(issues: z.core.$ZodIssue[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join('.');
    errors[key] ??= friendlyMessage(issue);
  }
  return errors;
}

/** The setup form's field labels by config path (`#` = a list index), so the error summary uses the words on screen. */
const FIELD_LABELS: Record<string, string> = {
  studyName: 'Study name',
  title: 'Title shown to participants',
  'consent.version': 'Consent version',
  'consent.text': 'Consent text',
  instructions: 'Instructions',
  'documentTypes.#.key': 'Key',
  'documentTypes.#.label': 'Label',
  'documentTypes.#.description': 'Description',
  'topics.#.id': 'Id',
  'topics.#.label': 'Label',
  'topicQuestions.#.id': 'Id',
  'topicQuestions.#.prompt': 'Question',
  'topicQuestions.#.placeholder': 'Placeholder',
  'arms.#.key': 'Key',
  'arms.#.label': 'Label',
  'arms.#.connectionId': 'Model source',
  'arms.#.model': 'Model',
  'arms.#.systemPrompt': 'System prompt',
  'arms.#.temperature': 'Temperature',
  'arms.#.topP': 'Top-p',
  'arms.#.maxTokens': 'Max tokens',
  'arms.#.weight': 'Weight',
  minTurns: 'Minimum turns',
  maxTurns: 'Maximum turns',
  ratingInterval: 'Rating every N turns',
  maxMessageChars: 'Longest message (characters)',
  messagesPerMinute: 'Messages per minute',
  timeLimitMinutes: 'Time limit (minutes)',
  inactiveAfterMinutes: 'Inactive after (minutes)',
  minFreeTextChars: 'Shortest free-text answer',
  blindingOptions: 'Blinding options',
  'attentionChecks.#.id': 'Id',
  'attentionChecks.#.prompt': 'Prompt',
  'attentionChecks.#.options': 'Answer options',
  'attentionChecks.#.correctOption': 'Correct option',
  'completionCodes.completed': 'Code: completed',
  'completionCodes.noConsent': 'Code: did not consent',
  'completionCodes.failedChecks': 'Code: failed attention checks',
  'completionCodes.timedOut': 'Code: timed out',
  prolificCompletionUrl: 'Prolific completion URL',
};

const LIST_NAMES: Record<string, string> = {
  arms: 'Arm',
  documentTypes: 'Document type',
  topics: 'Topic',
  topicQuestions: 'Topic question',
  attentionChecks: 'Attention check',
  blindingOptions: 'Blinding option',
  stratification: 'Assignment',
};

/** "arms.1.model" → "Arm 2 · Model"; "completionCodes.noConsent" → "Code: did not consent". */
export function describeFieldPath(key: string): string {
  const parts = key.split('.');
  const pattern = parts.map((p) => (/^\d+$/.test(p) ? '#' : p)).join('.');
  const label = FIELD_LABELS[pattern];
  const lists: string[] = [];
  for (let i = 0; i + 1 < parts.length; i++)
    if (LIST_NAMES[parts[i]!] && /^\d+$/.test(parts[i + 1]!)) lists.push(`${LIST_NAMES[parts[i]!]} ${Number(parts[i + 1]) + 1}`);
  if (label) return [...lists, label].join(' · ');
  // A path the map does not know (a list as a whole, a new field): the list's name, else the words of the key.
  if (lists.length) return lists.join(' · ');
  const words = (parts[parts.length - 1] ?? '').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : 'Setup';
}
