/**
 * The offline demo model: lets a fresh install run the whole study with no API key.
 *
 * It is a deterministic template engine, not a language model. Replies depend only on the
 * conversation (same messages → same reply) and on the style, and the three styles behave the
 * way the paper describes its arms: one drafts at once and agrees with everything; one asks
 * clarifying questions first; one asks sharper questions with options and proposes next steps.
 * The text never names the style, so participants cannot learn their arm from it.
 */
import crypto from 'node:crypto';
import { env } from '../env';
import { demoStyles, type DemoStyle } from '../studies/config';
import { abortableSleep, cancelledError } from './errors';
import { countPromptTokens, countTokens } from './tokens';
import type { CallOptions, ChatMessage, Completion, ModelTarget, StreamEvent } from './types';

export function isDemoStyle(model: string): model is DemoStyle {
  return (demoStyles as readonly string[]).includes(model);
}

export const demoModelName = (style: DemoStyle) => `demo-${style}`;

type DocKind = 'blog' | 'creative' | 'statement' | 'general';

const docLabels: Record<DocKind, string> = {
  blog: 'blog post',
  creative: 'piece of creative writing',
  statement: 'personal statement',
  general: 'piece',
};

const DRAFT_FENCE = '---';
// Only names the drafts' she/her pronouns fit, so revisions never mix pronouns.
const storyNames = ['Mara', 'Ines', 'Noor', 'Ada', 'Hana', 'Lena', 'Priya', 'Sofia'];

const stopWords = new Set(
  (
    'a an the and or but if of to in on at for with about from into over under by as is are was were be been being it its this that these those ' +
    'i me my mine we our you your he she they them their his her him what which who whom how why when where can could would should will shall ' +
    'do does did have has had not no yes so very just also more most some any all each other than then there here please help write want need ' +
    'like make get let us something thing things really maybe might must may am im ive id dont want wanted going blog post story personal statement piece ' +
    'article essay draft one two three short long creative writing whatever think know sure okay fine good nice cool idea anything something everything stuff yeah yep hello thank thanks great'
  ).split(' '),
);

interface Conversation {
  /** From the first user message that says what to write (greetings before it are skipped). */
  users: string[];
  assistants: string[];
  digest: Buffer;
}

function readConversation(messages: ChatMessage[]): Conversation {
  const visible = messages.filter((m) => m.role !== 'system');
  const start = visible.findIndex((m) => m.role === 'user' && extractTopic(m.content) !== undefined);
  // Before any request, hash everything so greetings still vary; after it, small talk before the request does not matter.
  const relevant = start < 0 ? visible : visible.slice(start);
  const digest = crypto
    .createHash('sha256')
    .update(JSON.stringify(relevant.map((m) => [m.role, m.content])))
    .digest();
  return {
    users: start < 0 ? [] : relevant.filter((m) => m.role === 'user').map((m) => m.content.trim()),
    assistants: start < 0 ? [] : relevant.filter((m) => m.role === 'assistant').map((m) => m.content),
    digest,
  };
}

/** Picks a variant from the conversation hash; `salt` keeps different choices independent. */
function pick<T>(items: readonly T[], digest: Buffer, salt: number): T {
  return items[digest.readUInt16BE((salt * 2) % (digest.length - 1)) % items.length]!;
}

function detectKind(text: string): DocKind {
  const t = text.toLowerCase();
  if (/personal statement|statement of purpose|application essay|admission|cover letter|scholarship|motivation letter/.test(t)) return 'statement';
  if (/\b(story|stories|poem|poetry|fiction|creative|character|tale|narrative|scene|fairy)\b/.test(t)) return 'creative';
  if (/\b(blog|article|post|newsletter|op-ed|column)\b/.test(t)) return 'blog';
  return 'general';
}

function tidy(phrase: string): string {
  return phrase
    .replace(/["“”‘’`*_#]/g, '')
    .replace(/\s+/g, ' ')
    .replace(/^[\s,;:-]+|[\s,;:.!?-]+$/g, '')
    .trim();
}

function contentWords(text: string): string[] {
  return (text.toLowerCase().match(/[a-z][a-z'-]{2,}/g) ?? []).filter((w) => !stopWords.has(w.replace(/'/g, '')));
}

const taskPrefix =
  /^(?:(?:hi|hello|hey)[,!.]?\s+)?(?:(?:so\s+)?i(?:'d| would)? (?:want|need|like|have|am going|'m going) to (?:write|draft|create|work on)|i(?:'m| am) (?:writing|working on|drafting)|(?:please |can you |could you )?(?:help me )?(?:write|draft|create)(?: me)?|help me with)\s+/i;
const docNoun =
  /^(?:a|an|my|the|some)?\s*(?:short\s+|new\s+)?(?:blog post|blog|post|short story|story|poem|personal statement|statement of purpose|statement|article|essay|piece of creative writing|creative writing|piece)\b\s*(?:[:\-–—]\s*)?/i;
const aboutPattern = /\b(?:about|on the topic of|regarding|exploring|titled|called|on)\s+(.+?)(?:[.?!\n]|,|\s+(?:for|and then|so that|because|but|which|that)\s|$)/i;

function phrase(raw: string, maxWords: number): string | undefined {
  const words = tidy(raw).split(' ').filter(Boolean).slice(0, maxWords).join(' ');
  return contentWords(words).length > 0 ? words.replace(/^(my|the|a|an)\s+/i, (m) => m.toLowerCase()) : undefined;
}

/** The subject of the document, from the user's first substantive message; undefined when there is none. */
function extractTopic(first: string): string | undefined {
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

const audiencePatterns = [
  /\b(?:my |the )?(?:target )?(?:audience|readers?|readership)\s+(?:is|are|will be|would be)\s+([^.,;\n]+)/i,
  /\b(?:aimed at|written for|targeted at|for an audience of)\s+([^.,;\n]+)/i,
];

function statedAudience(texts: string[]): string | undefined {
  for (const text of texts)
    for (const pattern of audiencePatterns) {
      const m = text.match(pattern)?.[1];
      if (m && contentWords(m).length) return tidy(m).split(' ').slice(0, 10).join(' ');
    }
  return undefined;
}

const minorWords = new Set(['a', 'an', 'the', 'and', 'or', 'but', 'of', 'to', 'in', 'on', 'at', 'for', 'by', 'as', 'with', 'who', 'from']);
const titleCase = (s: string) =>
  s.replace(/\b([a-z])([a-z']*)/gi, (word: string, a: string, b: string, offset: number) =>
    offset > 0 && minorWords.has(word.toLowerCase()) ? word.toLowerCase() : a.toUpperCase() + b,
  );
const capitalize = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);

const requestPrefix =
  /^(?:(?:ok(?:ay)?|sure|yes|great|thanks|thank you|hmm|well)[,!.]?\s+)*(?:i(?:'d| would)? (?:like|want|need) (?:it |you )?(?:to )?|please |can you |could you |it should |make sure (?:to |it )?)/i;

/** Statements the user made that can become content (requests and the task description are skipped). */
function keyPoints(texts: string[], topic?: string): string[] {
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
      if (/^\(?[abc]\)?\b/i.test(clause)) continue;
      points.push(clause);
    }
  }
  return [...new Set(points)].slice(0, 4);
}

const toThirdPerson = (s: string) =>
  s
    .replace(/\bI'm\b/g, 'she was')
    .replace(/\bI am\b/g, 'she was')
    .replace(/\bI've\b/g, 'she had')
    .replace(/\bI\b/g, 'she')
    .replace(/\bmyself\b/gi, 'herself')
    .replace(/\bmy\b/gi, 'her')
    .replace(/\bme\b/gi, 'her');

// ---------------------------------------------------------------------------------------------
// Questions asked before drafting

interface Question {
  prompt: string;
  options: string[];
  /** What an answer to this question sets in the brief. */
  sets: 'audience' | 'goal' | 'tone';
}

function collabQuestions(kind: DocKind, topic: string, detailed: boolean): Question[] {
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

function proactiveQuestions(kind: DocKind): Question[] {
  return [
    { prompt: `Who will read this ${docLabels[kind]}?`, options: [], sets: 'audience' },
    { prompt: 'What tone would you like, for example formal, conversational or humorous?', options: [], sets: 'tone' },
  ];
}

interface Brief {
  kind: DocKind;
  topic: string;
  audience?: string;
  goal?: string;
  tone?: string;
  points: string[];
}

const letters = ['a', 'b', 'c'];

/** Reads the user's answer to our questions: option letters ("1b", "(a)"), option words, or free text. */
function applyAnswers(brief: Brief, questions: Question[], answer: string) {
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

function detectTone(lower: string): string | undefined {
  if (/\b(funny|humou?r|humorous|playful|light-?hearted|witty)\b/.test(lower)) return 'playful';
  if (/\b(formal|professional|academic|serious)\b/.test(lower)) return 'formal';
  if (/\b(casual|conversational|friendly|informal|relaxed|chatty)\b/.test(lower)) return 'conversational';
  if (/\b(inspir\w*|motivat\w*|uplifting|hopeful)\b/.test(lower)) return 'uplifting';
  if (/\b(warm|heartfelt|emotional|personal|sincere)\b/.test(lower)) return 'warm';
  return undefined;
}

function formatQuestions(questions: Question[]): string {
  return questions
    .map((q, i) => {
      const head = questions.length > 1 ? `${i + 1}. ${q.prompt}` : q.prompt;
      const opts = q.options.map((o, j) => `   (${letters[j]}) ${o}`).join('\n');
      return opts ? `${head}\n${opts}` : head;
    })
    .join('\n');
}

// ---------------------------------------------------------------------------------------------
// Drafting

const defaultAudience: Record<DocKind, string> = {
  blog: 'curious readers',
  creative: 'readers who enjoy quiet, character-driven stories',
  statement: 'the selection committee',
  general: 'a general audience',
};

function draftDocument(brief: Brief, digest: Buffer): string {
  const topic = brief.topic;
  const audience = brief.audience ?? defaultAudience[brief.kind];
  const points = brief.points.length ? brief.points : [];
  switch (brief.kind) {
    case 'creative':
      return draftStory(topic, audience, brief, points, digest);
    case 'statement':
      return draftStatement(topic, audience, brief, points, digest);
    default:
      return draftArticle(topic, audience, brief, points, digest);
  }
}

function draftArticle(topic: string, audience: string, brief: Brief, points: string[], d: Buffer): string {
  const title = pick(
    [`${topic}: What Nobody Tells You`, `Why ${topic} Deserves a Second Look`, `A Field Guide to ${topic}`, `Rethinking ${topic}`].map(titleCase),
    d,
    1,
  );
  const hook = pick(
    [
      `Most of us think we understand ${topic}, right up until we try to explain it to someone else.`,
      `Sooner or later, ${topic} stops being an abstract idea and becomes something you have to deal with.`,
      `If you have ever wondered whether ${topic} is worth your attention, this post is for you.`,
      `Nobody warned me how much ${topic} would teach me about everything else.`,
    ],
    d,
    2,
  );
  const toneLine =
    brief.tone === 'playful'
      ? ' (Spoiler: it is less serious than it sounds, and more fun.)'
      : brief.tone === 'formal'
        ? ' What follows sets out the main considerations in turn.'
        : '';
  const sections: string[] = [];
  const headings = pick(
    [
      ['Where it starts', 'What gets overlooked', 'What to do with it'],
      ['The common picture', 'A closer look', 'Putting it into practice'],
      ['Why it matters now', 'The part people skip', 'A small first step'],
    ],
    d,
    3,
  );
  const bodies = [
    points[0]
      ? `${capitalize(points[0])}. That detail matters, because it turns ${topic} from a slogan into something ${audience} can picture and test against their own lives.`
      : `The usual story about ${topic} is tidy and a little too simple. For ${audience}, the interesting part is what happens once you look past it.`,
    points[1]
      ? `${capitalize(points[1])}. It is easy to skim past a point like this, yet it is often where the real change begins.`
      : `What gets overlooked is the slow, unglamorous part: the habits, the small decisions and the people around us that shape how ${topic} actually plays out.`,
    brief.goal
      ? `So here is the takeaway I want you to leave with: ${brief.goal.replace(/^(a|an)\s/i, (m) => m.toLowerCase())}. Start small, notice what changes, and adjust from there.`
      : `None of this requires a grand plan. Pick one idea from this post, try it for a week, and notice what changes.`,
  ];
  for (const [i, h] of headings.entries()) sections.push(`## ${h}\n\n${bodies[i]}`);
  const close = pick(
    [
      `${capitalize(topic)} will not sort itself out overnight, but it rewards anyone willing to look twice. I would love to hear how it goes for you.`,
      `The best time to think differently about ${topic} was years ago; the second-best time is this week.`,
      `In the end, ${topic} is less about having the answers and more about asking better questions.`,
    ],
    d,
    4,
  );
  return [`# ${title}`, hook + toneLine, ...sections, close].join('\n\n');
}

function draftStory(topic: string, audience: string, brief: Brief, points: string[], d: Buffer): string {
  const name = pick(storyNames, d, 1);
  const place = pick(['the harbour town', 'a flat above the bakery', 'the last stop on the night bus', 'her grandmother\'s garden', 'the empty school hall'], d, 2);
  const title = pick([`The Weight of ${topic}`, `What ${name} Kept`, `Notes on ${topic}`, `Before the Light Changed`].map(titleCase), d, 3);
  const viewpoint = brief.audience && /looking back/.test(brief.audience) ? 'Years later, she would still remember' : 'She had not expected';
  const mood = brief.goal ?? pick(['hopeful', 'bittersweet', 'quietly hopeful'], d, 4);
  const detail = points[0] ? ` On the first page of her notebook she had written: "${toThirdPerson(points[0])}."` : '';
  const second = points[1]
    ? `It came back to her in pieces: ${toThirdPerson(points[1])}. She turned the thought over the way you turn a stone in your pocket.`
    : `It came back to her in pieces, the way things do when you stop chasing them.`;
  const ending =
    /unsettl/.test(mood)
      ? `When ${name} looked up, the room was exactly as she had left it, except for one thing she could not name.`
      : /bitter/.test(mood)
        ? `${name} let the moment go. Some things, she decided, are only yours while you are not holding them.`
        : `${name} smiled, picked up the pen again, and began, for the first time, to write it down properly.`;
  return [
    `# ${title}`,
    `${viewpoint.replace('She', name).replace('she', name)} that ${topic} would find her in ${place}.${detail}`,
    `${second} Outside, the evening went on without her, ordinary and unhurried.`,
    `"You always do this," said a voice from the doorway, not unkindly. ${name} did not answer. There was a version of this story where she explained everything, and it was not this one.`,
    ending,
  ].join('\n\n');
}

function draftStatement(topic: string, audience: string, brief: Brief, points: string[], d: Buffer): string {
  const opening = points[0]
    ? `${capitalize(points[0])}. Looking back, that moment is where my interest in ${topic} really began.`
    : pick(
        [
          `I did not choose ${topic}; at first it chose me, in the form of a problem I could not stop thinking about.`,
          `The first time I understood why ${topic} mattered, I was not in a classroom at all.`,
        ],
        d,
        1,
      );
  const quality = brief.goal ?? pick(['persistence after a setback', 'curiosity that turned into action', 'care for other people'], d, 2);
  const middle = points[1]
    ? `${capitalize(points[1])}. That experience taught me ${quality.replace(/^(a|an)\s/i, '')} is not a trait you either have or lack; it is something you practise.`
    : `Since then I have looked for every chance to go deeper, and along the way I learned that ${quality} is not a trait you either have or lack; it is something you practise.`;
  const forWhom = /university|programme|program/i.test(audience)
    ? 'this programme'
    : /job|fellowship|role/i.test(audience)
      ? 'this role'
      : /scholarship/i.test(audience)
        ? 'this scholarship'
        : 'this opportunity';
  return [
    '# Personal Statement',
    opening,
    middle,
    `I am applying to ${forWhom} because it would let me turn that practice into real expertise in ${topic}, alongside people who take it as seriously as I do.`,
    `In the years ahead I want to use what I learn to make ${topic} a little easier for the next person who meets it unprepared. I would bring the same ${/care/.test(quality) ? 'care' : 'determination'} to ${forWhom} that brought me here.`,
  ].join('\n\n');
}

// ---------------------------------------------------------------------------------------------
// Revising

function extractDraft(reply: string): string | undefined {
  const lines = reply.split('\n');
  const start = lines.indexOf(DRAFT_FENCE);
  const end = start >= 0 ? lines.indexOf(DRAFT_FENCE, start + 1) : -1;
  if (start < 0 || end < 0) return undefined;
  return lines.slice(start + 1, end).join('\n').trim();
}

function latestDraft(assistants: string[]): string | undefined {
  for (let i = assistants.length - 1; i >= 0; i--) {
    const draft = extractDraft(assistants[i]!);
    if (draft) return draft;
  }
  return undefined;
}

const contractions: [RegExp, string][] = [
  [/\bdo not\b/g, "don't"],
  [/\bit is\b/g, "it's"],
  [/\bI am\b/g, "I'm"],
  [/\bcannot\b/g, "can't"],
  [/\bwill not\b/g, "won't"],
  [/\bthat is\b/g, "that's"],
  [/\bI would\b/g, "I'd"],
];

interface Revision {
  draft: string;
  changes: string[];
}

function revise(draft: string, request: string, brief: Brief, d: Buffer): Revision {
  const lower = request.toLowerCase();
  let blocks = draft.split(/\n{2,}/);
  const changes: string[] = [];
  const isHeading = (b: string) => b.startsWith('#');
  const bodyIndexes = () => blocks.map((b, i) => (isHeading(b) ? -1 : i)).filter((i) => i >= 0);

  if (/\b(shorter|shorten|concise|too long|trim|brief|tighten|condense)\b/.test(lower)) {
    blocks = blocks.map((b) => {
      if (isHeading(b)) return b;
      const sentences = b.match(/[^.!?]+[.!?]+["”)]?\s*/g) ?? [b];
      return sentences.length > 1 ? sentences.slice(0, Math.ceil(sentences.length / 2)).join('').trim() : b;
    });
    // Cut a middle paragraph that carries none of the user's own words, never their content.
    const userWords = new Set(contentWords(brief.points.join(' ')));
    const body = bodyIndexes();
    const generic = body.slice(1, -1).find((i) => !contentWords(blocks[i]!).some((w) => userWords.has(w)));
    if (body.length > 3 && generic !== undefined) {
      blocks.splice(generic, 1);
      if (blocks[generic - 1]?.startsWith('## ')) blocks.splice(generic - 1, 1);
    }
    changes.push('tightened the paragraphs and cut a general one');
  }
  if (/\b(formal|professional|academic)\b/.test(lower)) {
    for (const [pattern, short] of contractions) {
      const long = pattern.source.replace(/\\b/g, '');
      blocks = blocks.map((b) => b.split(short).join(long).replace(/!/g, '.'));
    }
    blocks = blocks.map((b) => b.replace(/ \(Spoiler:[^)]*\)/, ''));
    changes.push('made the tone more formal');
  }
  if (/\b(casual|conversational|friendly|informal|relaxed|lighter)\b/.test(lower)) {
    blocks = blocks.map((b) => contractions.reduce((acc, [p, s]) => acc.replace(p, s), b));
    const first = bodyIndexes()[0];
    if (first !== undefined) blocks[first] = `${blocks[first]} Let's be honest, we've all been there.`;
    changes.push('relaxed the tone');
  }
  if (/\b(funny|humou?r|humorous|joke|playful|witty)\b/.test(lower)) {
    const first = bodyIndexes()[0];
    const joke = pick(
      [
        `(If ${brief.topic} had a dating profile, "it's complicated" would be the whole bio.)`,
        `(Yes, I checked: nobody has ever mastered ${brief.topic} before their morning coffee.)`,
        '(I promise there is a point to this. Eventually.)',
      ],
      d,
      7,
    );
    if (first !== undefined) blocks[first] = `${blocks[first]} ${joke}`;
    changes.push('added some humour');
  }
  if (/\b(title|headline)\b/.test(lower)) {
    const newTitle = pick(
      brief.kind === 'creative'
        ? [`After ${brief.topic}`, `The Long Way Round`, `What the Evening Kept`, `A Small Hour`].map(titleCase)
        : brief.kind === 'statement'
          ? ['Personal Statement', `Personal Statement: Why ${brief.topic}`].map(titleCase)
          : [`On ${brief.topic}`, `${brief.topic}, Honestly`, `The Quiet Case for ${brief.topic}`, `Learning from ${brief.topic}`].map(titleCase),
      d,
      8,
    );
    const t = blocks.findIndex((b) => b.startsWith('# '));
    if (t >= 0) blocks[t] = `# ${newTitle}`;
    else blocks.unshift(`# ${newTitle}`);
    changes.push('gave it a new title');
  }
  const name = draft.match(new RegExp(`\\b(${storyNames.join('|')})\\b`))?.[1] ?? 'She';
  if (/\b(opening|intro|introduction|hook|beginning|first paragraph|first line)\b/.test(lower)) {
    const first = bodyIndexes()[0];
    const openings: Record<DocKind, string[]> = {
      blog: [
        `Here is a confession: for a long time, ${brief.topic} was something I avoided thinking about.`,
        `Picture the last time ${brief.topic} came up in conversation. Did anyone really know what to say?`,
        `It started with a small question about ${brief.topic}, and it did not stay small for long.`,
      ],
      general: [
        `Here is a confession: for a long time, ${brief.topic} was something I avoided thinking about.`,
        `It started with a small question about ${brief.topic}, and it did not stay small for long.`,
      ],
      creative: [
        `The first thing ${name} noticed was the quiet, and then, underneath it, ${brief.topic}.`,
        `${name} had been awake for an hour before she admitted it to herself: ${brief.topic} was not going away.`,
        `"Not again," ${name} said to the empty room, and then ${brief.topic} was there, as if it had been waiting.`,
      ],
      statement: [
        `My interest in ${brief.topic} did not start with a plan; it started with a question I could not leave alone.`,
        `The moment I decided to pursue ${brief.topic} seriously is easy to name, because everything after it changed.`,
      ],
    };
    if (first !== undefined) blocks[first] = pick(openings[brief.kind], d, 9);
    changes.push('rewrote the opening');
  }
  if (/\b(ending|conclusion|last paragraph|closing|final paragraph|end with a question)\b/.test(lower)) {
    const body = bodyIndexes();
    const last = body[body.length - 1];
    const endings: Record<DocKind, string[]> = {
      blog: [
        `If there is one thing to carry away, it is this: ${brief.topic} gets easier the moment you stop facing it alone.`,
        `So the next time ${brief.topic} comes up, take a breath, remember this, and go one step further than before.`,
        `That is where I will leave it, not with an answer, but with a better question about ${brief.topic}.`,
      ],
      general: [
        `If there is one thing to carry away, it is this: ${brief.topic} gets easier the moment you stop facing it alone.`,
        `That is where I will leave it, not with an answer, but with a better question about ${brief.topic}.`,
      ],
      creative: [
        'The light changed. Whatever happened next would not be decided tonight.',
        `${name} reached for the door, then stopped, and the story stops with her.`,
        'Outside, someone laughed, and the moment closed over like water.',
      ],
      statement: [
        `I am ready for the demands of this next step, and I would bring to it everything ${brief.topic} has already taught me.`,
        `What I can promise is the same persistence that brought me this far, applied to ${brief.topic} with better tools.`,
      ],
    };
    if (last !== undefined) {
      blocks[last] = pick(endings[brief.kind], d, 10);
      if (/\bquestion\b/.test(lower) && brief.kind !== 'creative') blocks[last] += ` What has your own experience with ${brief.topic} been? Tell me in the comments.`;
    }
    changes.push(/\bquestion\b/.test(lower) ? 'ended with a question for readers' : 'rewrote the ending');
  }
  let specificAddition = false;
  if (/\bheadings?\b/.test(lower)) {
    const headings = pick([['How it began', 'The detail that matters', 'Where to go from here'], ['First impressions', 'What changed my mind', 'Try this next']], d, 13);
    let h = 0;
    blocks = blocks.map((b) => (b.startsWith('## ') ? `## ${headings[h++ % headings.length]}` : b));
    changes.push('made the section headings more specific');
    specificAddition = true;
  }
  if (/\bdialogue\b/.test(lower)) {
    const body = bodyIndexes();
    const at = body.length > 2 ? body[1]! + 1 : blocks.length;
    blocks.splice(at, 0, `"I only wanted one thing," ${name} said at last. "To stop pretending that ${brief.topic} did not matter to me."`);
    changes.push('added a line of dialogue that shows what she wants');
    specificAddition = true;
  }
  if (/\bachievement\b/.test(lower)) {
    const body = bodyIndexes();
    const at = body.length > 1 ? body[1]! + 1 : blocks.length;
    blocks.splice(at, 0, 'In concrete terms: [add one specific achievement with a number here, for example "I trained 12 new volunteers in six months"]. Details like this are what committees remember.');
    changes.push('left a marked spot for a specific achievement (fill in your own numbers)');
    specificAddition = true;
  }
  if (/\bconnect\b.*\b(programme|program|role|scholarship)\b/.test(lower)) {
    const at = blocks.findIndex((b) => b.startsWith('I am applying'));
    const line = `I am applying because this is where my experience with ${brief.topic} can grow into real expertise: its focus on practice, and the people I would learn from, fit the next step I need to take.`;
    if (at >= 0) blocks[at] = line;
    else blocks.splice(blocks.length - 1, 0, line);
    changes.push('tied your experience more directly to what you are applying for');
    specificAddition = true;
  }
  if (/\bfuture plans\b|\bafter the programme\b|\bwhat you plan\b/.test(lower)) {
    blocks.splice(blocks.length - 1, 0, `After the programme, I plan to put what I learn to work close to where ${brief.topic} affects people most, and to keep learning from them.`);
    changes.push('added what you plan to do afterwards');
    specificAddition = true;
  }
  const removal = request.match(/\b(?:remove|delete|drop|take out|get rid of|leave out|cut)\s+(?:the\s+)?(?:part|bit|section|paragraph|line|sentence)?\s*(?:about|on|with)?\s*(.+?)(?:[.!?\n]|$)/i);
  if (removal?.[1] && !/\b(shorter|shorten)\b/.test(lower)) {
    const words = contentWords(removal[1]);
    const before = blocks.length;
    blocks = blocks.filter((b) => isHeading(b) || !words.some((w) => b.toLowerCase().includes(w)));
    changes.push(blocks.length < before ? `removed the part about ${tidy(removal[1])}` : `looked for a part about ${tidy(removal[1])} but found none to remove`);
  }
  const addition = request.match(/\b(?:add|include|mention|talk about|bring in|incorporate|say something about|write about)\s+(.+?)(?:[.!?\n]|$)/i);
  const statement = keyPoints([request], brief.topic)[0];
  if (!specificAddition && (addition?.[1] || (changes.length === 0 && statement))) {
    const raw = tidy(addition?.[1] ?? statement!).replace(/^(?:something|a (?:bit|part|section|line|note|paragraph)|more|a few words)\s+(?:about|on)\s+/i, '');
    const phrase = raw.replace(/^(?:a|an|the|some)\s+/i, '');
    const sentence =
      brief.kind === 'creative'
        ? `Later, almost by accident, there was ${/^(a|an|the)\s/i.test(raw) ? raw : `the matter of ${phrase}`}. ${pick(['It changed the shape of the evening.', 'She would think about it for a long time.', 'Nobody mentioned it again, but everyone noticed.'], d, 11)}`
        : brief.kind === 'statement'
          ? /^i\b/i.test(raw)
            ? `${capitalize(raw)}. It is one of the experiences that shaped how I approach ${brief.topic}.`
            : `${capitalize(raw)} is one of the experiences that shaped how I approach ${brief.topic}.`
          : `It is also worth talking about ${phrase}. For many readers it is the most concrete way into ${brief.topic}, and it makes the rest of the argument easier to believe.`;
    const body = bodyIndexes();
    const insertAt = body.length > 1 ? body[body.length - 1]! : blocks.length;
    blocks.splice(insertAt, 0, sentence);
    changes.push(`worked in ${phrase.split(' ').slice(0, 8).join(' ')}`);
  }
  if (/\b(longer|expand|more detail|elaborate|flesh out|develop|more depth)\b/.test(lower)) {
    const body = bodyIndexes();
    const insertAt = body.length > 1 ? body[body.length - 1]! : blocks.length;
    blocks.splice(
      insertAt,
      0,
      brief.kind === 'creative'
        ? 'The hours that followed were slow and strange. She noticed everything: the hum of the fridge, the light moving across the floor, the message she had started three times and deleted three times.'
        : `To make this concrete, think of a single ordinary week. Most of what matters about ${brief.topic} shows up there, in small choices that add up long before anyone notices them.`,
    );
    changes.push('expanded the middle with a concrete example');
  }
  if (changes.length === 0) {
    const body = bodyIndexes();
    const target = body[Math.min(1, body.length - 1)];
    if (target !== undefined) blocks[target] = `${blocks[target]} ${pick(['That, at least, is the honest version.', 'It is a small point, but it carries the rest.', 'Everything else follows from there.'], d, 12)}`;
    changes.push('polished the wording throughout');
  }
  return { draft: blocks.join('\n\n'), changes };
}

// ---------------------------------------------------------------------------------------------
// The three styles

const isThanks = (s: string) => /\b(thanks|thank you|perfect|looks good|love it|that's great|great job|all good|i'm happy|done)\b/i.test(s) && s.split(/\s+/).length <= 10;

function fenced(draft: string): string {
  return `${DRAFT_FENCE}\n${draft}\n${DRAFT_FENCE}`;
}

function listChanges(changes: string[]): string {
  if (changes.length === 1) return changes[0]!;
  return `${changes.slice(0, -1).join(', ')} and ${changes[changes.length - 1]}`;
}

/** Suggestions offered after a draft, each with the request it stands for when the user picks it. */
const stepPool: Record<DocKind, [label: string, request: string][]> = {
  blog: [
    ['sharpen the opening so it earns the first ten seconds', 'rewrite the opening'],
    ['add one concrete example from your own experience', 'make it longer with more detail'],
    ['tighten it to around 400 words', 'make it shorter'],
    ['give each section a more specific heading', 'rename the headings'],
    ['end with a question that invites comments', 'end with a question'],
  ],
  creative: [
    ['give the main character a line of dialogue that reveals what she wants', 'add a line of dialogue'],
    ['slow down the central moment with more sensory detail', 'make it longer with more detail'],
    ['change the ending to leave more unsaid', 'rewrite the ending'],
    ['sharpen the title', 'change the title'],
    ['cut the opening line and start in the middle of the action', 'rewrite the opening'],
  ],
  statement: [
    ['replace a general sentence with a specific achievement and a number', 'add an achievement'],
    ['connect your experience more directly to the programme', 'connect it to the programme'],
    ['tighten the opening anecdote', 'rewrite the opening'],
    ['add what you plan to do after the programme', 'add future plans'],
    ['make it more concise', 'make it shorter'],
  ],
  general: [
    ['sharpen the opening', 'rewrite the opening'],
    ['add a concrete example', 'make it longer with more detail'],
    ['tighten the wording', 'make it shorter'],
    ['rework the ending', 'rewrite the ending'],
    ['change the title', 'change the title'],
  ],
};

function nextSteps(kind: DocKind, d: Buffer): string[] {
  const items = stepPool[kind];
  const start = d[20]! % items.length;
  return [0, 1, 2].map((i) => items[(start + i * 2) % items.length]![0]);
}

const stepRequest = (label: string) => Object.values(stepPool).flat().find(([l]) => l === label)?.[1] ?? label;

/**
 * What the user's latest message asks for. A bare letter picks one of the options we offered after
 * the draft; a short "yes" accepts the single suggestion we made.
 */
function effectiveRequest(last: string, previousReply: string | undefined): string {
  const tail = previousReply?.split(`\n${DRAFT_FENCE}\n`).pop() ?? '';
  const options = [...tail.matchAll(/^\(([abc])\) (.+)$/gm)].map((m) => m[2]!);
  const suggestion = tail.match(/we could (.+?)\. Would that help/)?.[1];
  const letter = last.trim().match(/^(?:option\s+|let's do\s+|go with\s+)?\(?([abc])\)?[.!]?$/i)?.[1]?.toLowerCase();
  if (letter && options.length) return stepRequest(options[letters.indexOf(letter)] ?? '');
  if (suggestion && last.split(/\s+/).length <= 6 && /^(yes|yeah|yep|sure|ok|okay|go ahead|do it|please do|sounds good|let's do (?:it|that))\b/i.test(last.trim()))
    return stepRequest(suggestion);
  return last;
}

function briefFrom(conv: Conversation): Brief {
  const all = conv.users.join('\n');
  const kind = detectKind(all);
  const topic = extractTopic(conv.users[0] ?? '') ?? 'your topic';
  return { kind, topic, audience: statedAudience(conv.users), points: keyPoints(conv.users, topic), tone: detectTone(all.toLowerCase()) };
}

function baselineReply(conv: Conversation): string {
  const brief = briefFrom(conv);
  const d = conv.digest;
  const last = conv.users[conv.users.length - 1] ?? '';
  const previous = latestDraft(conv.assistants);
  const offer = pick(
    [
      "I hope this helps! Let me know if you'd like any changes, such as a different tone, length or structure.",
      'Feel free to ask for any adjustments. I can make it longer, shorter, more formal or more casual, or add more detail to any section.',
      'Let me know if you want me to change anything, for example the title, the tone or the length.',
    ],
    d,
    5,
  );
  if (previous && isThanks(last)) return "You're welcome! I'm glad it works for you. Let me know if there is anything else you need.";
  if (!previous) {
    return `Sure! Here is a ${docLabels[brief.kind]} about ${brief.topic}:\n\n${fenced(draftDocument(brief, d))}\n\n${offer}`;
  }
  const { draft } = revise(previous, last, brief, d);
  return `${pick(['Sure!', 'Absolutely!', 'Of course!'], d, 6)} Here is the revised version:\n\n${fenced(draft)}\n\n${offer}`;
}

function proactiveReply(conv: Conversation): string {
  const brief = briefFrom(conv);
  const d = conv.digest;
  const last = conv.users[conv.users.length - 1] ?? '';
  const previous = latestDraft(conv.assistants);
  if (conv.assistants.length === 0) {
    return `I'd be glad to help with your ${docLabels[brief.kind]} about ${brief.topic}. Before I write anything, a couple of questions:\n\n${formatQuestions(proactiveQuestions(brief.kind))}\n\nOnce I know this, I'll put together a first draft.`;
  }
  if (previous && isThanks(last)) return 'Great, I am glad it is useful. Is there anything else about the tone or the audience you would like me to adjust?';
  if (!previous) {
    applyAnswers(brief, proactiveQuestions(brief.kind), conv.users[1] ?? '');
    return `Thank you, that helps. Here is a first draft written for ${brief.audience ?? defaultAudience[brief.kind]}:\n\n${fenced(draftDocument(brief, d))}\n\nDoes this match what you had in mind? Would you like me to change the tone, the length or the structure?`;
  }
  const { draft, changes } = revise(previous, last, brief, d);
  const follow = pick(
    [
      'How does this look? Who is the main audience again, so I can fine-tune the wording?',
      'Is this closer to what you want? Would you like me to adjust the tone any further?',
      'What do you think? Should I change the length or the structure as well?',
    ],
    d,
    6,
  );
  return `I have revised the draft: I ${listChanges(changes)}.\n\n${fenced(draft)}\n\n${follow}`;
}

function collabReply(conv: Conversation): string {
  const brief = briefFrom(conv);
  const d = conv.digest;
  const first = conv.users[0] ?? '';
  const last = conv.users[conv.users.length - 1] ?? '';
  const previous = latestDraft(conv.assistants);
  const detailed = first.split(/\s+/).length >= 40;
  const questions = collabQuestions(brief.kind, brief.topic, detailed);
  if (conv.assistants.length === 0) {
    const restate = pick(
      [`So the goal is a ${docLabels[brief.kind]} about ${brief.topic}.`, `You want a ${docLabels[brief.kind]} on ${brief.topic}, and I want it to sound like you.`, `A ${docLabels[brief.kind]} about ${brief.topic}: good choice.`],
      d,
      1,
    );
    const ask = questions.length > 1 ? 'Two quick questions so the first draft fits:' : 'One quick question before I draft:';
    return `${restate} ${ask}\n\n${formatQuestions(questions)}\n\nPick a letter or answer in your own words; a few words are enough.`;
  }
  if (previous && isThanks(last)) {
    const step = nextSteps(brief.kind, d)[0]!;
    return `I'm glad it's working. If you want one last improvement, I would ${step}. Shall I do that, or is it finished as it stands?`;
  }
  if (!previous) {
    applyAnswers(brief, questions, conv.users[1] ?? '');
    const used = [brief.audience && `written for ${brief.audience}`, brief.goal && `aiming for ${brief.goal}`].filter(Boolean).join(', ');
    const steps = nextSteps(brief.kind, d);
    return `Thanks, that gives me a clear direction. Here is a first draft${used ? `, ${used}` : ''}:\n\n${fenced(draftDocument(brief, d))}\n\nWhere would you like to go next?\n(a) ${steps[0]}\n(b) ${steps[1]}\n(c) ${steps[2]}\nOr tell me what feels off, even roughly, and we will fix it together.`;
  }
  applyAnswers(brief, questions, conv.users[1] ?? '');
  const { draft, changes } = revise(previous, effectiveRequest(last, conv.assistants[conv.assistants.length - 1]), brief, d);
  const [step] = nextSteps(brief.kind, Buffer.from(crypto.createHash('sha256').update(last).digest()));
  return `Done: I ${listChanges(changes)}.\n\n${fenced(draft)}\n\nOne suggestion for the next round: we could ${step}. Would that help, or is there a part that still doesn't feel right?`;
}

/** The demo model's whole reply for a conversation (pure and deterministic). */
export function demoReply(style: DemoStyle, messages: ChatMessage[]): string {
  const conv = readConversation(messages);
  if (conv.users.length === 0)
    return pick(
      [
        'Hello! What would you like to write today? Tell me the kind of document and what it should be about.',
        'Hi! I can help you write something. What kind of document is it, and what is it about?',
      ],
      conv.digest,
      0,
    );
  switch (style) {
    case 'baseline':
      return baselineReply(conv);
    case 'proactive':
      return proactiveReply(conv);
    case 'collabllm':
      return collabReply(conv);
  }
}

export async function* demoStream(target: ModelTarget, messages: ChatMessage[], opts: CallOptions): AsyncGenerator<StreamEvent> {
  const style = target.model as DemoStyle;
  const start = performance.now();
  const text = demoReply(style, messages);
  const words = text.match(/\s*\S+/g) ?? [];
  let firstAt: number | undefined;
  for (const [i, word] of words.entries()) {
    if (opts.signal?.aborted) throw cancelledError();
    if (i > 0 && env.DEMO_MODEL_WORD_DELAY_MS > 0) await abortableSleep(env.DEMO_MODEL_WORD_DELAY_MS, opts.signal);
    firstAt ??= performance.now();
    yield { type: 'delta', text: word };
  }
  const end = performance.now();
  yield {
    type: 'done',
    text,
    model: demoModelName(style),
    usage: { promptTokens: countPromptTokens(messages), completionTokens: countTokens(text) },
    ttftMs: Math.round((firstAt ?? end) - start),
    generationMs: Math.round(end - (firstAt ?? end)),
    attempts: 1,
    isDemo: true,
  };
}

export async function demoComplete(target: ModelTarget, messages: ChatMessage[], opts: CallOptions): Promise<Completion> {
  const style = target.model as DemoStyle;
  if (opts.signal?.aborted) throw cancelledError();
  const start = performance.now();
  const text = demoReply(style, messages);
  return {
    text,
    model: demoModelName(style),
    usage: { promptTokens: countPromptTokens(messages), completionTokens: countTokens(text) },
    latencyMs: Math.round(performance.now() - start),
    attempts: 1,
    isDemo: true,
  };
}
