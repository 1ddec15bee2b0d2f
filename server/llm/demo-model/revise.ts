/** Later turns: find the previous draft and change it the way the user asked. */
import { splitReply } from '../document-part';
import { extraParagraphs, fitLength } from './length';
import type { Brief } from './questions';
import { capitalize, contentWords, keyPoints, pick, requestedWords, storyNames, tidy, titleCase, type DocKind } from './reading';

/** Replies stored before the `<document>` convention fenced drafts with `---` lines; both are read. */
const LEGACY_FENCE = '---';

export function extractDraft(reply: string): string | undefined {
  const marked = splitReply(reply);
  if (marked.document) return marked.document;
  const lines = reply.split('\n');
  const start = lines.indexOf(LEGACY_FENCE);
  const end = start >= 0 ? lines.indexOf(LEGACY_FENCE, start + 1) : -1;
  if (start < 0 || end < 0) return undefined;
  return lines.slice(start + 1, end).join('\n').trim();
}

export function latestDraft(assistants: string[]): string | undefined {
  for (let i = assistants.length - 1; i >= 0; i--) {
    const draft = extractDraft(assistants[i]!);
    if (draft) return draft;
  }
  return undefined;
}

export const contractions: [RegExp, string][] = [
  [/\bdo not\b/g, "don't"],
  [/\bit is\b/g, "it's"],
  [/\bI am\b/g, "I'm"],
  [/\bcannot\b/g, "can't"],
  [/\bwill not\b/g, "won't"],
  [/\bthat is\b/g, "that's"],
  [/\bI would\b/g, "I'd"],
];

export interface Revision {
  draft: string;
  changes: string[];
}

export function revise(draft: string, request: string, brief: Brief, d: Buffer): Revision {
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
  const words = requestedWords(request);
  if (words !== undefined) {
    blocks = fitLength(blocks, words, extraParagraphs(brief.kind, brief.topic, brief.audience ?? 'readers', name, d));
    changes.push(`brought it to about ${words} words`);
  }
  if (changes.length === 0) {
    const body = bodyIndexes();
    const target = body[Math.min(1, body.length - 1)];
    if (target !== undefined) blocks[target] = `${blocks[target]} ${pick(['That, at least, is the honest version.', 'It is a small point, but it carries the rest.', 'Everything else follows from there.'], d, 12)}`;
    changes.push('polished the wording throughout');
  }
  return { draft: blocks.join('\n\n'), changes };
}
