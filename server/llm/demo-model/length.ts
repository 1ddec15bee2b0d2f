/**
 * Bringing a draft to about the length asked for: further paragraphs (written for the document type and
 * topic, in a seeded order) are added before the closing paragraph, and sentences are trimmed when it is
 * too long. Each type has a default length for requests that name none.
 */
import { pick, wordCount, type DocKind } from './reading';

export const defaultWords: Record<DocKind, number> = { blog: 400, creative: 350, statement: 400, general: 350 };

/** Good enough for "about N words": within 15 % either way. */
const TOLERANCE = 0.15;

function articleParagraphs(topic: string, audience: string): string[] {
  return [
    `It helps to start with what ${topic} looks like on an ordinary day. Not the headline version, but the small moments: the decision you make without noticing, the habit you picked up from someone else, the thing you keep meaning to change. Those moments are where most of the story actually happens.`,
    `A useful test is to ask what would be different a year from now if you took ${topic} seriously. For most ${audience}, the honest answer is "more than I expected". Small, repeated choices compound, and the people who notice that early tend to have an easier time later.`,
    `There is also a common mistake worth naming. People often treat ${topic} as something to get exactly right before they begin, so they never begin. The better approach is to start rough, pay attention to what happens, and improve as you go. Nobody gets it right the first time.`,
    `It is worth listening to people who have been at this longer. Ask them what surprised them about ${topic}, and you will rarely hear about the big moments. You will hear about patience, about the days when nothing seemed to change, and about the day when suddenly everything had.`,
    `Of course, there are real obstacles. Time is short, money is finite, and advice about ${topic} often contradicts itself. Rather than trying to follow all of it, pick the one piece that fits your situation best and ignore the rest for now. You can always come back to it.`,
    `One practical step makes a surprising difference: write down what you try and what happens. A few lines a week is enough. After a month you will see patterns in your own experience of ${topic} that no article, including this one, could have told you.`,
    `It also helps to share the journey. Talking about ${topic} with a friend, a neighbour or an online group turns a private struggle into a shared project, and other people will spot what you have missed. Encouragement is easier to find than most of us assume.`,
    `Finally, be kind to yourself about the pace. Progress with ${topic} is rarely a straight line; there will be weeks that feel like going backwards. That is normal, and it is usually a sign that you are learning something the easy weeks could not teach.`,
    `If you want a simple plan, try this: one small change this week, one conversation about it next week, and one honest look back at the end of the month. That rhythm is modest enough to keep and strong enough to show you whether ${topic} deserves a bigger place in your life.`,
    `The research and the anecdotes point the same way here. What matters most about ${topic} is not a single big decision but the environment you build around it: the reminders, the people, the routines that make the right choice the easy one.`,
    `Some readers will say this all sounds obvious, and in a way it is. But obvious is not the same as easy, and the gap between knowing and doing is exactly where ${topic} becomes interesting. Closing that gap a little at a time is the whole point.`,
    `It is worth remembering why ${topic} matters at all. Behind the practical advice there is a simple idea: the way we handle the everyday says a great deal about what we value, and small changes there ripple outwards further than we can see.`,
  ];
}

function storyParagraphs(topic: string, name: string): string[] {
  return [
    `The kettle clicked off and ${name} did not move. She was thinking about the first time ${topic} had mattered to her, years ago, when she was too young to understand why the adults around her had gone so quiet.`,
    `Outside, the street lamps came on one by one. A neighbour's dog barked twice and then gave up. ${name} watched her reflection form in the dark window, a woman she almost recognised, holding a cup she had forgotten to drink from.`,
    `She found the box at the back of the wardrobe, where she had always known it would be. Inside were letters, a train ticket, a photograph folded so many times the face in it had worn away. She sat on the floor and read until the light was gone.`,
    `"You could just ask," her sister had said once, as if that had ever been simple. ${name} had laughed then. She was not laughing now. Some questions get heavier the longer you carry them, and this one had been with her a long time.`,
    `The next morning the town looked washed and new. ${name} walked the long way to the harbour, past the bakery and the shuttered bookshop, rehearsing sentences she knew she would never say out loud.`,
    `By noon she had made a decision, or perhaps the decision had made her. It did not feel brave. It felt like setting down something she had been holding so long that her hands had forgotten any other shape.`,
    `There was a moment, just before she knocked, when she almost turned back. She could feel the whole of her old life behind her, patient and familiar, waiting for her to come to her senses. She knocked anyway.`,
    `Afterwards, she could never quite remember what was said. Only the feeling of it: a door opening somewhere inside her, and the cold, surprising air that came through it, smelling of rain and of ${topic}.`,
    `That night she slept without dreaming for the first time in months. When she woke, the room was full of a pale, ordinary light, and ${name} lay still for a long time, listening to the world begin again without her.`,
    `Later, people would ask her what had changed, and she would shrug and say it was nothing, really. It was not nothing. It was the smallest thing in the world, and it had changed everything after it.`,
  ];
}

function statementParagraphs(topic: string): string[] {
  return [
    `My first serious encounter with ${topic} taught me how much I did not know. Rather than discouraging me, that gap became a reason to keep going: I read widely, asked questions of people more experienced than me, and looked for every chance to learn by doing.`,
    `One experience stands out. Working on a project related to ${topic}, I was responsible for a task that went wrong in the first week. Fixing it meant admitting the mistake, asking for help and rebuilding my plan from the ground up. The result was better than the original, and so was I.`,
    `I have also learned that I work best alongside others. In group settings I am often the person who organises the practical details, checks that everyone has been heard, and keeps the work moving when energy fades. Those habits will serve me well in a demanding environment.`,
    `Outside my formal studies, I have kept ${topic} close. I volunteer, follow current debates, and try to connect what I read with what I see around me. This steady, self-directed interest is, I believe, the best evidence that my motivation will last.`,
    `I am aware of the challenges ahead. The work will be more rigorous than anything I have done so far, and I expect to be stretched. I welcome that: the moments when I have grown most have always been the ones when I was least comfortable.`,
    `What I hope to gain is not only knowledge of ${topic} but the judgement to use it well: to know which questions matter, which methods to trust and how to explain my conclusions to people who do not share my background.`,
    `In return, I would bring reliability, curiosity and a practical turn of mind. I finish what I start, I ask for feedback and act on it, and I care about the people my work is meant to serve.`,
    `Looking further ahead, I see myself working where ${topic} meets everyday life, turning careful analysis into decisions that help real people. The next step I am applying for is the most direct route I know towards that goal.`,
    `I have thought carefully about why now is the right time. My experience so far has given me a solid foundation and a clear sense of direction, and I am ready to commit fully to the next stage.`,
    `Above all, ${topic} has taught me that meaningful progress is built patiently, one honest step at a time. That is the attitude I would bring to every part of this opportunity.`,
  ];
}

/** Paragraphs that can lengthen a draft of this type, in a seeded order. */
export function extraParagraphs(kind: DocKind, topic: string, audience: string, name: string, d: Buffer): string[] {
  const pool = kind === 'creative' ? storyParagraphs(topic, name) : kind === 'statement' ? statementParagraphs(topic) : articleParagraphs(topic, audience);
  const offset = pick(pool.map((_, i) => i), d, 14);
  return pool.map((_, i) => pool[(offset + i) % pool.length]!);
}

const isHeading = (block: string) => block.startsWith('#');

function trimSentence(block: string): string | undefined {
  const sentences = block.match(/[^.!?]+[.!?]+["”)]?\s*/g);
  if (!sentences || sentences.length < 2) return undefined;
  return sentences.slice(0, -1).join('').trim();
}

/** Adds paragraphs from `extra` (before the closing paragraph) or trims sentences until the text is about `target` words. */
export function fitLength(blocks: string[], target: number, extra: string[]): string[] {
  const out = [...blocks];
  const total = () => wordCount(out.join('\n\n'));
  const pool = extra.filter((p) => !out.includes(p));
  for (let added = 0; total() < target * (1 - TOLERANCE) && pool.length; added++) {
    const body = out.map((b, i) => (isHeading(b) ? -1 : i)).filter((i) => i >= 0);
    // Spread over the sections (at the end of each `##` section), always before the closing paragraph.
    const sectionEnds = out.map((b, i) => (b.startsWith('## ') && i > out.findIndex((x) => x.startsWith('## ')) ? i : -1)).filter((i) => i >= 0);
    const slots = [...sectionEnds, body.length > 1 ? body[body.length - 1]! : out.length];
    out.splice(slots[added % slots.length]!, 0, pool.shift()!);
  }
  while (total() > target * (1 + TOLERANCE)) {
    const body = out.map((b, i) => (isHeading(b) ? -1 : i)).filter((i) => i >= 0);
    // Shorten the longest paragraph by a sentence; drop a middle paragraph when none has two sentences left.
    const longest = [...body].sort((a, b) => wordCount(out[b]!) - wordCount(out[a]!)).find((i) => trimSentence(out[i]!) !== undefined);
    if (longest !== undefined) out[longest] = trimSentence(out[longest]!)!;
    else if (body.length > 2) out.splice(body[Math.floor(body.length / 2)]!, 1);
    else break;
  }
  return out;
}
