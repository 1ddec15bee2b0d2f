/** The questions the asking styles put before drafting, and how answers to them fill the brief. */
import { contentWords, docLabels, requestPrefix, tidy, type DocKind } from './reading';

export interface Question {
  prompt: string;
  options: string[];
  /** What an answer to this question sets in the brief. */
  sets: 'audience' | 'goal' | 'tone';
}

export function collabQuestions(kind: DocKind, topic: string, detailed: boolean): Question[] {
  const byKind: Record<DocKind, Question[]> = {
    blog: [
      {
        prompt: 'Who should finish this post feeling it was written for them?',
        options: [`newcomers who know little about ${topic}`, 'readers who already care and want a fresh angle', 'a specific community (tell me which)'],
        sets: 'audience',
      },
      {
        prompt: 'What should a reader take away?',
        options: ['a practical tip they can use this week', 'a changed opinion', 'a personal story they will remember'],
        sets: 'goal',
      },
    ],
    creative: [
      {
        prompt: 'Whose eyes do we see this through?',
        options: [`someone meeting ${topic} for the first time`, 'someone looking back years later', 'an outsider watching it unfold'],
        sets: 'audience',
      },
      {
        prompt: 'What feeling should the ending leave?',
        options: ['hopeful', 'bittersweet', 'unsettled'],
        sets: 'goal',
      },
    ],
    statement: [
      {
        prompt: 'What is this statement for?',
        options: ['a university programme', 'a job or fellowship', 'a scholarship'],
        sets: 'audience',
      },
      {
        prompt: 'Which quality should the statement show about you?',
        options: ['persistence after a setback', 'curiosity that turned into action', 'care for other people'],
        sets: 'goal',
      },
    ],
    general: [
      {
        prompt: 'Who is this for?',
        options: ['friends and family', 'colleagues or a professional audience', 'the general public'],
        sets: 'audience',
      },
      {
        prompt: 'What should it do for the reader?',
        options: ['inform them', 'persuade them', 'entertain them'],
        sets: 'goal',
      },
    ],
  };
  const questions = byKind[kind];
  return detailed ? [questions[1]!] : questions;
}

export function proactiveQuestions(kind: DocKind): Question[] {
  return [
    { prompt: `Who will read this ${docLabels[kind]}?`, options: [], sets: 'audience' },
    { prompt: 'What tone would you like, for example formal, conversational or humorous?', options: [], sets: 'tone' },
  ];
}

export interface Brief {
  kind: DocKind;
  topic: string;
  audience?: string;
  goal?: string;
  tone?: string;
  points: string[];
  /** Length asked for, in words; each document type has its own default. */
  targetWords?: number;
}

export const letters = ['a', 'b', 'c'];

/** Reads the user's answer to our questions: option letters ("1b", "(a)"), option words, or free text. */
export function applyAnswers(brief: Brief, questions: Question[], answer: string) {
  const lower = answer.toLowerCase();
  const parts = questions.length > 1 ? answer.split(/\n|;|,|\.\s|\band\b|(?:^|\s)2[.)]\s*/).filter((p) => p.trim()) : [answer];
  for (const [qi, q] of questions.entries()) {
    let chosen: string | undefined;
    if (q.options.length) {
      const numbered = lower.match(new RegExp(`(?:^|\\s)${qi + 1}\\s*[.)-]?\\s*\\(?([abc])\\)?(?:\\s|$|[.,])`));
      const letterMatches = [...lower.matchAll(/(?:^|[\s(])([abc])(?:\)|\.|,|\s|$)/g)].map((m) => m[1]!);
      const letter = numbered?.[1] ?? letterMatches[questions.length > 1 ? qi : 0];
      if (letter) chosen = q.options[letters.indexOf(letter)];
      chosen ??= q.options.find((o) => contentWords(o).some((w) => lower.includes(w)));
    }
    const free = tidy((parts[qi] ?? '').replace(/^\s*\d[.)]?\s*/, '').replace(/^\(?[abc]\)(?:\s|$)/i, '').replace(requestPrefix, ''));
    const value = chosen ?? (contentWords(free).length >= 1 ? free.split(' ').slice(0, 14).join(' ') : undefined);
    if (!value) continue;
    if (q.sets === 'audience') brief.audience = value;
    else if (q.sets === 'tone') brief.tone = detectTone(value.toLowerCase()) ?? brief.tone;
    else brief.goal = value;
  }
  brief.tone ??= detectTone(lower);
}

export function detectTone(lower: string): string | undefined {
  if (/\b(funny|humou?r|humorous|playful|light-?hearted|witty)\b/.test(lower)) return 'playful';
  if (/\b(formal|professional|academic|serious)\b/.test(lower)) return 'formal';
  if (/\b(casual|conversational|friendly|informal|relaxed|chatty)\b/.test(lower)) return 'conversational';
  if (/\b(inspir\w*|motivat\w*|uplifting|hopeful)\b/.test(lower)) return 'uplifting';
  if (/\b(warm|heartfelt|emotional|personal|sincere)\b/.test(lower)) return 'warm';
  return undefined;
}

export function formatQuestions(questions: Question[]): string {
  return questions
    .map((q, i) => {
      const head = questions.length > 1 ? `${i + 1}. ${q.prompt}` : q.prompt;
      const opts = q.options.map((o, j) => `   (${letters[j]}) ${o}`).join('\n');
      return opts ? `${head}\n${opts}` : head;
    })
    .join('\n');
}
