/**
 * Reading the conversation: what kind of document is wanted, about what, for whom, how long, and which
 * statements of the user can become content. Also the seeded variant pickers every other part uses.
 */
import crypto from 'node:crypto';
import type { ChatMessage } from '../types';

export type DocKind = 'blog' | 'creative' | 'statement' | 'general';

export const docLabels: Record<DocKind, string> = {
  blog: 'blog post',
  creative: 'piece of creative writing',
  statement: 'personal statement',
  general: 'piece',
};

// Only names the drafts' she/her pronouns fit, so revisions never mix pronouns.
export const storyNames = ['Mara', 'Ines', 'Noor', 'Ada', 'Hana', 'Lena', 'Priya', 'Sofia'];

export const stopWords = new Set(
  (
    'a an the and or but if of to in on at for with about from into over under by as is are was were be been being it its this that these those ' +
    'i me my mine we our you your he she they them their his her him what which who whom how why when where can could would should will shall ' +
    'do does did have has had not no yes so very just also more most some any all each other than then there here please help write want need ' +
    'like make get let us something thing things really maybe might must may am im ive id dont want wanted going blog post story personal statement piece ' +
    'article essay draft one two three short long creative writing whatever think know sure okay fine good nice cool idea anything something everything stuff yeah yep hello thank thanks great'
  ).split(' '),
);

export interface Conversation {
  /** From the first user message that says what to write (greetings before it are skipped). */
  users: string[];
  assistants: string[];
  /** Every assistant reply, including greetings before the request (so greetings are never repeated). */
  allAssistants: string[];
  digest: Buffer;
}

export function readConversation(messages: ChatMessage[], seed?: number): Conversation {
  const visible = messages.filter((m) => m.role !== 'system');
  const start = visible.findIndex((m) => m.role === 'user' && extractTopic(m.content) !== undefined);
  // Before any request, hash everything so greetings still vary; after it, small talk before the request does not matter.
  const relevant = start < 0 ? visible : visible.slice(start);
  const digest = crypto
    .createHash('sha256')
    .update(JSON.stringify(relevant.map((m) => [m.role, m.content])))
    .update(seed === undefined ? '' : `seed:${seed}`)
    .digest();
  return {
    users: start < 0 ? [] : relevant.filter((m) => m.role === 'user').map((m) => m.content.trim()),
    assistants: start < 0 ? [] : relevant.filter((m) => m.role === 'assistant').map((m) => m.content),
    allAssistants: visible.filter((m) => m.role === 'assistant').map((m) => m.content),
    digest,
  };
}

/** Picks a variant from the conversation hash; `salt` keeps different choices independent. */
export function pick<T>(items: readonly T[], digest: Buffer, salt: number): T {
  return items[digest.readUInt16BE((salt * 2) % (digest.length - 1)) % items.length]!;
}

/**
 * Like `pick`, but skips variants that already appear in one of `earlier` (the assistant's previous
 * replies), starting from the seeded position, so an opener or greeting is never said twice in a row of
 * turns while variants remain.
 */
export function pickFresh(items: readonly string[], digest: Buffer, salt: number, earlier: readonly string[]): string {
  const start = digest.readUInt16BE((salt * 2) % (digest.length - 1)) % items.length;
  for (let i = 0; i < items.length; i++) {
    const item = items[(start + i) % items.length]!;
    if (!earlier.some((text) => text.includes(item))) return item;
  }
  return items[start]!;
}

export const wordCount = (text: string) => text.match(/[A-Za-z0-9][\w'’-]*/g)?.length ?? 0;

/** A length the user asked for in words ("a 500-word post", "about 300 words", "under 250 words"); undefined otherwise. */
export function requestedWords(text: string): number | undefined {
  const m = text.match(/\b(\d{2,4})\s*(?:-|–|\s)?\s*words?\b/i);
  if (!m) return undefined;
  const n = Number(m[1]);
  return n >= 50 && n <= 3000 ? n : undefined;
}

export function detectKind(text: string): DocKind {
  const t = text.toLowerCase();
  if (/personal statement|statement of purpose|application essay|admission|cover letter|scholarship|motivation letter/.test(t)) return 'statement';
  if (/\b(story|stories|poem|poetry|fiction|creative|character|tale|narrative|scene|fairy)\b/.test(t)) return 'creative';
  if (/\b(blog|article|post|newsletter|op-ed|column)\b/.test(t)) return 'blog';
  return 'general';
}

export function tidy(phrase: string): string {
  return phrase
    .replace(/["“”‘’`*_#]/g, '')
    .replace(/\s+/g, ' ')
    .replace(/^[\s,;:-]+|[\s,;:.!?-]+$/g, '')
    .trim();
}

export function contentWords(text: string): string[] {
  return (text.toLowerCase().match(/[a-z][a-z'-]{2,}/g) ?? []).filter((w) => !stopWords.has(w.replace(/'/g, '')));
}

export const taskPrefix =
  /^(?:(?:hi|hello|hey)[,!.]?\s+)?(?:(?:so\s+)?i(?:'d| would)? (?:want|need|like|have|am going|'m going) to (?:write|draft|create|work on)|i(?:'m| am) (?:writing|working on|drafting)|(?:please |can you |could you )?(?:help me )?(?:write|draft|create)(?: me)?|help me with)\s+/i;
export const docNoun =
  /^(?:a|an|my|the|some)?\s*(?:short\s+|new\s+)?(?:blog post|blog|post|short story|story|poem|personal statement|statement of purpose|statement|article|essay|piece of creative writing|creative writing|piece)\b\s*(?:[:\-–—]\s*)?/i;
export const aboutPattern = /\b(?:about|on the topic of|regarding|exploring|titled|called|on)\s+(.+?)(?:[.?!\n]|,|\s+(?:for|and then|so that|because|but|which|that)\s|$)/i;

export function phrase(raw: string, maxWords: number): string | undefined {
  const words = tidy(raw).split(' ').filter(Boolean).slice(0, maxWords).join(' ');
  return contentWords(words).length > 0 ? words.replace(/^(my|the|a|an)\s+/i, (m) => m.toLowerCase()) : undefined;
}

/** The subject of the document, from the user's first substantive message; undefined when there is none. */
export function extractTopic(first: string): string | undefined {
  const sentence = first.trim().split(/[.?!\n]/)[0] ?? '';
  const aboutFirst = sentence.match(aboutPattern)?.[1];
  if (aboutFirst && phrase(aboutFirst, 8)) return phrase(aboutFirst, 8);
  const field = first.match(/\b(?:master'?s?|degree|phd|programme|program|course|studies|career|job|position)\s+(?:in|of|on)\s+([a-z][^.,;\n]{2,40})/i);
  if (field?.[1]) return phrase(field[1], 6);
  const stripped = sentence.replace(taskPrefix, '').replace(docNoun, '').replace(/^(?:about|on|for|where|in which|that)\s+/i, '');
  if (stripped !== sentence && phrase(stripped, 8)) return phrase(stripped, 8);
  const aboutAnywhere = first.match(aboutPattern)?.[1];
  if (aboutAnywhere && phrase(aboutAnywhere, 8)) return phrase(aboutAnywhere, 8);
  return contentWords(first).length >= 2 ? phrase(sentence, 8) : undefined;
}

export const audiencePatterns = [
  /\b(?:my |the )?(?:target )?(?:audience|readers?|readership)\s+(?:is|are|will be|would be)\s+([^.,;\n]+)/i,
  /\b(?:aimed at|written for|targeted at|for an audience of)\s+([^.,;\n]+)/i,
];

export function statedAudience(texts: string[]): string | undefined {
  for (const text of texts)
    for (const pattern of audiencePatterns) {
      const m = text.match(pattern)?.[1];
      if (m && contentWords(m).length) return tidy(m).split(' ').slice(0, 10).join(' ');
    }
  return undefined;
}

export const minorWords = new Set(['a', 'an', 'the', 'and', 'or', 'but', 'of', 'to', 'in', 'on', 'at', 'for', 'by', 'as', 'with', 'who', 'from']);
export const titleCase = (s: string) =>
  s.replace(/\b([a-z])([a-z']*)/gi, (word: string, a: string, b: string, offset: number) =>
    offset > 0 && minorWords.has(word.toLowerCase()) ? word.toLowerCase() : a.toUpperCase() + b,
  );
export const capitalize = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);

export const requestPrefix =
  /^(?:(?:ok(?:ay)?|sure|yes|great|thanks|thank you|hmm|well)[,!.]?\s+)*(?:i(?:'d| would)? (?:like|want|need) (?:it |you )?(?:to )?|please |can you |could you |it should |make sure (?:to |it )?)/i;

/** Statements the user made that can become content (requests and the task description are skipped). */
export function keyPoints(texts: string[], topic?: string): string[] {
  const points: string[] = [];
  for (const text of texts) {
    for (const raw of text.split(/[.;!?\n]+/)) {
      const clause = tidy(raw.replace(requestPrefix, ''));
      const words = clause.split(' ').filter(Boolean);
      if (words.length < 4 || words.length > 40) continue;
      if (/^(write|make|add|remove|delete|change|shorten|expand|rewrite|fix|use|keep|give|help|i(?:'m| am) (?:writing|working on)|i have to write)\b/i.test(clause)) continue;
      if (/\b(blog post|short story|personal statement|statement of purpose|poem)\b/i.test(clause)) continue;
      if (topic && clause.toLowerCase().includes(topic.toLowerCase())) continue;
      if (audiencePatterns.some((p) => p.test(clause))) continue;
      if (requestedWords(clause) !== undefined) continue;
      if (/^\(?[abc]\)?\b/i.test(clause)) continue;
      points.push(clause);
    }
  }
  return [...new Set(points)].slice(0, 4);
}

export const toThirdPerson = (s: string) =>
  s
    .replace(/\bI'm\b/g, 'she was')
    .replace(/\bI am\b/g, 'she was')
    .replace(/\bI've\b/g, 'she had')
    .replace(/\bI\b/g, 'she')
    .replace(/\bmyself\b/gi, 'herself')
    .replace(/\bmy\b/gi, 'her')
    .replace(/\bme\b/gi, 'her');
