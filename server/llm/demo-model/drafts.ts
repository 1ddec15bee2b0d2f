/** First drafts for each document type, built from the brief and brought to the requested length. */
import { defaultWords, extraParagraphs, fitLength } from './length';
import type { Brief } from './questions';
import { capitalize, pick, storyNames, titleCase, toThirdPerson, type DocKind } from './reading';

export const defaultAudience: Record<DocKind, string> = {
  blog: 'curious readers',
  creative: 'readers who enjoy quiet, character-driven stories',
  statement: 'the selection committee',
  general: 'a general audience',
};

export function draftDocument(brief: Brief, digest: Buffer): string {
  const topic = brief.topic;
  const audience = brief.audience ?? defaultAudience[brief.kind];
  const points = brief.points.length ? brief.points : [];
  const text =
    brief.kind === 'creative'
      ? draftStory(topic, audience, brief, points, digest)
      : brief.kind === 'statement'
        ? draftStatement(topic, audience, brief, points, digest)
        : draftArticle(topic, audience, brief, points, digest);
  const name = text.match(new RegExp(`\\b(${storyNames.join('|')})\\b`))?.[1] ?? 'She';
  const target = brief.targetWords ?? defaultWords[brief.kind];
  return fitLength(text.split(/\n{2,}/), target, extraParagraphs(brief.kind, topic, audience, name, digest)).join('\n\n');
}

export function draftArticle(topic: string, audience: string, brief: Brief, points: string[], d: Buffer): string {
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

export function draftStory(topic: string, audience: string, brief: Brief, points: string[], d: Buffer): string {
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

export function draftStatement(topic: string, audience: string, brief: Brief, points: string[], d: Buffer): string {
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
