/**
 * Where every planned conversation of a run went, per arm (pure): nothing drops out of the results
 * silently. Planned = items of the arm; each is finished (completed), failed (by stage and reason),
 * cancelled, or still waiting/running. Finished conversations are split by how they ended (the simulated
 * user ended the chat, the turn limit, a guard) and flagged when the shown judge could not extract the
 * final document. Judge output that could not be parsed is counted per judge: conversations failed by it,
 * final documents it could not extract, and conversations a re-scoring judge could not score.
 */

export type EndReason = 'terminated' | 'max_turns' | 'endless_goodbye';

export interface AccountingItem {
  armKey: string;
  status: string;
  /** conversations.metadata.endReason of a completed item. */
  endReason: string | null;
  /** benchmark_items.failure of a failed (or retrying) item. */
  failure: { stage: string; reason: string; judge?: string } | null;
  /** The shown judge fell back to a heuristic because its extraction output could not be parsed. */
  extractionFailed: boolean;
}

export interface JudgeParseFailures {
  judge: string;
  /** Conversations failed because this judge's scores could not be parsed after retries. */
  failed: number;
  /** Finished conversations whose final document this judge could not extract (flagged, BLEU excluded by default). */
  extractionFailed: number;
  /** Finished conversations a re-scoring judge could not score (no scores under this judge). */
  unscored: number;
}

export interface ArmAccounting {
  armKey: string;
  planned: number;
  finished: number;
  failed: number;
  /** "stage: reason" → count, e.g. "judge: judge_unparseable", "assistant: model_auth". */
  failedByReason: Record<string, number>;
  cancelled: number;
  waiting: number;
  running: number;
  endedBySimulator: number;
  endedByTurnLimit: number;
  endedByGuard: number;
  /** Finished but without a recorded end reason (runs from before end reasons were stored). */
  endUnknown: number;
  extractionFailed: number;
  judgeParseFailures: JudgeParseFailures[];
}

export function accountForItems(
  items: readonly AccountingItem[],
  input: {
    armKeys: readonly string[];
    /** Per judge that scored the run and arm: extraction fallbacks and conversations it could not score. */
    perJudge: readonly { armKey: string; judge: string; extractionFailed: number; unscored: number }[];
  },
): ArmAccounting[] {
  return input.armKeys.map((armKey) => {
    const mine = items.filter((i) => i.armKey === armKey);
    const is = (s: string) => mine.filter((i) => i.status === s);
    const finished = is('completed');
    const failed = is('failed');
    const failedByReason: Record<string, number> = {};
    const judges = new Map<string, JudgeParseFailures>();
    const judgeEntry = (judge: string) => {
      const e = judges.get(judge) ?? { judge, failed: 0, extractionFailed: 0, unscored: 0 };
      judges.set(judge, e);
      return e;
    };
    for (const item of failed) {
      const key = item.failure ? `${item.failure.stage}: ${item.failure.reason}` : 'unrecorded';
      failedByReason[key] = (failedByReason[key] ?? 0) + 1;
      if (item.failure?.reason === 'judge_unparseable' && item.failure.judge) judgeEntry(item.failure.judge).failed++;
    }
    for (const e of input.perJudge) {
      if (e.armKey !== armKey || (e.extractionFailed === 0 && e.unscored === 0)) continue;
      const entry = judgeEntry(e.judge);
      entry.extractionFailed += e.extractionFailed;
      entry.unscored += e.unscored;
    }
    const ended = (r: EndReason) => finished.filter((i) => i.endReason === r).length;
    const endedBySimulator = ended('terminated');
    const endedByTurnLimit = ended('max_turns');
    const endedByGuard = ended('endless_goodbye');
    return {
      armKey,
      planned: mine.length,
      finished: finished.length,
      failed: failed.length,
      failedByReason,
      cancelled: is('cancelled').length,
      waiting: is('pending').length,
      running: is('running').length,
      endedBySimulator,
      endedByTurnLimit,
      endedByGuard,
      endUnknown: finished.length - endedBySimulator - endedByTurnLimit - endedByGuard,
      extractionFailed: finished.filter((i) => i.extractionFailed).length,
      judgeParseFailures: [...judges.values()].sort((a, b) => a.judge.localeCompare(b.judge)),
    };
  });
}
