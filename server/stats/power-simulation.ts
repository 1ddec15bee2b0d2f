import { mulberry32 } from './paired';
import { solveSmallestN, type SolveResult } from './power';
import { mannWhitneyU, welchTTest } from './two-sample';

/**
 * Power by seeded Monte-Carlo simulation, for tests without a closed-form power (Mann–Whitney U).
 * Each simulated study draws n values per arm from the model, runs the project's own test (`mannWhitneyU`,
 * = SciPy's `mannwhitneyu` defaults; `welchTTest` is accepted too so the simulator can be checked against
 * the analytic noncentral-t power) and counts p < α.
 *
 * Random numbers come from mulberry32 (the generator of the cluster bootstrap), seeded per (seed, n), so the
 * power at a given n does not depend on which other n a search visited, and a request is reproducible.
 */
export type SimulationModel =
  /** Normal outcomes: reference ~ N(0, sdReference²), other ~ N(meanDifference, sdOther²). */
  | { kind: 'shift'; meanDifference: number; sdReference: number; sdOther: number }
  /** Bootstrap: n values drawn with replacement from each arm's observed values (pilot or study data). */
  | { kind: 'resample'; reference: readonly number[]; other: readonly number[] };

export type SimulatedTest = 'mann-whitney' | 'welch';

export interface SimulatedPower {
  power: number;
  /** Monte-Carlo standard error √(p(1 − p)/simulations). */
  standardError: number;
  simulations: number;
}

/** Work counter shared by the simulations of one request: values drawn, so a request stays bounded. */
export class SimulationBudget {
  constructor(public remaining: number) {}
  spend(values: number): void {
    if (values > this.remaining) throw new SimulationBudgetExceeded();
    this.remaining -= values;
  }
}

export class SimulationBudgetExceeded extends Error {
  constructor() {
    super('simulation budget exceeded');
  }
}

const TWO_TO_32 = 4294967296;

/** Seed of the stream for one n: a fixed 32-bit mix of the request seed and n (Knuth's multiplicative hash). */
function streamSeed(seed: number, n: number): number {
  return (seed ^ Math.imul(n, 0x9e3779b1)) >>> 0;
}

function sampler(model: SimulationModel, next: () => number): { reference: (n: number) => number[]; other: (n: number) => number[] } {
  const uniform = () => (next() + 0.5) / TWO_TO_32; // strictly inside (0, 1)
  if (model.kind === 'resample') {
    const draw = (values: readonly number[]) => (n: number) => {
      const out = new Array<number>(n);
      for (let i = 0; i < n; i++) out[i] = values[Math.floor((next() / TWO_TO_32) * values.length)]!;
      return out;
    };
    return { reference: draw(model.reference), other: draw(model.other) };
  }
  // Box–Muller, one normal per pair of uniforms (the cosine branch only), so the stream is easy to reproduce.
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const draw = (mean: number, sd: number) => (n: number) => {
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = mean + sd * normal();
    return out;
  };
  return { reference: draw(0, model.sdReference), other: draw(model.meanDifference, model.sdOther) };
}

export interface SimulatePowerInput {
  model: SimulationModel;
  /** Participants per arm (≥ 2). */
  n: number;
  alpha: number;
  simulations: number;
  seed: number;
  test?: SimulatedTest;
  budget?: SimulationBudget;
}

export function simulatePower(input: SimulatePowerInput): SimulatedPower {
  const { model, n, alpha, simulations, seed, test = 'mann-whitney', budget } = input;
  if (!(Number.isInteger(n) && n >= 2)) throw new RangeError('n must be an integer ≥ 2');
  if (!(Number.isInteger(simulations) && simulations >= 1)) throw new RangeError('simulations must be a positive integer');
  if (model.kind === 'resample' && (model.reference.length === 0 || model.other.length === 0)) {
    throw new RangeError('resampling needs values in both arms');
  }
  budget?.spend(2 * n * simulations);
  const draw = sampler(model, mulberry32(streamSeed(seed, n)));
  let rejections = 0;
  for (let s = 0; s < simulations; s++) {
    const reference = draw.reference(n);
    const other = draw.other(n);
    const p = test === 'welch' ? welchTTest(other, reference).p : mannWhitneyU(other, reference).p;
    if (p !== null && p < alpha) rejections++;
  }
  const power = rejections / simulations;
  return { power, standardError: Math.sqrt((power * (1 - power)) / simulations), simulations };
}

export interface SolveSimulatedInput extends Omit<SimulatePowerInput, 'n'> {
  power: number;
  nMax: number;
  /** A guess of the answer (e.g. the Welch n), which narrows the search to a few simulated n. */
  hint?: number;
}

/** Smallest n per arm whose simulated power reaches the target (same search as the analytic solver). */
export function solveSimulatedN(input: SolveSimulatedInput): SolveResult & { standardError: number } {
  const results = new Map<number, SimulatedPower>();
  const at = (n: number) => {
    let result = results.get(n);
    if (!result) {
      result = simulatePower({ ...input, n });
      results.set(n, result);
    }
    return result.power;
  };
  const solved = solveSmallestN(at, input.power, input.nMax, input.hint);
  const n = solved.nPerArm ?? input.nMax;
  return { ...solved, standardError: results.get(n)?.standardError ?? 0 };
}
