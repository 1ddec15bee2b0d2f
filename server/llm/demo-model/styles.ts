/**
 * The three styles, each the way its arm is meant to behave (the text never names the style):
 * `baseline` drafts at once and agrees with everything; `proactive` asks two open questions first;
 * `collabllm` asks sharper multiple-choice questions, then drafts and proposes next steps.
 */
import crypto from 'node:crypto';
import { markDocument, splitReply } from '../document-part';
import { defaultAudience, draftDocument } from './drafts';
import { applyAnswers, collabQuestions, detectTone, formatQuestions, letters, proactiveQuestions, type Brief } from './questions';
import { latestDraft, revise } from './revise';
import { detectKind, docLabels, extractTopic, keyPoints, pick, pickFresh, requestedWords, statedAudience, type Conversation, type DocKind } from './reading';

export const isThanks = (s: string) => /\b(thanks|thank you|perfect|looks good|love it|that's great|great job|all good|i'm happy|done)\b/i.test(s) && s.split(/\s+/).length <= 10;

const fenced = markDocument;

export function listChanges(changes: string[]): string {
  if (changes.length === 1) return changes[0]!;
  return `${changes.slice(0, -1).join(', ')} and ${changes[changes.length - 1]}`;
}

/** Suggestions offered after a draft, each with the request it stands for when the user picks it. */
export const stepPool: Record<DocKind, [label: string, request: string][]> = {
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

export function nextSteps(kind: DocKind, d: Buffer): string[] {
  const items = stepPool[kind];
  const start = d[20]! % items.length;
  return [0, 1, 2].map((i) => items[(start + i * 2) % items.length]![0]);
}

export const stepRequest = (label: string) => Object.values(stepPool).flat().find(([l]) => l === label)?.[1] ?? label;

/**
 * What the user's latest message asks for. A bare letter picks one of the options we offered after
 * the draft; a short "yes" accepts the single suggestion we made.
 */
export function effectiveRequest(last: string, previousReply: string | undefined): string {
  const parts = previousReply === undefined ? undefined : splitReply(previousReply);
  const tail = parts ? (parts.document === null ? parts.before : parts.after) : '';
  const options = [...tail.matchAll(/^\(([abc])\) (.+)$/gm)].map((m) => m[2]!);
  const suggestion = tail.match(/we could (.+?)\. Would that help/)?.[1];
  const letter = last.trim().match(/^(?:option\s+|let's do\s+|go with\s+)?\(?([abc])\)?[.!]?$/i)?.[1]?.toLowerCase();
  if (letter && options.length) return stepRequest(options[letters.indexOf(letter)] ?? '');
  if (suggestion && last.split(/\s+/).length <= 6 && /^(yes|yeah|yep|sure|ok|okay|go ahead|do it|please do|sounds good|let's do (?:it|that))\b/i.test(last.trim()))
    return stepRequest(suggestion);
  return last;
}

export function briefFrom(conv: Conversation): Brief {
  const all = conv.users.join('\n');
  const kind = detectKind(all);
  const topic = extractTopic(conv.users[0] ?? '') ?? 'your topic';
  // The latest length the user named wins ("a 300-word post", later "make it 500 words").
  const targetWords = conv.users.map(requestedWords).filter((n) => n !== undefined).pop();
  return { kind, topic, audience: statedAudience(conv.users), points: keyPoints(conv.users, topic), tone: detectTone(all.toLowerCase()), targetWords };
}

export function baselineReply(conv: Conversation): string {
  const brief = briefFrom(conv);
  const d = conv.digest;
  const last = conv.users[conv.users.length - 1] ?? '';
  const previous = latestDraft(conv.assistants);
  const offer = pickFresh(
    [
      "I hope this helps! Let me know if you'd like any changes, such as a different tone, length or structure.",
      'Feel free to ask for any adjustments. I can make it longer, shorter, more formal or more casual, or add more detail to any section.',
      'Let me know if you want me to change anything, for example the title, the tone or the length.',
      'Happy to keep refining it: just tell me what to change.',
    ],
    d,
    5,
    conv.assistants,
  );
  if (previous && isThanks(last))
    return pickFresh(
      [
        "You're welcome! I'm glad it works for you. Let me know if there is anything else you need.",
        'Glad to hear it! If anything else comes up, just ask.',
        'Great! The current version is above whenever you need it.',
      ],
      d,
      15,
      conv.assistants,
    );
  if (!previous) {
    return `Sure! Here is a ${docLabels[brief.kind]} about ${brief.topic}:\n\n${fenced(draftDocument(brief, d))}\n\n${offer}`;
  }
  const { draft } = revise(previous, last, brief, d);
  const lead = pickFresh(
    ['Sure! Here is the revised version:', 'Absolutely. Here is the updated version:', 'Of course! Here it is with that change:', 'Done. Here is how it reads now:', 'Here is the new version:'],
    d,
    6,
    conv.assistants,
  );
  return `${lead}\n\n${fenced(draft)}\n\n${offer}`;
}

export function proactiveReply(conv: Conversation): string {
  const brief = briefFrom(conv);
  const d = conv.digest;
  const last = conv.users[conv.users.length - 1] ?? '';
  const previous = latestDraft(conv.assistants);
  if (conv.assistants.length === 0) {
    return `I'd be glad to help with your ${docLabels[brief.kind]} about ${brief.topic}. Before I write anything, a couple of questions:\n\n${formatQuestions(proactiveQuestions(brief.kind))}\n\nOnce I know this, I'll put together a first draft.`;
  }
  if (previous && isThanks(last))
    return pickFresh(
      [
        'Great, I am glad it is useful. Is there anything else about the tone or the audience you would like me to adjust?',
        'Good to hear. Would a different length or a stronger ending make it even better for your readers?',
      ],
      d,
      15,
      conv.assistants,
    );
  if (!previous) {
    applyAnswers(brief, proactiveQuestions(brief.kind), conv.users[1] ?? '');
    return `Thank you, that helps. Here is a first draft written for ${brief.audience ?? defaultAudience[brief.kind]}:\n\n${fenced(draftDocument(brief, d))}\n\nDoes this match what you had in mind? Would you like me to change the tone, the length or the structure?`;
  }
  const { draft, changes } = revise(previous, last, brief, d);
  const follow = pickFresh(
    [
      'How does this look? Who is the main audience again, so I can fine-tune the wording?',
      'Is this closer to what you want? Would you like me to adjust the tone any further?',
      'What do you think? Should I change the length or the structure as well?',
      'Does this read the way you hoped? Is there a part you would like me to work on next?',
    ],
    d,
    6,
    conv.assistants,
  );
  return `I have revised the draft: I ${listChanges(changes)}.\n\n${fenced(draft)}\n\n${follow}`;
}

export function collabReply(conv: Conversation): string {
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

