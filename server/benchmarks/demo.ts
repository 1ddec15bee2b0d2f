/**
 * Offline stand-ins used when a run's simulator or judge has no connection (demo runs, tests without
 * an endpoint): a scripted simulated user that reveals the brief's details one turn at a time, and a
 * heuristic judge labelled "demo-judge". Deterministic; their numbers are for trying the pipeline out,
 * not for research, and everything they produce is labelled as demo in stored metadata.
 */
import { conversationMetrics, countWords } from '../metrics';
import { DOCUMENT_TYPE_LABELS } from './tasks/builtin';
import { bleuValues, conversationMetricValues, METRICS } from './metrics';
import type { Persona } from './persona';
import { TERMINATION_SIGNAL, type TranscriptMessage } from './simulator-prompt';
import { zeroUsage, type Judge, type JudgeInput, type SimulatedUser, type SimulatorTurn } from './types';
import { splitReply } from '../llm/document-part';

export const SCRIPTED_SIMULATOR_VERSION = 'scripted-v1';
export const DEMO_JUDGE_VERSION = 'demo-v1';
export const DEMO_JUDGE_LABEL = `demo-judge@${DEMO_JUDGE_VERSION}`;

const DRAFT_MIN_WORDS = 120;

export function documentTypeLabel(documentType: string): string {
  return DOCUMENT_TYPE_LABELS[documentType] ?? documentType.replace(/[_-]+/g, ' ');
}

/** Briefs speak to the simulated user ("Your balcony…"); the user says it in the first person. */
export function toFirstPerson(text: string): string {
  return text
    .replace(/\byou are\b/gi, 'I am')
    .replace(/\byou were\b/gi, 'I was')
    .replace(/\byou're\b/gi, "I'm")
    .replace(/\byourself\b/gi, 'myself')
    .replace(/\byours\b/gi, 'mine')
    .replace(/\byour\b/g, 'my')
    .replace(/\bYour\b/g, 'My')
    .replace(/\byou\b/gi, 'I');
}

/** Details from task metadata, or the "- " lines of the brief. */
export function briefDetails(brief: string, details?: readonly unknown[]): string[] {
  const fromMeta = (details ?? []).filter((d): d is string => typeof d === 'string' && d.trim() !== '');
  if (fromMeta.length > 0) return fromMeta;
  const lines = brief
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('- '))
    .map((l) => l.slice(2));
  return lines.length > 0 ? lines : brief.split(/(?<=[.!?])\s+/).filter((s) => s.trim() !== '');
}

function opening(persona: Persona, label: string, topic: string): string {
  switch (persona.tone) {
    case 'casual':
      return `hey, can you help me write a ${label}? it's about ${topic.toLowerCase()}.`;
    case 'polite and a little formal':
      return `Hello. I would appreciate some help writing a ${label} about ${topic.toLowerCase()}.`;
    case 'blunt and direct':
      return `I need a ${label}. Topic: ${topic.toLowerCase()}.`;
    default:
      return `Hi! I'd love your help with a ${label} about ${topic.toLowerCase()}.`;
  }
}

/**
 * A user who opens vaguely, then answers with one detail per turn (two when chatty), asks for a full
 * draft once everything is said, and ends the chat when a draft exists.
 */
export function createScriptedSimulator(input: {
  documentType: string;
  topic: string;
  brief: string;
  details?: readonly unknown[];
  persona: Persona;
}): SimulatedUser {
  const details = briefDetails(input.brief, input.details).map(toFirstPerson);
  const perTurn = input.persona.verbosity.startsWith('chatty') ? 2 : 1;
  const label = documentTypeLabel(input.documentType);
  return {
    kind: 'scripted',
    async next(history: readonly TranscriptMessage[]): Promise<SimulatorTurn> {
      const userTurns = history.filter((m) => m.role === 'user').length;
      const lastAssistant = [...history].reverse().find((m) => m.role === 'assistant')?.content ?? '';
      const hasDraft = countWords(lastAssistant) >= DRAFT_MIN_WORDS;
      const revealed = userTurns === 0 ? 0 : Math.min(details.length, (userTurns - 1) * perTurn);
      let message: string;
      let terminate = false;
      if (userTurns === 0) {
        message = opening(input.persona, label, input.topic);
      } else if (revealed < details.length) {
        const next = details.slice(revealed, revealed + perTurn).join(' ');
        message = lastAssistant.includes('?') ? `To answer your question: ${next}` : `One more thing: ${next}`;
      } else if (hasDraft) {
        message = `This works for me, thank you. ${TERMINATION_SIGNAL}`;
        terminate = true;
      } else if (!history.some((m) => m.role === 'user' && m.content.startsWith('That is everything'))) {
        message = `That is everything I had in mind. Could you write the full ${label} now?`;
      } else {
        message = `Thanks, I'll take it from here. ${TERMINATION_SIGNAL}`;
        terminate = true;
      }
      const clean = message.replace(TERMINATION_SIGNAL, '').trim();
      return {
        message: clean,
        thought: 'scripted demo simulator',
        terminate,
        usage: zeroUsage(),
        latencyMs: 0,
        attempts: 1,
        rejections: [],
        model: SCRIPTED_SIMULATOR_VERSION,
        isDemo: true,
      };
    },
  };
}

/** An assistant's offer after a draft ("Would you like…?"), as opposed to a question inside the document. */
const FOLLOW_UP = /\b(?:would you like|do you want|shall i|should i|let me know|want me to|happy to (?:adjust|change|revise))\b/i;

/** The last assistant message long enough to be a draft, without its lead-in line and closing questions. */
export function heuristicExtract(history: readonly TranscriptMessage[]): string {
  const assistant = history.filter((m) => m.role === 'assistant').map((m) => m.content);
  const draft = [...assistant].reverse().find((c) => countWords(c) >= DRAFT_MIN_WORDS) ?? assistant[assistant.length - 1] ?? '';
  // A reply that marks its document (<document> … </document>, as the demo model and the arm prompts do) says exactly what it is.
  const marked = splitReply(draft).document;
  if (marked) return marked;
  const paragraphs = draft.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
  if (paragraphs.length > 1 && /:\s*$/.test(paragraphs[0] ?? '')) paragraphs.shift();
  while (paragraphs.length > 1 && FOLLOW_UP.test(paragraphs[paragraphs.length - 1] ?? '')) paragraphs.pop();
  return paragraphs.join('\n\n');
}

const STOPWORDS = new Set(
  'about after again their there these those which while would could should because before being other every where with from into than that this they them what when your yours have will just only also very more most some such like want'.split(' '),
);

function contentWords(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]{5,}/gu) ?? []).filter((w) => !STOPWORDS.has(w));
}

export function createDemoJudge(): Judge {
  return {
    label: DEMO_JUDGE_LABEL,
    isDemo: true,
    async judge(input: JudgeInput) {
      const finalDocument = input.finalDocument ?? heuristicExtract(input.history);
      const m = conversationMetrics(input.history);
      const interactivity = m.clarifyingQuestions === 0 ? 0 : m.questionsBeforeFirstDraft >= 1 && m.clarifyingQuestions >= 2 ? 1 : 0.5;
      const interactivityWhy =
        interactivity === 0
          ? 'Demo heuristic: the assistant asked no clarifying questions.'
          : interactivity === 1
            ? `Demo heuristic: ${m.clarifyingQuestions} clarifying questions, ${m.questionsBeforeFirstDraft} before the first draft.`
            : `Demo heuristic: ${m.clarifyingQuestions} clarifying question(s), none or few before drafting.`;

      const wanted = [...new Set(contentWords(briefDetails(input.brief, input.details).map(toFirstPerson).join(' ')))];
      const present = new Set(contentWords(finalDocument));
      const coverage = wanted.length === 0 ? 0 : wanted.filter((w) => present.has(w)).length / wanted.length;
      const targetWords = input.targetDocument.trim() ? countWords(input.targetDocument) : 300;
      const words = countWords(finalDocument);
      const lengthFit = words === 0 ? 0 : 1 - Math.min(1, Math.abs(words - targetWords) / targetWords);
      const quality = words === 0 ? 1 : Math.min(10, Math.max(1, Math.round(1 + 9 * (0.7 * coverage + 0.3 * lengthFit))));

      return {
        finalDocument,
        usage: zeroUsage(),
        scores: [
          {
            metric: METRICS.documentWords,
            value: words,
            rationale: input.finalDocument === undefined ? 'Demo heuristic: the last draft-length assistant message.' : 'The document was given (not extracted).',
            details: { document: finalDocument, demo: true, ...(input.finalDocument !== undefined && { documentGiven: true }) },
          },
          { metric: METRICS.interactivity, value: interactivity, rationale: interactivityWhy, details: { demo: true } },
          {
            metric: METRICS.quality,
            value: quality,
            rationale: `Demo heuristic: ${Math.round(coverage * 100)}% of the brief's key words appear; ${words} words against about ${targetWords} wanted.`,
            details: { demo: true, coverage, lengthFit },
          },
          ...bleuValues(input.targetDocument, finalDocument),
          ...conversationMetricValues(input.history),
        ],
      };
    },
  };
}
