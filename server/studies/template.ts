/**
 * The configuration a new study starts from: a complete, valid study that runs offline on the
 * built-in demo model, so a researcher can preview it before wiring real connections.
 * Pure (no database), so the browser can use it to reset a form.
 */
import { BASELINE_SYSTEM_PROMPT, COLLABLLM_SYSTEM_PROMPT } from './arm-prompts';
import type { ArmConfig, StudyConfig } from './config';

export function starterArm(key: string, overrides: Partial<ArmConfig> = {}): ArmConfig {
  return {
    key,
    label: key.charAt(0).toUpperCase() + key.slice(1),
    connectionId: null,
    model: 'baseline',
    systemPrompt: '',
    temperature: 0.8,
    topP: 1,
    maxTokens: 1024,
    weight: 1,
    ...overrides,
  };
}

export function starterStudyConfig(title = 'Writing with an AI assistant'): StudyConfig {
  return {
    title,
    consent: {
      version: 'v1',
      text:
        'You are invited to take part in a research study about writing documents with an AI assistant. ' +
        'You will chat with an assistant to write a short document, answer a few questions, and rate the experience. ' +
        'It takes about 30 minutes. Your messages and ratings will be stored and may be shared in anonymized form. ' +
        'Please do not include personal information. You may stop at any time.',
    },
    consentPromisesAnonymisedData: true,
    instructions:
      'Pick a topic, answer a few short questions about what you want, then work with the assistant to write the document. ' +
      'Chat for at least the required number of turns, and copy the parts you like into your draft.',
    documentTypes: [
      { key: 'blog-post', label: 'Blog post', description: 'An informal article for a general audience.' },
      { key: 'creative-writing', label: 'Creative writing', description: 'A short story or poem.' },
      { key: 'personal-statement', label: 'Personal statement', description: 'A statement for an application.' },
    ],
    topics: [
      { id: 'travel', label: 'A memorable trip' },
      { id: 'technology', label: 'How technology changes everyday life' },
      { id: 'hobby', label: 'A hobby worth trying' },
    ],
    topicQuestions: [
      { id: 'audience', prompt: 'Who is the document for?', placeholder: 'e.g. friends, a hiring committee' },
      { id: 'goal', prompt: 'What should the reader take away?', placeholder: '' },
    ],
    arms: [
      // Both prompts end with the document-marker instruction ("Use this in my document" copies only the draft).
      starterArm('baseline', { label: 'Baseline', model: 'baseline', systemPrompt: BASELINE_SYSTEM_PROMPT }),
      starterArm('collabllm', { label: 'Collaborative', model: 'collabllm', systemPrompt: COLLABLLM_SYSTEM_PROMPT }),
    ],
    minTurns: 8,
    maxTurns: 30,
    ratingInterval: 3,
    maxMessageChars: 4000,
    messagesPerMinute: 12,
    timeLimitMinutes: 90,
    inactiveAfterMinutes: 30,
    minFreeTextChars: 20,
    blindingOptions: ['The first kind of assistant', 'The second kind of assistant', 'I cannot tell'],
    attentionChecks: [
      {
        id: 'check-1',
        prompt: 'To show you are reading carefully, please choose "Somewhat agree".',
        options: ['Strongly disagree', 'Somewhat disagree', 'Somewhat agree', 'Strongly agree'],
        correctOption: 'Somewhat agree',
      },
      {
        id: 'check-2',
        prompt: 'This question checks attention. Please select "Blue" below.',
        options: ['Red', 'Green', 'Blue', 'Yellow'],
        correctOption: 'Blue',
      },
    ],
    completionCodes: { completed: 'COMPLETE1', noConsent: 'NOCONSENT', failedChecks: 'FAILCHECK', timedOut: 'TIMEDOUT' },
    prolificCompletionUrl: 'https://app.prolific.com/submissions/complete?cc={code}',
  };
}
