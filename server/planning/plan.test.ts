import { describe as suite, expect, it } from 'vitest';
import { inflateForDropout, solveWelchN } from '../stats/power';
import { buildPlan, curveGrid, effectsFromObserved, effectsFromTyped, SIMULATION_N_MAX, type PlanSettings } from './plan';

const threeArms = { arms: [{ key: 'a', label: 'A' }, { key: 'b', label: 'B' }, { key: 'c', label: 'C' }], referenceArm: 'a' };
const settings: PlanSettings = { alpha: 0.05, power: 0.8, test: 'welch', adjustment: 'none', dropoutRate: 0.25, simulations: 200, seed: 1, nMax: 5000, simulationBudget: 5_000_000 };

suite('sample-size plan (pure)', () => {
  it('gives each arm its own comparison against the reference, with notes where data are missing', () => {
    const effects = effectsFromObserved(
      [{ key: 'q', label: 'Quality', values: { a: [5, 6, 7, 6], b: [7, 8, 9, 8], c: [6] } }],
      threeArms,
    );
    const plan = buildPlan(effects, threeArms, settings);
    expect(plan.rows.map((r) => r.comparisonLabel)).toEqual(['B vs A', 'C vs A']);
    const [b, c] = plan.rows;
    const expected = solveWelchN({ meanDifference: 2, sdReference: Math.sqrt(2 / 3), sdOther: Math.sqrt(2 / 3), alpha: 0.05, power: 0.8, nMax: 5000 });
    expect(b!.nPerArm).toBe(expected.nPerArm);
    expect(b!.nPerArmWithDropout).toBe(inflateForDropout(expected.nPerArm!, 0.25));
    expect(b!.totalWithDropout).toBe(3 * b!.nPerArmWithDropout!);
    expect(c!.nPerArm).toBeNull();
    expect(c!.note).toMatch(/Too few values/);
    expect(plan.curves.map((x) => x.rowId)).toEqual([b!.id]);
    expect(plan.summary).toEqual({ nPerArm: b!.nPerArm, nPerArmWithDropout: b!.nPerArmWithDropout, totalWithDropout: b!.totalWithDropout });
  });

  it('counts a typed effect once per comparison in the α family (Bonferroni and Holm)', () => {
    const effects = effectsFromTyped([{ label: 'Big', effect: { kind: 'd', d: 0.8 } }, { label: 'Small', effect: { kind: 'mean', meanDifference: 1, sd: 4 } }], threeArms);
    expect(effects[0]!.comparisonLabel).toBe('each arm vs A');
    // 2 outcomes × 2 comparisons = 4 tests.
    expect(buildPlan(effects, threeArms, { ...settings, adjustment: 'bonferroni' }).rows.map((r) => r.alpha)).toEqual([0.0125, 0.0125]);
    // Holm planned by effect order: the big effect's two tests get α/4 and α/3 → the stricter, α/4; the small ones α/2 and α/1 → α/2.
    expect(buildPlan(effects, threeArms, { ...settings, adjustment: 'holm' }).rows.map((r) => r.alpha)).toEqual([0.0125, 0.025]);
  });

  it('explains rows it cannot plan: no difference, above the cap, too large to simulate', () => {
    const two = { arms: threeArms.arms.slice(0, 2), referenceArm: 'a' };
    const effects = effectsFromTyped([{ label: 'None', effect: { kind: 'd', d: 0 } }, { label: 'Tiny', effect: { kind: 'd', d: 0.01 } }], two);
    const welch = buildPlan(effects, two, { ...settings, nMax: 1000 });
    expect(welch.rows[0]!.note).toMatch(/No difference/);
    expect(welch.rows[1]!.note).toMatch(/More than 1000 per arm/);
    expect(welch.summary).toBeNull();
    const simulated = buildPlan(effects, two, { ...settings, test: 'mann-whitney' });
    expect(simulated.rows[1]!.note).toMatch(new RegExp(`More than ${SIMULATION_N_MAX} per arm`));
  });

  it('reports an exhausted simulation budget instead of running on', () => {
    const two = { arms: threeArms.arms.slice(0, 2), referenceArm: 'a' };
    const effects = effectsFromTyped([{ label: 'Q', effect: { kind: 'd', d: 0.3 } }], two);
    const plan = buildPlan(effects, two, { ...settings, test: 'mann-whitney', simulationBudget: 50_000 });
    expect(plan.budgetExhausted).toBe(true);
    expect(plan.rows[0]!.note).toMatch(/budget/);
  });

  it('spreads curve points from 2 to about 1.5 × the largest need', () => {
    expect(curveGrid(64, 5000, 40)[0]).toBe(2);
    expect(curveGrid(64, 5000, 40).at(-1)).toBe(96);
    expect(curveGrid(4000, 5000, 12).at(-1)).toBe(5000);
    expect(new Set(curveGrid(3, 5000, 40)).size).toBe(curveGrid(3, 5000, 40).length);
  });
});
