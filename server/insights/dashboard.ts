/**
 * The results dashboard: CONSORT-style flow, per-arm descriptives and every arm against a reference arm.
 * All statistics come from server/stats (checked against SciPy); this module only decides which numbers
 * go in (population, exclusions, versions, previews never) and how they are grouped.
 */
import type { DbExecutor } from '../../db';
import { compareArms, describe, holm, type ArmComparison, type Description } from '../stats';
import { loadBalanceTable, type BalanceTable } from './balance';
import { loadAnalysisRows, type AnalysisRow } from './dataset';
import { refreshParticipantMetrics } from './participant-metrics';
import { inPopulation, populationDefinitions, studyFlow, type Population, type StudyFlow } from './populations';
import { loadStudyOverview, type StudyArm } from './study-access';
import { boundDescription, type BoundedDescription, type Bounds } from './bounded';

export interface OutcomeSpec {
  key: string;
  label: string;
  unit: string;
  /** Ratings have a fixed 1-10 scale and get a distribution chart. */
  scale?: [number, number];
  /** What the outcome can take; intervals are clipped to it. */
  bounds: Bounds;
  value(row: AnalysisRow): number | null;
}

const nonNegative: Bounds = [0, Number.POSITIVE_INFINITY];

export const outcomes: OutcomeSpec[] = [
  { key: 'documentQuality', label: 'Document quality', unit: '1-10', scale: [1, 10], bounds: [1, 10], value: (r) => r.documentQuality },
  { key: 'overallInteraction', label: 'Overall interaction', unit: '1-10', scale: [1, 10], bounds: [1, 10], value: (r) => r.overallInteraction },
  { key: 'meanRating', label: 'Mean periodic rating', unit: '1-10', bounds: [1, 10], value: (r) => r.meanRating },
  { key: 'totalTime', label: 'Time spent, total', unit: 'min', bounds: nonNegative, value: (r) => (r.totalTimeSec === null ? null : r.totalTimeSec / 60) },
  {
    key: 'activeTime',
    label: "Participant's own time (net of model waiting)",
    unit: 'min',
    bounds: nonNegative,
    value: (r) => (r.activeTimeSec === null ? null : r.activeTimeSec / 60),
  },
  { key: 'turns', label: 'Turns', unit: 'turns', bounds: nonNegative, value: (r) => r.turns },
  { key: 'tokensRead', label: 'Tokens read (assistant replies)', unit: 'tokens', bounds: nonNegative, value: (r) => r.tokensRead },
  { key: 'tokensTyped', label: 'Tokens typed (participant messages)', unit: 'tokens', bounds: nonNegative, value: (r) => r.tokensTyped },
];

export interface DashboardInput {
  studyId: string;
  population: Population;
  /** Defaults to the first arm of the newest version. */
  referenceArm?: string;
  /** Empty = all versions. */
  versionIds?: string[];
  /** Time allowed for filling the metrics cache in this request; the remainder is reported as pending. */
  metricsBudgetMs?: number;
}

export interface OutcomeResult {
  key: string;
  label: string;
  unit: string;
  /** Descriptives with the interval clipped to the outcome's bounds (see bounded.ts). */
  perArm: { armKey: string; description: BoundedDescription }[];
  /** One per non-reference arm; p-values Holm-adjusted across outcomes within that arm's comparison. */
  comparisons: { armKey: string; comparison: ArmComparison; welchPHolm: number | null; mannWhitneyPHolm: number | null }[];
  /** Counts per scale point per arm, for scale outcomes. */
  distribution: { value: number; counts: Record<string, number> }[] | null;
}

export interface Dashboard {
  study: { id: string; slug: string; name: string };
  arms: StudyArm[];
  versions: { id: string; version: number }[];
  population: Population;
  populationDefinition: string;
  definitions: typeof populationDefinitions;
  referenceArm: string | null;
  flow: StudyFlow;
  /** Analysed participants per arm in the chosen population. */
  analysed: Record<string, number>;
  /** Per arm: analysed participants still in progress (only the ITT population has any); their arm's figures are partial. */
  stillInProgress: Record<string, number>;
  outcomes: OutcomeResult[];
  ratingByTurn: { afterTurn: number; arms: Record<string, Description> }[];
  /**
   * Participants whose turns, tokens and time are still being computed (large studies, first load):
   * they are missing from those outcomes until a later request finishes them.
   */
  metricsPending: number;
  /** Randomized participants per arm within each stratum (all populations; see insights/balance.ts). */
  balance: BalanceTable;
}

/** The raw per-arm arrays the statistics are computed from (exported so tests can recompute them independently). */
export function outcomeArrays(rows: AnalysisRow[], armKeys: string[], population: Population, attentionCheckCount: number) {
  const included = rows.filter((r) => inPopulation(r, population, attentionCheckCount));
  const arrays: Record<string, Record<string, number[]>> = {};
  for (const o of outcomes) {
    arrays[o.key] = Object.fromEntries(armKeys.map((k) => [k, [] as number[]]));
    for (const row of included) {
      const v = o.value(row);
      if (v !== null && Number.isFinite(v)) (arrays[o.key]![row.armKey!] ??= []).push(v);
    }
    // Database row order is arbitrary; sorting makes floating-point sums, and so every figure, reproducible.
    for (const list of Object.values(arrays[o.key]!)) list.sort((a, b) => a - b);
  }
  return { included, arrays };
}

export async function buildDashboard(db: DbExecutor, input: DashboardInput): Promise<Dashboard> {
  const filter = { studyId: input.studyId, versionIds: input.versionIds };
  // Independent reads; the cache must be refreshed before the rows are loaded.
  const [study, { pending }] = await Promise.all([
    loadStudyOverview(db, input.studyId),
    refreshParticipantMetrics(db, filter, { budgetMs: input.metricsBudgetMs ?? 1500 }),
  ]);
  const rows = await loadAnalysisRows(db, filter);

  const armKeys = study.arms.map((a) => a.key);
  for (const r of rows) if (r.armKey && !armKeys.includes(r.armKey)) armKeys.push(r.armKey);
  const arms = armKeys.map((k) => study.arms.find((a) => a.key === k) ?? { key: k, label: k });
  const balance = await loadBalanceTable(db, filter, armKeys);
  const referenceArm = input.referenceArm && armKeys.includes(input.referenceArm) ? input.referenceArm : (armKeys[0] ?? null);
  const checks = study.attentionCheckCount;
  const { included, arrays } = outcomeArrays(rows, armKeys, input.population, checks);

  const results: OutcomeResult[] = outcomes.map((o) => {
    const byArm = arrays[o.key]!;
    return {
      key: o.key,
      label: o.label,
      unit: o.unit,
      perArm: armKeys.map((armKey) => ({ armKey, description: boundDescription(describe(byArm[armKey] ?? []), o.bounds) })),
      comparisons: [],
      distribution: o.scale
        ? Array.from({ length: o.scale[1] - o.scale[0] + 1 }, (_, i) => {
            const value = o.scale![0] + i;
            return { value, counts: Object.fromEntries(armKeys.map((k) => [k, (byArm[k] ?? []).filter((v) => v === value).length])) };
          })
        : null,
    };
  });

  if (referenceArm) {
    for (const armKey of armKeys) {
      if (armKey === referenceArm) continue;
      const comparisons = outcomes.map((o) => compareArms(arrays[o.key]![referenceArm] ?? [], arrays[o.key]![armKey] ?? []));
      const welchHolm = adjustAvailable(comparisons.map((c) => c.welch.p));
      const mwHolm = adjustAvailable(comparisons.map((c) => c.mannWhitney.p));
      comparisons.forEach((comparison, i) =>
        results[i]!.comparisons.push({ armKey, comparison, welchPHolm: welchHolm[i] ?? null, mannWhitneyPHolm: mwHolm[i] ?? null }),
      );
    }
  }

  const byTurn = new Map<number, Map<string, number[]>>();
  for (const r of included) {
    r.ratingTurns.forEach((afterTurn, i) => {
      let turn = byTurn.get(afterTurn);
      if (!turn) byTurn.set(afterTurn, (turn = new Map()));
      let list = turn.get(r.armKey!);
      if (!list) turn.set(r.armKey!, (list = []));
      list.push(r.ratingValues[i]!);
    });
  }
  const ratingByTurn = [...byTurn.entries()]
    .sort(([a], [b]) => a - b)
    .map(([afterTurn, perArm]) => ({
      afterTurn,
      arms: Object.fromEntries(armKeys.map((k) => [k, boundDescription(describe((perArm.get(k) ?? []).sort((a, b) => a - b)), [1, 10])])),
    }));

  const analysed: Record<string, number> = Object.fromEntries(armKeys.map((k) => [k, 0]));
  // Included participants who have not finished: their outcomes so far are in the figures (ITT), so those are partial.
  const stillInProgress: Record<string, number> = Object.fromEntries(armKeys.map((k) => [k, 0]));
  for (const r of included) {
    analysed[r.armKey!] = (analysed[r.armKey!] ?? 0) + 1;
    if (r.outcome === null) stillInProgress[r.armKey!] = (stillInProgress[r.armKey!] ?? 0) + 1;
  }

  return {
    study: { id: study.id, slug: study.slug, name: study.name },
    arms,
    versions: study.versions.map(({ id, version }) => ({ id, version })),
    population: input.population,
    populationDefinition: populationDefinitions[input.population],
    definitions: populationDefinitions,
    referenceArm,
    flow: studyFlow(rows, armKeys, checks),
    analysed,
    stillInProgress,
    outcomes: results,
    ratingByTurn,
    metricsPending: pending,
    balance,
  };
}

/** Holm over the outcomes that have a p-value; outcomes without one (too few data) stay null and are not counted. */
function adjustAvailable(ps: (number | null)[]): (number | null)[] {
  const idx = ps.map((p, i) => (p === null ? -1 : i)).filter((i) => i >= 0);
  const adjusted = holm(idx.map((i) => ps[i]!));
  const out: (number | null)[] = ps.map(() => null);
  idx.forEach((i, j) => (out[i] = adjusted[j]!));
  return out;
}
