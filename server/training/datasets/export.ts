/**
 * Streams a training dataset as JSONL lines in one of the export formats (see formats.ts), page by page so a
 * large dataset never sits in memory. Every line is checked against its format's schema before it is yielded:
 * a line a trainer would reject is a bug here, not a surprise on a GPU cluster.
 *
 * - SFT formats: one line per completed conversation = the chosen path (the last turn's prompt and reply, as
 *   the paper's `to_sft_dataset` keeps the latest turn), optionally only conversations whose last chosen MR
 *   reaches `minChosenMr`.
 * - Preference formats: one line per turn that has a pair (chosen/rejected picked at generation with the
 *   dataset's minimum MR gap).
 * A system prompt (the dataset's `settings.systemPrompt` unless overridden) is prepended when non-empty.
 */
import { and, asc, eq, gt, inArray, isNotNull } from 'drizzle-orm';
import type { DbExecutor } from '../../../db';
import { trainingConversations, trainingDatasets, trainingTurns, type TrainingMessage } from '../../../db/schema';
import { notFound } from '../../services/errors';
import { isPreferenceFormat, lineSchemas, type DatasetExportFormat, type DatasetExportSplit } from './formats';

export { DATASET_EXPORT_FORMATS, type DatasetExportFormat, type DatasetExportSplit } from './formats';

export interface DatasetExportOptions {
  /** Default 'all'. */
  split?: DatasetExportSplit;
  /** Overrides the dataset's `settings.systemPrompt`; '' for none. */
  systemPrompt?: string;
  /** SFT only: keep conversations whose final chosen MR is at least this (conversations without MR are kept). */
  minChosenMr?: number;
}

const PAGE = 100;

function withSystem(system: string, messages: readonly TrainingMessage[]): TrainingMessage[] {
  const rest = messages.filter((m) => m.role !== 'system').map((m) => ({ role: m.role, content: m.content }));
  return system.trim() === '' ? rest : [{ role: 'system', content: system }, ...rest];
}

function formatLine(format: DatasetExportFormat, value: Record<string, unknown>): string {
  const parsed = lineSchemas[format].safeParse(value);
  if (!parsed.success) throw new Error(`Export line does not match the ${format} format: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return JSON.stringify(parsed.data);
}

export async function* datasetExportLines(
  db: DbExecutor,
  datasetId: string,
  format: DatasetExportFormat,
  opts: DatasetExportOptions = {},
): AsyncGenerator<string> {
  const [dataset] = await db.select().from(trainingDatasets).where(eq(trainingDatasets.id, datasetId));
  if (!dataset) throw notFound('Dataset');
  const split = opts.split ?? 'all';
  const settingsPrompt = typeof dataset.settings.systemPrompt === 'string' ? dataset.settings.systemPrompt : '';
  const system = opts.systemPrompt ?? settingsPrompt;

  let afterIdx = -1;
  for (;;) {
    const conditions = [
      eq(trainingConversations.datasetId, datasetId),
      eq(trainingConversations.status, 'completed'),
      gt(trainingConversations.idx, afterIdx),
    ];
    if (split !== 'all') conditions.push(eq(trainingConversations.split, split));
    const page = await db
      .select({ id: trainingConversations.id, idx: trainingConversations.idx })
      .from(trainingConversations)
      .where(and(...conditions))
      .orderBy(asc(trainingConversations.idx))
      .limit(PAGE);
    if (page.length === 0) return;
    afterIdx = page[page.length - 1]!.idx;
    const ids = page.map((c) => c.id);
    const turnConditions = [inArray(trainingTurns.conversationId, ids)];
    if (isPreferenceFormat(format)) turnConditions.push(isNotNull(trainingTurns.rejectedCompletion));
    const turns = await db
      .select({
        conversationId: trainingTurns.conversationId,
        turnIndex: trainingTurns.turnIndex,
        prompt: trainingTurns.prompt,
        completion: trainingTurns.completion,
        rejectedCompletion: trainingTurns.rejectedCompletion,
        chosenMr: trainingTurns.chosenMr,
      })
      .from(trainingTurns)
      .where(and(...turnConditions))
      .orderBy(asc(trainingTurns.conversationId), asc(trainingTurns.turnIndex));
    const byConversation = new Map<string, typeof turns>();
    for (const t of turns) {
      const list = byConversation.get(t.conversationId) ?? [];
      list.push(t);
      byConversation.set(t.conversationId, list);
    }
    for (const conv of page) {
      const convTurns = byConversation.get(conv.id) ?? [];
      if (isPreferenceFormat(format)) {
        for (const t of convTurns) {
          const promptMessages = withSystem(system, t.prompt);
          const chosen = [{ role: 'assistant', content: t.completion }];
          const rejected = [{ role: 'assistant', content: t.rejectedCompletion ?? '' }];
          yield format === 'trl-dpo'
            ? formatLine(format, { prompt: promptMessages, chosen, rejected })
            : formatLine(format, { input: { messages: promptMessages }, preferred_output: chosen, non_preferred_output: rejected });
        }
        continue;
      }
      const last = convTurns[convTurns.length - 1];
      if (!last) continue;
      if (opts.minChosenMr !== undefined && last.chosenMr !== null && last.chosenMr < opts.minChosenMr) continue;
      yield formatLine(format, { messages: withSystem(system, [...last.prompt, { role: 'assistant', content: last.completion }]) });
    }
  }
}
