/**
 * LLM judges at temperature 0: extract the final document from the conversation, then score interactivity
 * (0–1, anchors 1 / 0.5 / 0) and document quality (1–10), keeping each rationale. Unparseable judge output
 * is redrawn a few times; extraction then falls back to the last draft (flagged in details), the scores
 * fail the item as retryable. `resolveJudge` picks the demo-judge when the judge has no connection.
 */
import type { DbExecutor } from '../../db';
import { completeJsonChat } from './llm-json';
import { resolveConnectionTarget } from '../llm/resolve';
import type { ChatMessage, ModelTarget } from '../llm/types';
import { countWords } from '../metrics';
import { createDemoJudge, DEMO_JUDGE_LABEL, documentTypeLabel, heuristicExtract } from './demo';
import { BenchmarkError } from './errors';
import {
  extractionMessages,
  interactivityMessages,
  JUDGE_PROMPT_VERSION,
  parseExtraction,
  parseInteractivity,
  parseInteractivityTable1,
  parseQuality,
  qualityMessages,
  rescaleTable1,
  type InteractivityScale,
} from './judge-prompts';
import { bleuValues, conversationMetricValues, METRICS } from './metrics';
import type { JudgeConfig } from './run-config';
import { addUsage, zeroUsage, type Judge, type JudgeInput } from './types';

export { JUDGE_PROMPT_VERSION, parseExtraction, parseInteractivity, parseQuality } from './judge-prompts';
export { DEMO_JUDGE_LABEL } from './demo';

export const JUDGE_MAX_ATTEMPTS = 3;
const JUDGE_MAX_TOKENS = 4096;

const scaleSuffix = (scale: InteractivityScale) => (scale === 'paper-table1' ? '+itr-table1' : '');

/**
 * The label scores are stored under: model, prompt version, interactivity scale (when not the default) and
 * the connection id, so two connections serving one model name, or two scales, never share rows.
 * Labels written before connections and scales were part of it ("model@judge-v1") stay readable as they are.
 */
export function llmJudgeLabel(model: string, connectionId: string, scale: InteractivityScale = 'released-code'): string {
  return `${model}@${JUDGE_PROMPT_VERSION}${scaleSuffix(scale)}#${connectionId}`;
}

export function judgeLabelFor(config: Pick<JudgeConfig, 'connectionId' | 'model'> & { interactivityScale?: InteractivityScale }): string {
  const scale = config.interactivityScale ?? 'released-code';
  return config.connectionId === null ? `${DEMO_JUDGE_LABEL}${scaleSuffix(scale)}` : llmJudgeLabel(config.model, config.connectionId, scale);
}

/** The demo-judge on the Table 1 scale: its 0 / 0.5 / 1 read as 1 / 2 / 3, rescaled like an LLM judge's score. */
function demoJudgeOnScale(scale: InteractivityScale): Judge {
  const demo = createDemoJudge();
  if (scale === 'released-code') return demo;
  return {
    ...demo,
    label: `${demo.label}${scaleSuffix(scale)}`,
    async judge(input, opts) {
      const out = await demo.judge(input, opts);
      const scores = out.scores.map((s) => {
        if (s.metric !== METRICS.interactivity) return s;
        const rawScore = 1 + 2 * s.value;
        return { ...s, value: rescaleTable1(rawScore), details: { ...s.details, interactivityScale: scale, rawScore } };
      });
      return { ...out, scores };
    },
  };
}

async function completeParsed<T>(
  target: ModelTarget,
  messages: ChatMessage[],
  parse: (raw: string) => T | null,
  signal: AbortSignal | undefined,
  usage: { promptTokens: number; completionTokens: number },
): Promise<{ value: T | null; attempts: number; raw: string }> {
  let raw = '';
  for (let attempt = 1; attempt <= JUDGE_MAX_ATTEMPTS; attempt++) {
    const completion = await completeJsonChat(target, messages, { signal });
    addUsage(usage, completion.usage);
    raw = completion.text;
    const value = parse(raw);
    if (value !== null) return { value, attempts: attempt, raw };
  }
  return { value: null, attempts: JUDGE_MAX_ATTEMPTS, raw };
}

export function createLlmJudge(
  target: ModelTarget,
  meta: { connectionId: string; model: string; interactivityScale?: InteractivityScale },
): Judge {
  const judgeTarget: ModelTarget = { ...target, temperature: 0, json: true, maxTokens: target.maxTokens ?? JUDGE_MAX_TOKENS };
  const scale = meta.interactivityScale ?? 'released-code';
  const label = llmJudgeLabel(meta.model, meta.connectionId, scale);
  return {
    label,
    isDemo: false,
    async judge(input: JudgeInput, opts = {}) {
      const usage = zeroUsage();
      const callTarget = opts.seed === undefined ? judgeTarget : { ...judgeTarget, seed: opts.seed };
      const typeLabel = documentTypeLabel(input.documentType);
      const common = { promptVersion: JUDGE_PROMPT_VERSION, connectionId: meta.connectionId, model: meta.model };

      // A document given with the input (a participant's pane) is judged as it is: no extraction call.
      const given = input.finalDocument;
      const extraction =
        given === undefined
          ? await completeParsed(
              callTarget,
              extractionMessages({ documentTypeLabel: typeLabel, history: input.history }),
              parseExtraction,
              opts.signal,
              usage,
            )
          : { value: { document: given, thought: 'The document was given (not extracted).' }, attempts: 0, raw: '' };
      const fallback = extraction.value === null;
      const finalDocument = extraction.value?.document ?? heuristicExtract(input.history);

      const parseItr = scale === 'paper-table1' ? parseInteractivityTable1 : parseInteractivity;
      const interactivityCall = completeParsed(callTarget, interactivityMessages(input.history, scale), parseItr, opts.signal, usage);
      // The reference metrics are pure CPU (BLEU, cl100k counts): computed while the judge call is in flight
      // rather than after the last one, so they are off the conversation's critical path.
      const referenceMetrics = [...bleuValues(input.targetDocument, finalDocument), ...conversationMetricValues(input.history)];
      const interactivity = await interactivityCall;
      if (!interactivity.value)
        throw new BenchmarkError(`The judge gave no usable interactivity score in ${JUDGE_MAX_ATTEMPTS} attempts.`, 'retryable', {
          reason: 'judge_unparseable',
          judge: label,
        });
      const quality = await completeParsed(
        callTarget,
        qualityMessages({ documentTypeLabel: typeLabel, brief: input.brief, document: finalDocument }),
        parseQuality,
        opts.signal,
        usage,
      );
      if (!quality.value)
        throw new BenchmarkError(`The judge gave no usable quality score in ${JUDGE_MAX_ATTEMPTS} attempts.`, 'retryable', { reason: 'judge_unparseable', judge: label });

      return {
        finalDocument,
        usage,
        scores: [
          {
            metric: METRICS.documentWords,
            value: countWords(finalDocument),
            rationale: fallback ? 'Extraction output could not be parsed; used the last draft-length assistant message.' : extraction.value?.thought ?? null,
            details: { ...common, document: finalDocument, fallback, attempts: extraction.attempts, ...(given !== undefined && { documentGiven: true }) },
          },
          {
            metric: METRICS.interactivity,
            value: interactivity.value.score,
            rationale: interactivity.value.thought,
            details: {
              ...common,
              attempts: interactivity.attempts,
              interactivityScale: scale,
              ...('rawScore' in interactivity.value && { rawScore: interactivity.value.rawScore }),
            },
          },
          { metric: METRICS.quality, value: quality.value.score, rationale: quality.value.thought, details: { ...common, attempts: quality.attempts } },
          ...referenceMetrics,
        ],
      };
    },
  };
}

/** The judge a run (or a re-score) asks for: an LLM judge through its connection, or the demo-judge. */
export async function resolveJudge(db: DbExecutor, config: JudgeConfig): Promise<Judge> {
  const scale = config.interactivityScale ?? 'released-code';
  if (config.connectionId === null) return demoJudgeOnScale(scale);
  const target = await resolveConnectionTarget(db, config.connectionId, config.model, { temperature: 0 });
  return createLlmJudge(target, { connectionId: config.connectionId, model: config.model, interactivityScale: scale });
}
