/**
 * How an assistant reply marks "the document" apart from its lead-in and follow-up questions, so the
 * participant's "Use this in my document" copies only the document. Pure (no Node APIs): the browser
 * uses it to render and insert, the offline demo model to write and to find its previous draft.
 *
 * Convention: the document sits between a line `<document>` and a line `</document>`. Tags were chosen
 * over `---` or code fences because models reproduce them reliably and they never occur in prose or
 * Markdown documents by accident. A reply without markers is used whole, as before.
 */
export const DOCUMENT_BEGIN = '<document>';
export const DOCUMENT_END = '</document>';

/** The sentence researchers put in an arm's system prompt so a real model marks its drafts (demo study and template do). */
export const DOCUMENT_MARKER_INSTRUCTION =
  'Whenever your reply contains the document itself (a draft or a revised version), write the complete current document ' +
  `between a line containing only ${DOCUMENT_BEGIN} and a line containing only ${DOCUMENT_END}, and keep greetings, ` +
  'explanations, questions and suggestions outside those lines.';

export interface ReplyParts {
  /** Text before the document (the lead-in); the whole reply when nothing is marked. */
  before: string;
  /** The marked document, trimmed; null when the reply marks none. */
  document: string | null;
  /** Text after the document (questions, suggestions). */
  after: string;
  /** The end marker has not arrived (yet): a reply still streaming, or a model that forgot to close it. */
  open: boolean;
}

const begin = /^[ \t]*<document>[ \t]*$/im;
const end = /^[ \t]*<\/document>[ \t]*$/im;

/** Splits a reply at its last marked document. */
export function splitReply(text: string): ReplyParts {
  // The last begin marker: a reply that shows an old and a new version means the new one.
  let start = -1;
  let startLength = 0;
  for (const m of text.matchAll(new RegExp(begin.source, 'gim'))) {
    start = m.index;
    startLength = m[0].length;
  }
  if (start < 0) return { before: text, document: null, after: '', open: false };
  const rest = text.slice(start + startLength);
  const close = rest.match(end);
  if (!close || close.index === undefined) return { before: text.slice(0, start).trimEnd(), document: rest.trim(), after: '', open: true };
  return {
    before: text.slice(0, start).trimEnd(),
    document: rest.slice(0, close.index).trim(),
    after: rest.slice(close.index + close[0].length).trimStart(),
    open: false,
  };
}

/** What "Use this in my document" inserts: the marked document, or the whole reply when none is marked. */
export function documentToInsert(reply: string): string {
  const parts = splitReply(reply);
  return parts.document ? parts.document : reply.trim();
}

/** Wraps a document in the markers (the demo model's replies). */
export function markDocument(document: string): string {
  return `${DOCUMENT_BEGIN}\n${document}\n${DOCUMENT_END}`;
}
