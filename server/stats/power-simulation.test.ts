import { describe as suite, expect, it } from 'vitest';
import { welchPower } from './power';
import { simulatePower, SimulationBudget, SimulationBudgetExceeded, solveSimulatedN } from './power-simulation';

const normalShift = { kind: 'shift' as const, meanDifference: 0.5, sdReference: 1, sdOther: 1 };
const analytic = (n: number) => welchPower({ meanDifference: 0.5, sdReference: 1, sdOther: 1, nReference: n, nOther: n, alpha: 0.05 });
// Four Monte-Carlo standard errors: a correct simulator misses by more with probability ≈ 6e-5 per check
// (the seeds are fixed, so the outcome is deterministic; the bound says why the seeds are not cherry-picked).
const Z = 4;

suite('simulated power (seeded Monte Carlo)', () => {
  it('is reproducible by seed and changes with it', () => {
    const a = simulatePower({ model: normalShift, n: 30, alpha: 0.05, simulations: 500, seed: 11 });
    const b = simulatePower({ model: normalShift, n: 30, alpha: 0.05, simulations: 500, seed: 11 });
    const c = simulatePower({ model: normalShift, n: 30, alpha: 0.05, simulations: 500, seed: 12 });
    expect(b).toEqual(a);
    expect(c.power).not.toBe(a.power);
    expect(a.standardError).toBeCloseTo(Math.sqrt((a.power * (1 - a.power)) / 500), 15);
  });

  it('reproduces the analytic noncentral-t power when the simulated test is Welch (normal data)', () => {
    for (const n of [10, 40, 64]) {
      const simulated = simulatePower({ model: normalShift, n, alpha: 0.05, simulations: 4000, seed: 2026, test: 'welch' });
      expect(Math.abs(simulated.power - analytic(n)), `n=${n}`).toBeLessThanOrEqual(Z * simulated.standardError);
    }
  });

  it('gives Mann–Whitney the t power at the efficiency-adjusted n (3/π under normal data)', () => {
    // Under normal shifts the Mann–Whitney test needs π/3 ≈ 1.047 times the t-test's n (Pitman efficiency),
    // so its power at n equals the t power at 3n/π up to Monte-Carlo error.
    for (const n of [21, 63]) {
      const simulated = simulatePower({ model: normalShift, n, alpha: 0.05, simulations: 4000, seed: 99 });
      expect(Math.abs(simulated.power - analytic(Math.round((3 * n) / Math.PI))), `n=${n}`).toBeLessThanOrEqual(Z * simulated.standardError);
    }
  });

  it('rejects at about α when there is no effect (resampling one pool for both arms)', () => {
    const pool = Array.from({ length: 40 }, (_, i) => 1 + (i % 7));
    const simulated = simulatePower({ model: { kind: 'resample', reference: pool, other: pool }, n: 25, alpha: 0.05, simulations: 4000, seed: 5 });
    const se = Math.sqrt((0.05 * 0.95) / 4000);
    expect(Math.abs(simulated.power - 0.05)).toBeLessThanOrEqual(Z * se);
  });

  it('solves n near the Welch n inflated by π/3 and reports the standard error there', () => {
    const solved = solveSimulatedN({ model: normalShift, alpha: 0.05, power: 0.8, nMax: 1000, simulations: 2000, seed: 1, hint: 67 });
    expect(solved.nPerArm).not.toBeNull();
    expect(solved.achievedPower).toBeGreaterThanOrEqual(0.8);
    expect(solved.standardError).toBeGreaterThan(0);
    // The t-test needs 64 per arm; 64·π/3 ≈ 67. Simulated noise moves the crossing by a few participants.
    expect(Math.abs(solved.nPerArm! - 67)).toBeLessThanOrEqual(6);
  });

  it('stops when the request budget runs out', () => {
    const budget = new SimulationBudget(10_000);
    expect(() => simulatePower({ model: normalShift, n: 100, alpha: 0.05, simulations: 100, seed: 1, budget })).toThrow(SimulationBudgetExceeded);
  });
});
