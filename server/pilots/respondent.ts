/**
 * What a simulated pilot participant answers outside the chat messages: the pre-chat topic questions, the
 * in-chat 1–10 ratings and the final survey. With a simulator connection the simulator model answers in
 * character (its persona, the conversation it had, the document in its pane), through our own JSON prompts;
 * offline (no connection) a deterministic heuristic answers from the conversation, labelled as such in
 * the participant's conversation metadata. Answers are checked here against the study's rules (ranges,
 * options, minimum lengths) so the participant path never has to reject a simulated answer.
 */
import { createHash } from 'node:crypto';
import type { ModelTarget, Usage } from '../llm/types';
import { completeJsonChat } from '../benchmarks/llm-json';
import { extractJsonObject, numberField, stringField } from '../benchmarks/json';
import type { Persona } from '../benchmarks/persona';
import { renderTranscript, type TranscriptMessage } from '../benchmarks/simulator-prompt';
import { conversationMetrics, countWords } from '../metrics';
import type { StudyConfig } from '../studies/config';

/** Bump when a prompt or a heuristic below changes; stored with each pilot participant. */
export const RESPONDENT_VERSION = 'pilot-respondent-v1';

export interface RespondentContext {
  persona: Persona;
  /** The participant's seed (pilotParticipantSeed). */
  seed: string;
  documentTypeLabel: string;
  topicLabel: string;
  /** The simulator's endpoint; null = the offline heuristic participant. */
  target: ModelTarget | null;
  signal?: AbortSignal;
}

export interface Answer<T> {
  value: T;
  usage: Usage;
  /** True when the model's answer was unusable and the heuristic answered instead. */
  fallback: boolean;
}

const noUsage = (): Usage => ({ promptTokens: 0, completionTokens: 0 });

/** A uniform number in [0, 1) for one decision of one participant, reproducible from the seed. */
export function seededUnit(seed: string, label: string): number {
  return createHash('sha256').update(`${seed}:${label}`).digest().readUInt32BE(0) / 2 ** 32;
}

export function seededPick<T>(options: readonly T[], seed: string, label: string): T {
  return options[Math.min(options.length - 1, Math.floor(seededUnit(seed, label) * options.length))]!;
}

const clampScale = (n: number) => Math.min(10, Math.max(1, Math.round(n)));

function personaLines(p: Persona): string {
  return `- Writing experience: ${p.expertise}.\n- Message length: ${p.verbosity}.\n- Tone: ${p.tone}.\n- Habit: ${p.quirk}.`;
}

function systemPrompt(ctx: RespondentContext): string {
  return `You are role-playing a participant in a user study about writing a ${ctx.documentTypeLabel} (topic: ${ctx.topicLabel}) with an AI assistant. Stay in character:
${personaLines(ctx.persona)}
Answer the study's questions honestly from this person's point of view. Reply with one JSON object and nothing else.`;
}

async function askJson(ctx: RespondentContext, prompt: string): Promise<{ obj: Record<string, unknown> | null; usage: Usage }> {
  const target = ctx.target!;
  const completion = await completeJsonChat(
    { ...target, json: true },
    [
      { role: 'system', content: systemPrompt(ctx) },
      { role: 'user', content: prompt },
    ],
    { signal: ctx.signal },
  );
  return { obj: extractJsonObject(completion.text), usage: completion.usage };
}

// ---------------------------------------------------------------------------------------------------------
// Pre-chat setup

const AUDIENCES = ['my friends and family', 'people who are new to this', 'colleagues at work', 'readers of my blog'];
const POINTS = ['what I learned along the way', 'why it mattered to me', 'practical tips for others', 'a moment that surprised me'];

function heuristicAnswer(question: StudyConfig['topicQuestions'][number], ctx: RespondentContext): string {
  const prompt = question.prompt.toLowerCase();
  if (/\bwho\b|audience|read/.test(prompt)) return seededPick(AUDIENCES, ctx.seed, `answer:${question.id}`);
  return `${seededPick(POINTS, ctx.seed, `answer:${question.id}`)} about ${ctx.topicLabel.toLowerCase()}`;
}

/** Answers the topic questions: fixed-choice questions by a seeded pick among the options, free text in character. */
export async function answerSetupQuestions(ctx: RespondentContext, questions: StudyConfig['topicQuestions']): Promise<Answer<Record<string, string>>> {
  const answers: Record<string, string> = {};
  const free = [];
  for (const q of questions) {
    if ((q.options?.length ?? 0) >= 2) answers[q.id] = seededPick(q.options!, ctx.seed, `option:${q.id}`);
    else free.push(q);
  }
  if (free.length === 0) return { value: answers, usage: noUsage(), fallback: false };
  if (!ctx.target) {
    for (const q of free) answers[q.id] = heuristicAnswer(q, ctx);
    return { value: answers, usage: noUsage(), fallback: false };
  }
  const { obj, usage } = await askJson(
    ctx,
    `Before the chat the study asks you these questions. Invent specific, plausible answers (one short sentence each) that you will keep to.\n${free
      .map((q) => `- "${q.id}": ${q.prompt}`)
      .join('\n')}\nReply as {"answers": {${free.map((q) => `"${q.id}": "<answer>"`).join(', ')}}}.`,
  );
  const given = obj && typeof obj.answers === 'object' && obj.answers !== null ? (obj.answers as Record<string, unknown>) : (obj ?? {});
  let fallback = false;
  for (const q of free) {
    const answer = typeof given[q.id] === 'string' ? (given[q.id] as string).trim().slice(0, 500) : '';
    if (answer) answers[q.id] = answer;
    else {
      answers[q.id] = heuristicAnswer(q, ctx);
      fallback = true;
    }
  }
  return { value: answers, usage, fallback };
}

// ---------------------------------------------------------------------------------------------------------
// In-chat ratings

/**
 * Offline rating: the conversation's visible qualities (a draft exists, the assistant asked about the task,
 * replies were not walls of text) move a persona-dependent baseline, plus a little seeded noise.
 */
export function heuristicRating(ctx: Pick<RespondentContext, 'persona' | 'seed'>, history: readonly TranscriptMessage[], label: string): number {
  const m = conversationMetrics(history);
  const baseline = ctx.persona.tone === 'blunt and direct' ? 5 : ctx.persona.tone === 'warm and enthusiastic' ? 7 : 6;
  const hasDraft = m.firstDraftAssistantMessage !== null;
  const asked = Math.min(2, m.clarifyingQuestions);
  const noise = Math.floor(seededUnit(ctx.seed, label) * 3) - 1;
  return clampScale(baseline + (hasDraft ? 1 : -1) + asked * 0.75 + noise);
}

export async function rateInteraction(ctx: RespondentContext, history: readonly TranscriptMessage[], afterTurn: number): Promise<Answer<number>> {
  const label = `rating:${afterTurn}`;
  if (!ctx.target) return { value: heuristicRating(ctx, history, label), usage: noUsage(), fallback: false };
  const { obj, usage } = await askJson(
    ctx,
    `The conversation so far:\n\n${renderTranscript(history)}\n\nThe study asks: "How would you rate your experience with the assistant so far?" on a scale from 1 (very poor) to 10 (excellent). Reply as {"rating": <integer 1-10>}.`,
  );
  const value = obj ? numberField(obj, 'rating', 'value', 'score') : undefined;
  if (value === undefined || !Number.isFinite(value)) return { value: heuristicRating(ctx, history, label), usage, fallback: true };
  return { value: clampScale(value), usage, fallback: false };
}

// ---------------------------------------------------------------------------------------------------------
// Final survey

export interface SimulatedSurvey {
  documentQuality: number;
  overallInteraction: number;
  strengths: string;
  weaknesses: string;
  blindingGuess: string;
  attentionAnswers: Record<string, string>;
}

/** Free text at least `min` characters long (the study's minimum), never over 2,000. */
function atLeast(text: string, min: number, filler: string): string {
  let out = text.trim();
  while (out.length < min) out = `${out} ${filler}`.trim();
  return out.slice(0, Math.max(min, 2000));
}

export function heuristicSurvey(
  ctx: Pick<RespondentContext, 'persona' | 'seed'>,
  input: { history: readonly TranscriptMessage[]; finalDocument: string | null; ratings: number[] },
  config: Pick<StudyConfig, 'blindingOptions' | 'attentionChecks' | 'minFreeTextChars'>,
): SimulatedSurvey {
  const m = conversationMetrics(input.history);
  const words = countWords(input.finalDocument ?? '');
  const meanRating = input.ratings.length ? input.ratings.reduce((a, b) => a + b, 0) / input.ratings.length : heuristicRating(ctx, input.history, 'survey');
  const documentQuality = clampScale((words >= 120 ? 6 : words >= 40 ? 4 : 2) + Math.min(2, m.clarifyingQuestions / 2) + seededUnit(ctx.seed, 'quality') * 2 - 0.5);
  const overallInteraction = clampScale(meanRating + (m.clarifyingQuestions > 0 ? 0.5 : -0.5) + seededUnit(ctx.seed, 'overall') - 0.5);
  const strengths =
    m.clarifyingQuestions > 0
      ? 'The assistant asked about what I wanted before writing, so the draft fit my goal.'
      : 'The assistant wrote a full draft quickly and the text read smoothly.';
  const weaknesses =
    words < 120
      ? 'The document stayed short and I had to ask several times for more detail.'
      : m.tokensRead > 1500
        ? 'The replies were long, so it took a while to read through every version.'
        : 'Some wording was generic and I would still edit a few sentences myself.';
  return {
    documentQuality,
    overallInteraction,
    strengths: atLeast(strengths, config.minFreeTextChars, 'It was easy to follow.'),
    weaknesses: atLeast(weaknesses, config.minFreeTextChars, 'Nothing else stood out.'),
    blindingGuess: seededPick(config.blindingOptions, ctx.seed, 'blinding'),
    // An attentive participant follows the instructed-response items.
    attentionAnswers: Object.fromEntries(config.attentionChecks.map((c) => [c.id, c.correctOption])),
  };
}

export async function answerSurvey(
  ctx: RespondentContext,
  input: { history: readonly TranscriptMessage[]; finalDocument: string | null; ratings: number[] },
  config: Pick<StudyConfig, 'blindingOptions' | 'attentionChecks' | 'minFreeTextChars'>,
): Promise<Answer<SimulatedSurvey>> {
  const fallback = heuristicSurvey(ctx, input, config);
  if (!ctx.target) return { value: fallback, usage: noUsage(), fallback: false };
  const checks = config.attentionChecks.map((c) => `- "${c.id}": ${c.prompt} Options: ${c.options.map((o) => JSON.stringify(o)).join(', ')}`);
  const { obj, usage } = await askJson(
    ctx,
    `Your conversation with the assistant:\n\n${renderTranscript(input.history)}\n\nThe document you ended up with:\n<<<\n${(input.finalDocument ?? '(empty)').slice(0, 12_000)}\n>>>\n\n` +
      `Now the study's questionnaire:\n` +
      `1. "documentQuality": how good is the final document, 1 (very poor) to 10 (excellent)?\n` +
      `2. "overallInteraction": how was working with the assistant overall, 1 to 10?\n` +
      `3. "strengths": what worked well (at least ${config.minFreeTextChars} characters).\n` +
      `4. "weaknesses": what did not work well (at least ${config.minFreeTextChars} characters).\n` +
      `5. "blindingGuess": which kind of assistant do you think you talked to? One of: ${config.blindingOptions.map((o) => JSON.stringify(o)).join(', ')}.\n` +
      (checks.length ? `6. "attention": answer each item with one of its options exactly:\n${checks.join('\n')}\n` : '') +
      `Reply as {"documentQuality": n, "overallInteraction": n, "strengths": "...", "weaknesses": "...", "blindingGuess": "...", "attention": {"<id>": "<option>"}}.`,
  );
  if (!obj) return { value: fallback, usage, fallback: true };
  let usedFallback = false;
  const pickScale = (name: string, alt: number) => {
    const n = numberField(obj, name);
    if (n === undefined || !Number.isFinite(n)) {
      usedFallback = true;
      return alt;
    }
    return clampScale(n);
  };
  const pickText = (name: string, alt: string) => {
    const text = stringField(obj, name)?.trim() ?? '';
    if (text.length < config.minFreeTextChars) {
      usedFallback = true;
      return alt;
    }
    return text.slice(0, 2000);
  };
  const guess = stringField(obj, 'blindingGuess');
  const attention = typeof obj.attention === 'object' && obj.attention !== null ? (obj.attention as Record<string, unknown>) : {};
  const value: SimulatedSurvey = {
    documentQuality: pickScale('documentQuality', fallback.documentQuality),
    overallInteraction: pickScale('overallInteraction', fallback.overallInteraction),
    strengths: pickText('strengths', fallback.strengths),
    weaknesses: pickText('weaknesses', fallback.weaknesses),
    blindingGuess: guess && config.blindingOptions.includes(guess) ? guess : ((usedFallback = true), fallback.blindingGuess),
    // A simulated participant may miss an attention check, like a person: an answer that is one of the options stands.
    attentionAnswers: Object.fromEntries(
      config.attentionChecks.map((c) => {
        const a = attention[c.id];
        if (typeof a === 'string' && c.options.includes(a)) return [c.id, a];
        usedFallback = true;
        return [c.id, fallback.attentionAnswers[c.id]!];
      }),
    ),
  };
  return { value, usage, fallback: usedFallback };
}
