/**
 * The sample-size plan (pure): from per-arm outcome values (a pilot or the study's own data) or typed effect
 * sizes, the participants per arm each outcome × comparison needs for a two-sided test at α and a target
 * power, inflated for dropout, plus power curves. Statistics come from server/stats (`power.ts`, checked
 * against SciPy; `power-simulation.ts` for Mann–Whitney).
 */
import crypto from 'node:crypto';
import { describe } from '../stats';
import { inflateForDropout, plannedAlphas, solveWelchN, welchPower, type AlphaAdjustment } from '../stats/power';
import {
  simulatePower,
  SimulationBudget,
  SimulationBudgetExceeded,
  solveSimulatedN,
  type SimulationModel,
} from '../stats/power-simulation';

export type PlanTest = 'welch' | 'mann-whitney';

/** Observed values of one outcome per arm key (pilot or study data). */
export interface ObservedOutcome {
  key: string;
  label: string;
  values: Record<string, number[]>;
}

/** A typed effect: mean difference with SDs (sdOther defaults to sd), or a standardized Cohen's d (SD 1). */
export type TypedEffect =
  | { kind: 'mean'; meanDifference: number; sd: number; sdOther?: number }
  | { kind: 'd'; d: number };

export interface TypedOutcome {
  label: string;
  effect: TypedEffect;
}

export interface PlanSettings {
  alpha: number;
  power: number;
  test: PlanTest;
  adjustment: AlphaAdjustment;
  dropoutRate: number;
  simulations: number;
  seed: number;
  nMax: number;
  /** Values drawn by all simulations of the request together (Mann–Whitney only). */
  simulationBudget: number;
}

export interface PlanArms {
  arms: { key: string; label: string }[];
  referenceArm: string;
}

export interface PlanRow {
  id: string;
  outcomeKey: string;
  outcomeLabel: string;
  /** The compared (non-reference) arm; null for typed effects, which apply to each comparison alike. */
  armKey: string | null;
  comparisonLabel: string;
  /** Observations behind the effect (null for typed effects). */
  nObservedReference: number | null;
  nObservedOther: number | null;
  meanDifference: number | null;
  sdReference: number | null;
  sdOther: number | null;
  /** Mean difference over the root mean square of the two SDs. */
  cohensD: number | null;
  alpha: number;
  nPerArm: number | null;
  achievedPower: number | null;
  /** Monte-Carlo standard error of achievedPower (Mann–Whitney). */
  standardError: number | null;
  nPerArmWithDropout: number | null;
  /** Every arm of the study recruited at nPerArmWithDropout (equal allocation). */
  totalWithDropout: number | null;
  /** Why a row has no n: too few data, no difference, above the cap, budget. */
  note: string | null;
}

export interface CurvePoint {
  n: number;
  power: number;
  standardError: number | null;
}

export interface PlanResult {
  rows: PlanRow[];
  curves: { rowId: string; label: string; points: CurvePoint[] }[];
  /** Largest need over the rows that have one: recruit this many per arm, this many in total. */
  summary: { nPerArm: number; nPerArmWithDropout: number; totalWithDropout: number } | null;
  comparisons: number;
  budgetExhausted: boolean;
}

interface Effect {
  outcomeKey: string;
  outcomeLabel: string;
  armKey: string | null;
  comparisonLabel: string;
  nObservedReference: number | null;
  nObservedOther: number | null;
  meanDifference: number;
  sdReference: number;
  sdOther: number;
  resample: { reference: number[]; other: number[] } | null;
  note: string | null;
}

/** 32-bit seed for one row: sha256 of (request seed, row id), so rows never share a random stream. */
function rowSeed(seed: number, rowId: string): number {
  return crypto.createHash('sha256').update(JSON.stringify(['planner/v1', seed, rowId])).digest().readUInt32BE(0);
}

export function effectsFromObserved(outcomes: readonly ObservedOutcome[], arms: PlanArms): Effect[] {
  const reference = arms.arms.find((a) => a.key === arms.referenceArm)!;
  const effects: Effect[] = [];
  for (const outcome of outcomes) {
    const ref = outcome.values[reference.key] ?? [];
    for (const arm of arms.arms) {
      if (arm.key === reference.key) continue;
      const other = outcome.values[arm.key] ?? [];
      const a = describe(ref);
      const b = describe(other);
      const base = {
        outcomeKey: outcome.key,
        outcomeLabel: outcome.label,
        armKey: arm.key,
        comparisonLabel: `${arm.label} vs ${reference.label}`,
        nObservedReference: ref.length,
        nObservedOther: other.length,
      };
      let note: string | null = null;
      if (ref.length < 2 || other.length < 2) note = 'Too few values (at least 2 per arm are needed).';
      else if (!(a.sd! > 0) || !(b.sd! > 0)) note = 'An arm has no spread (all values equal); an SD is needed.';
      effects.push({
        ...base,
        meanDifference: note ? 0 : b.mean! - a.mean!,
        sdReference: a.sd ?? 0,
        sdOther: b.sd ?? 0,
        resample: note ? null : { reference: [...ref], other: [...other] },
        note,
      });
    }
  }
  return effects;
}

export function effectsFromTyped(outcomes: readonly TypedOutcome[], arms: PlanArms): Effect[] {
  const reference = arms.arms.find((a) => a.key === arms.referenceArm)!;
  const others = arms.arms.filter((a) => a.key !== reference.key);
  const comparisonLabel = others.length === 1 ? `${others[0]!.label} vs ${reference.label}` : `each arm vs ${reference.label}`;
  return outcomes.map((o, i) => {
    const { meanDifference, sdReference, sdOther } =
      o.effect.kind === 'd'
        ? { meanDifference: o.effect.d, sdReference: 1, sdOther: 1 }
        : { meanDifference: o.effect.meanDifference, sdReference: o.effect.sd, sdOther: o.effect.sdOther ?? o.effect.sd };
    return {
      outcomeKey: `typed-${i + 1}`,
      outcomeLabel: o.label,
      armKey: null,
      comparisonLabel,
      nObservedReference: null,
      nObservedOther: null,
      meanDifference,
      sdReference,
      sdOther,
      resample: null,
      note: null,
    };
  });
}

/** Largest n per arm the Mann–Whitney simulation searches (larger needs are answered by the Welch n). */
export const SIMULATION_N_MAX = 2000;

const rms = (a: number, b: number) => Math.sqrt((a * a + b * b) / 2);

/**
 * Plans every effect. `comparisons` is how many non-reference arms each typed row stands for (the α family
 * counts each comparison once). Mann–Whitney rows resample observed values when there are some and use the
 * normal shift model for typed effects; their search starts at the Welch n, which is close.
 */
export function buildPlan(effects: readonly Effect[], arms: PlanArms, settings: PlanSettings): PlanResult {
  const armCount = arms.arms.length;
  const comparisonsPerRow = (e: Effect) => (e.armKey === null ? Math.max(1, armCount - 1) : 1);
  // The α family: every (outcome, comparison) tested; typed rows count once per comparison they stand for.
  const usable = effects.filter((e) => e.note === null && e.meanDifference !== 0);
  const strengths: number[] = [];
  const owner: number[] = [];
  usable.forEach((e, i) => {
    for (let k = 0; k < comparisonsPerRow(e); k++) {
      strengths.push(Math.abs(e.meanDifference) / rms(e.sdReference, e.sdOther));
      owner.push(i);
    }
  });
  const familyAlphas = plannedAlphas(settings.alpha, strengths, settings.adjustment);
  // A typed row standing for several comparisons must meet the strictest α among them.
  const alphaOf = new Map<Effect, number>();
  owner.forEach((i, k) => alphaOf.set(usable[i]!, Math.min(alphaOf.get(usable[i]!) ?? 1, familyAlphas[k]!)));

  const budget = new SimulationBudget(settings.simulationBudget);
  let budgetExhausted = false;
  const rows: PlanRow[] = [];
  const curveInputs: { row: PlanRow; effect: Effect }[] = [];

  for (const effect of effects) {
    const id = `${effect.outcomeKey}:${effect.armKey ?? '*'}`;
    const sd = rms(effect.sdReference, effect.sdOther);
    const alpha = alphaOf.get(effect) ?? settings.alpha;
    const row: PlanRow = {
      id,
      outcomeKey: effect.outcomeKey,
      outcomeLabel: effect.outcomeLabel,
      armKey: effect.armKey,
      comparisonLabel: effect.comparisonLabel,
      nObservedReference: effect.nObservedReference,
      nObservedOther: effect.nObservedOther,
      meanDifference: effect.note ? null : effect.meanDifference,
      sdReference: effect.note ? null : effect.sdReference,
      sdOther: effect.note ? null : effect.sdOther,
      cohensD: effect.note || !(sd > 0) ? null : effect.meanDifference / sd,
      alpha,
      nPerArm: null,
      achievedPower: null,
      standardError: null,
      nPerArmWithDropout: null,
      totalWithDropout: null,
      note: effect.note,
    };
    rows.push(row);
    if (effect.note) continue;
    if (effect.meanDifference === 0) {
      row.note = 'No difference between the arms: no sample size reaches the power.';
      continue;
    }
    const welch = solveWelchN({ meanDifference: effect.meanDifference, sdReference: effect.sdReference, sdOther: effect.sdOther, alpha, power: settings.power, nMax: settings.nMax });
    if (settings.test === 'welch') {
      row.nPerArm = welch.nPerArm;
      row.achievedPower = welch.achievedPower;
    } else if (welch.nPerArm === null || welch.nPerArm > SIMULATION_N_MAX) {
      // Simulating thousands per arm would take the whole request; the t-test's answer says enough here.
      row.note = `More than ${SIMULATION_N_MAX} per arm (Welch needs ${welch.nPerArm ?? `over ${settings.nMax}`}); not simulated.`;
      continue;
    } else {
      try {
        const solved = solveSimulatedN({
          model: simulationModel(effect),
          alpha,
          power: settings.power,
          nMax: Math.min(settings.nMax, SIMULATION_N_MAX),
          simulations: settings.simulations,
          seed: rowSeed(settings.seed, id),
          hint: welch.nPerArm === null ? undefined : Math.ceil((welch.nPerArm * Math.PI) / 3),
          budget,
        });
        row.nPerArm = solved.nPerArm;
        row.achievedPower = solved.achievedPower;
        row.standardError = solved.standardError;
      } catch (error) {
        if (!(error instanceof SimulationBudgetExceeded)) throw error;
        budgetExhausted = true;
        row.note = 'Simulation budget of this request used up: plan fewer outcomes or fewer simulations.';
        continue;
      }
    }
    if (row.nPerArm === null) {
      const cap = settings.test === 'welch' ? settings.nMax : Math.min(settings.nMax, SIMULATION_N_MAX);
      row.note = `More than ${cap} per arm would be needed (power ${row.achievedPower!.toFixed(3)} at ${cap}).`;
    } else {
      row.nPerArmWithDropout = inflateForDropout(row.nPerArm, settings.dropoutRate);
      row.totalWithDropout = row.nPerArmWithDropout * armCount;
    }
    curveInputs.push({ row, effect });
  }

  const curves = powerCurves(curveInputs, settings, budget, () => (budgetExhausted = true));
  const planned = rows.filter((r) => r.nPerArm !== null);
  const summary = planned.length
    ? {
        nPerArm: Math.max(...planned.map((r) => r.nPerArm!)),
        nPerArmWithDropout: Math.max(...planned.map((r) => r.nPerArmWithDropout!)),
        totalWithDropout: Math.max(...planned.map((r) => r.totalWithDropout!)),
      }
    : null;
  return { rows, curves, summary, comparisons: Math.max(0, armCount - 1), budgetExhausted };
}

function simulationModel(effect: Effect): SimulationModel {
  return effect.resample
    ? { kind: 'resample', reference: effect.resample.reference, other: effect.resample.other }
    : { kind: 'shift', meanDifference: effect.meanDifference, sdReference: effect.sdReference, sdOther: effect.sdOther };
}

/** n values shared by every curve: 2 … about 1.5 × the largest need, at most `points` of them. */
export function curveGrid(maxNeeded: number, nMax: number, points: number): number[] {
  const top = Math.max(10, Math.min(nMax, Math.ceil(maxNeeded * 1.5)));
  const grid = new Set<number>();
  for (let i = 0; i < points; i++) grid.add(Math.max(2, Math.round(2 + ((top - 2) * i) / (points - 1))));
  return [...grid].sort((a, b) => a - b);
}

/**
 * Curves show the shape; the table carries the precise figure. A quarter of the simulations per point (at least
 * 100) keeps a 12-point curve cheaper than the search itself; each point still reports its own standard error.
 */
export function curveSimulations(simulations: number): number {
  return Math.min(simulations, Math.max(100, Math.round(simulations / 4)));
}

function powerCurves(
  inputs: { row: PlanRow; effect: Effect }[],
  settings: PlanSettings,
  budget: SimulationBudget,
  onBudgetExhausted: () => void,
): PlanResult['curves'] {
  if (!inputs.length) return [];
  const cap = settings.test === 'welch' ? settings.nMax : Math.min(settings.nMax, SIMULATION_N_MAX);
  const needs = inputs.map((i) => i.row.nPerArm ?? cap);
  // Simulated curves cost a simulation per point, so they get fewer points than the analytic ones.
  const grid = curveGrid(Math.max(...needs), cap, settings.test === 'welch' ? 40 : 10);
  return inputs.map(({ row, effect }) => {
    const points: CurvePoint[] = [];
    for (const n of grid) {
      if (settings.test === 'welch') {
        points.push({ n, power: welchPower({ meanDifference: effect.meanDifference, sdReference: effect.sdReference, sdOther: effect.sdOther, nReference: n, nOther: n, alpha: row.alpha }), standardError: null });
        continue;
      }
      try {
        const s = simulatePower({ model: simulationModel(effect), n, alpha: row.alpha, simulations: curveSimulations(settings.simulations), seed: rowSeed(settings.seed, row.id), budget });
        points.push({ n, power: s.power, standardError: s.standardError });
      } catch (error) {
        if (!(error instanceof SimulationBudgetExceeded)) throw error;
        onBudgetExhausted();
        break;
      }
    }
    return { rowId: row.id, label: `${row.outcomeLabel} — ${row.comparisonLabel}`, points };
  });
}
