/**
 * What the benchmark's judges see of one study participant (pure): the transcript, a brief written from
 * what the participant told the study and the assistant, and the final document from the participant's
 * document pane when there is one (otherwise the judge extracts it from the chat, as in benchmarks).
 *
 * A human participant has no hidden brief and no target document, so:
 * - the quality judge's "what the user wanted" is the document type and topic, the pre-chat answers and
 *   the participant's own messages (one "- " line each, which is also what the demo-judge checks coverage of);
 * - BLEU is not computed (it needs a target document; `bleuValues` returns nothing for an empty target).
 */
import type { JudgeInput } from '../benchmarks/types';
import type { TranscriptMessage } from '../benchmarks/simulator-prompt';

export interface ParticipantMaterial {
  /** Complete messages in order (failed or interrupted replies left out). */
  messages: { role: string; content: string; status: string }[];
  documentType: string | null;
  documentTypeLabel: string | null;
  topicLabel: string | null;
  /** Pre-chat questions in the version's order with the participant's answers. */
  setupAnswers: { prompt: string; answer: string | null }[];
  /** The survey's final document (the pane when the participant submitted), then the newest saved draft. */
  surveyDocument: string | null;
  latestDraft: string | null;
}

/** Participant messages quoted in the brief at most; a very long chat keeps its first and last requests. */
const MAX_BRIEF_MESSAGES = 40;
const MAX_BRIEF_LINE = 1500;

export function transcriptOf(messages: ParticipantMaterial['messages']): TranscriptMessage[] {
  return messages
    .filter((m) => m.status === 'complete' && (m.role === 'user' || m.role === 'assistant'))
    .map((m) => ({ role: m.role as 'user' | 'assistant', content: m.content }));
}

/** The pane's document when it holds text, else null (the judge then extracts one from the chat). */
export function paneDocument(material: Pick<ParticipantMaterial, 'surveyDocument' | 'latestDraft'>): string | null {
  for (const candidate of [material.surveyDocument, material.latestDraft]) if (candidate && candidate.trim() !== '') return candidate;
  return null;
}

const oneLine = (text: string) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_BRIEF_LINE ? `${flat.slice(0, MAX_BRIEF_LINE)}…` : flat;
};

export function participantBrief(material: ParticipantMaterial, history: readonly TranscriptMessage[]): string {
  const type = material.documentTypeLabel ?? material.documentType ?? 'document';
  const lines = [`The participant wrote a ${type}${material.topicLabel ? ` about ${material.topicLabel}` : ''} with the assistant.`];
  const answered = material.setupAnswers.filter((a) => a.answer && a.answer.trim() !== '');
  if (answered.length) {
    lines.push('', 'Their answers before the chat:');
    for (const a of answered) lines.push(`- ${oneLine(a.prompt)}: ${oneLine(a.answer!)}`);
  }
  let asked = history.filter((m) => m.role === 'user').map((m) => oneLine(m.content)).filter(Boolean);
  if (asked.length > MAX_BRIEF_MESSAGES) asked = [...asked.slice(0, MAX_BRIEF_MESSAGES / 2), ...asked.slice(-MAX_BRIEF_MESSAGES / 2)];
  if (asked.length) {
    lines.push('', 'What they asked for in the chat:');
    for (const m of asked) lines.push(`- ${m}`);
  }
  return lines.join('\n');
}

/** The judge input and where its final document comes from. */
export function judgeInputForParticipant(material: ParticipantMaterial): { input: JudgeInput; documentSource: 'pane' | 'extraction' } {
  const history = transcriptOf(material.messages);
  const pane = paneDocument(material);
  const input: JudgeInput = {
    history,
    brief: participantBrief(material, history),
    // The judges only print it ("Document type: …"), so the study's own label reads best.
    documentType: material.documentTypeLabel ?? material.documentType ?? 'document',
    targetDocument: '',
    ...(pane !== null && { finalDocument: pane }),
  };
  return { input, documentSource: pane !== null ? 'pane' : 'extraction' };
}
