import { describe, expect, it } from 'vitest';
import {
  ALGORITHM_VERSION,
  RandomizationInputError,
  STRATIFIED_ALGORITHM_VERSION,
  type Stratum,
  decideStratifiedAssignment,
  stratifiedDraw,
  type ArmWeight,
  assignmentDraw,
  chooseArm,
  decideAssignment,
  decidePreviewAssignment,
  openSlots,
  previewDraw,
  replayAssignment,
  uniformFromHash,
} from './index';

/** Assign n participants one after another, all of whom stay live. */
function runSequential(arms: ArmWeight[], seed: string, n: number, start: Record<string, number> = {}) {
  const counts: Record<string, number> = Object.fromEntries(arms.map((a) => [a.key, start[a.key] ?? 0]));
  const order: string[] = [];
  const history: Record<string, number>[] = [];
  for (let s = 1; s <= n; s++) {
    const d = decideAssignment({ arms, seed, sequence: s, counts });
    counts[d.armKey]! += 1;
    order.push(d.armKey);
    history.push({ ...counts });
  }
  return { counts, order, history };
}

const abc: ArmWeight[] = [
  { key: 'a', weight: 1 },
  { key: 'b', weight: 1 },
  { key: 'c', weight: 1 },
];
const xy21: ArmWeight[] = [
  { key: 'x', weight: 2 },
  { key: 'y', weight: 1 },
];

describe('golden vectors (from the independent Python implementation, server/randomization/reference.py)', () => {
  it('has a stable version string', () => {
    expect(ALGORITHM_VERSION).toBe('blocked-urn-live/v1');
  });

  it('reproduces the SHA-256 draws exactly', () => {
    expect([1, 2, 3].map((s) => assignmentDraw('seed-a', s))).toEqual([
      0.632377609305058, 0.8227997083981957, 0.44894257513092406,
    ]);
    // Non-ASCII and separator characters in the seed are encoded unambiguously.
    expect([1, 2, 3].map((s) => assignmentDraw('ça|va', s))).toEqual([
      0.9546053305637364, 0.23311172959971815, 0.8429284466603546,
    ]);
    expect(previewDraw('seed-a', '00000000-0000-4000-8000-000000000001')).toBe(0.20945029208596444);
  });

  it('reproduces the arm sequence for 1:1:1 and 2:1', () => {
    expect(runSequential(abc, 'seed-a', 12).order.join('')).toBe('bcaacbbcaacb');
    expect(runSequential(xy21, 'golden', 9).order.join('')).toBe('yxxyxxxxy');
  });
});

describe('uniformFromHash', () => {
  it('stays in [0, 1) and looks uniform over many inputs', () => {
    const n = 20_000;
    const bins = new Array(10).fill(0) as number[];
    for (let i = 0; i < n; i++) {
      const u = uniformFromHash(['uniformity', i]);
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      bins[Math.floor(u * 10)]! += 1;
    }
    // Chi-square with 9 degrees of freedom; 27.88 is the 0.999 quantile.
    const chi2 = bins.reduce((sum, o) => sum + (o - n / 10) ** 2 / (n / 10), 0);
    expect(chi2).toBeLessThan(27.88);
  });
});

describe('balance without dropouts', () => {
  it('1:1:1 — exactly equal after every full block, never more than one apart', () => {
    const { counts, history } = runSequential(abc, 'balance-111', 3000);
    expect(counts).toEqual({ a: 1000, b: 1000, c: 1000 });
    history.forEach((h, i) => {
      const values = Object.values(h);
      expect(Math.max(...values) - Math.min(...values)).toBeLessThanOrEqual(1);
      if ((i + 1) % 3 === 0) expect(new Set(values).size).toBe(1);
    });
  });

  it('2:1 — exactly 2:1 after every block of three, each arm within its block bounds', () => {
    const { counts, history } = runSequential(xy21, 'balance-21', 3000);
    expect(counts).toEqual({ x: 2000, y: 1000 });
    history.forEach((h, i) => {
      const n = i + 1;
      const k = Math.floor(n / 3);
      expect(h.x).toBeGreaterThanOrEqual(2 * k);
      expect(h.x).toBeLessThanOrEqual(2 * (k + 1));
      expect(h.y).toBeGreaterThanOrEqual(k);
      expect(h.y).toBeLessThanOrEqual(k + 1);
      if (n % 3 === 0) expect(h).toEqual({ x: 2 * k, y: k });
    });
  });

  it('3:2:1 over 600 — exact proportions', () => {
    const arms = [
      { key: 'p', weight: 3 },
      { key: 'q', weight: 2 },
      { key: 'r', weight: 1 },
    ];
    expect(runSequential(arms, 'balance-321', 600).counts).toEqual({ p: 300, q: 200, r: 100 });
  });

  it('randomizes the order within blocks (every permutation of a 1:1:1 block occurs, roughly equally)', () => {
    const { order } = runSequential(abc, 'permutations', 6000);
    const perms = new Map<string, number>();
    for (let i = 0; i < order.length; i += 3) {
      const block = order.slice(i, i + 3).join('');
      perms.set(block, (perms.get(block) ?? 0) + 1);
    }
    expect([...perms.keys()].sort()).toEqual(['abc', 'acb', 'bac', 'bca', 'cab', 'cba']);
    // 2000 blocks over 6 permutations: expected 333 each; chi-square (5 df) 0.999 quantile is 20.52.
    const chi2 = [...perms.values()].reduce((sum, o) => sum + (o - 2000 / 6) ** 2 / (2000 / 6), 0);
    expect(chi2).toBeLessThan(20.52);
  });

  it('gives different sequences for different seeds', () => {
    expect(runSequential(abc, 's1', 30).order.join('')).not.toBe(runSequential(abc, 's2', 30).order.join(''));
  });
});

describe('dropout-aware refilling', () => {
  it('an arm that lost participants gets the next ones until it is back at its share', () => {
    // a and b each lost 3 of their 10 (abandoned); c kept all 10.
    const counts = { a: 7, b: 7, c: 10 };
    expect(openSlots(abc, counts)).toEqual({ a: 1, b: 1, c: 0 });
    const { counts: after, order } = runSequential(abc, 'refill', 6, counts);
    // The first six go 3 to a and 3 to b in some seeded order; c gets none until they catch up.
    expect(order.slice(0, 6).filter((k) => k === 'c')).toHaveLength(0);
    expect(after).toEqual({ a: 10, b: 10, c: 10 });
  });

  it('refills deterministically when only one arm is below its share, whatever the draw', () => {
    for (const draw of [0, 0.25, 0.5, 0.999999]) expect(chooseArm(abc, { a: 4, b: 2, c: 4 }, draw)).toBe('b');
    for (const draw of [0, 0.5, 0.999999]) expect(chooseArm(xy21, { x: 1, y: 3 }, draw)).toBe('x');
  });

  it('ties between arms with open slots are broken by the draw, in proportion to the slots', () => {
    // 2:1 at the start of a block: x has 2 slots, y has 1 → draws below 2/3 pick x.
    expect(openSlots(xy21, { x: 4, y: 2 })).toEqual({ x: 2, y: 1 });
    expect(chooseArm(xy21, { x: 4, y: 2 }, 0.66)).toBe('x');
    expect(chooseArm(xy21, { x: 4, y: 2 }, 0.67)).toBe('y');
  });

  it('a simulation with random dropouts keeps the live counts balanced', () => {
    const live: Record<string, number> = { a: 0, b: 0, c: 0 };
    for (let s = 1; s <= 3000; s++) {
      const d = decideAssignment({ arms: abc, seed: 'dropouts', sequence: s, counts: live });
      live[d.armKey]! += 1;
      // About 30% abandon, more often in arm c (as if c were harder).
      const p = d.armKey === 'c' ? 0.45 : 0.2;
      if (uniformFromHash(['dropout', s]) < p) live[d.armKey]! -= 1;
      const values = Object.values(live);
      // A dropout can open a gap of at most one on top of the block tolerance, and it is refilled next.
      expect(Math.max(...values) - Math.min(...values)).toBeLessThanOrEqual(2);
    }
  });

  it('ignores counts of arms that are not in the current arm set, and a new arm catches up', () => {
    const counts = { a: 5, b: 5, retired: 40 };
    const arms = [...abc.slice(0, 2), { key: 'new', weight: 1 }];
    expect(openSlots(arms, counts)).toEqual({ a: 0, b: 0, new: 1 });
    const d = decideAssignment({ arms, seed: 'x', sequence: 11, counts });
    expect(d.armKey).toBe('new');
    expect(d.countsSeen).toEqual({ a: 5, b: 5, new: 0 });
  });
});

describe('reproducibility and audit', () => {
  it('the same (seed, sequence, counts) always gives the same decision, and replay confirms it', () => {
    const input = { arms: abc, seed: 'audit', sequence: 42, counts: { a: 14, b: 13, c: 14 } };
    const first = decideAssignment(input);
    expect(decideAssignment(input)).toEqual(first);
    expect(first.armKey).toBe('b');
    const replay = replayAssignment({ ...first, arms: abc, seed: 'audit', sequence: 42 });
    expect(replay).toEqual({ matches: true, armKey: 'b', draw: first.draw });
    expect(replayAssignment({ ...first, armKey: 'a', arms: abc, seed: 'audit', sequence: 42 }).matches).toBe(false);
    expect(replayAssignment({ ...first, algorithmVersion: 'other', arms: abc, seed: 'audit', sequence: 42 }).matches).toBe(
      false,
    );
  });

  it('preview decisions are weighted random, ignore counts and do not depend on a sequence', () => {
    const tally: Record<string, number> = { x: 0, y: 0 };
    for (let i = 0; i < 3000; i++) {
      const d = decidePreviewAssignment({ arms: xy21, seed: 'pv', participantId: `p-${i}` });
      expect(d.countsSeen).toEqual({});
      tally[d.armKey]! += 1;
    }
    expect(tally.x! / 3000).toBeGreaterThan(0.62);
    expect(tally.x! / 3000).toBeLessThan(0.71);
  });
});

describe('input validation', () => {
  it('rejects empty, duplicate or badly weighted arms and bad counts or draws', () => {
    expect(() => openSlots([], {})).toThrow(RandomizationInputError);
    expect(() => openSlots([abc[0]!, abc[0]!], {})).toThrow(/appears twice/);
    expect(() => openSlots([{ key: 'a', weight: 0 }], {})).toThrow(/positive whole-number weight/);
    expect(() => openSlots([{ key: 'a', weight: 1.5 }], {})).toThrow(/positive whole-number weight/);
    expect(() => openSlots(abc, { a: -1 })).toThrow(/non-negative/);
    expect(() => chooseArm(abc, {}, 1)).toThrow(/\[0, 1\)/);
    expect(() => assignmentDraw('s', 0)).toThrow(/start at 1/);
  });
});

/** Stratified entries one after another (all stay live); counts are kept per stratum value. */
function runStratified(arms: ArmWeight[], seed: string, factor: string, strata: string[]) {
  const counts = new Map<string, Record<string, number>>();
  const order: string[] = [];
  strata.forEach((value, i) => {
    let within = counts.get(value);
    if (!within) counts.set(value, (within = Object.fromEntries(arms.map((a) => [a.key, 0]))));
    const d = decideStratifiedAssignment({ arms, seed, sequence: i + 1, stratum: { factor, value }, counts: within });
    within[d.armKey]! += 1;
    order.push(d.armKey);
  });
  return { order, counts };
}

// The same pattern as STRATA_PATTERN in reference.py.
const STRATA_PATTERN = 'EEPEPPEEEPEPPPEEPEEPPEEP';

describe('stratified assignment (blocked-urn-live-strata/v1)', () => {
  it('has its own stable version string and leaves the unstratified one alone', () => {
    expect(STRATIFIED_ALGORITHM_VERSION).toBe('blocked-urn-live-strata/v1');
    expect(ALGORITHM_VERSION).toBe('blocked-urn-live/v1');
  });

  it('reproduces the golden draws and arm sequences of reference.py', () => {
    const essay: Stratum = { factor: 'document_type', value: 'essay' };
    expect([1, 2].map((s) => stratifiedDraw('seed-a', s, essay))).toEqual([0.2167469109971768, 0.5969076806644606]);
    expect(stratifiedDraw('seed-a', 1, { factor: 'topic_question:level', value: 'ça|va' })).toBe(0.9704575417032846);
    const docTypes = [...STRATA_PATTERN].map((c) => (c === 'E' ? 'essay' : 'poem'));
    expect(runStratified(abc, 'seed-s', 'document_type', docTypes).order.join('')).toBe('cbcaabbcabacabbcaabcccab');
    const levels = [...STRATA_PATTERN].map((c) => (c === 'E' ? 'novice' : 'expert'));
    expect(runStratified(xy21, 'seed-t', 'topic_question:level', levels).order.join('')).toBe('yxxxxyxxyyyxxxxxyxyxxxxx');
  });

  it('keeps permuted blocks within every stratum, however the strata interleave', () => {
    const strata = Array.from({ length: 3000 }, (_, i) => ['s1', 's2', 's3'][Math.floor(uniformFromHash(['pattern', i]) * 3)]!);
    const seen = new Map<string, Record<string, number>>();
    const { order } = runStratified(xy21, 'blocks', 'document_type', strata);
    order.forEach((arm, i) => {
      const within = seen.get(strata[i]!) ?? { x: 0, y: 0 };
      within[arm]! += 1;
      seen.set(strata[i]!, within);
      const n = within.x! + within.y!;
      const k = Math.floor(n / 3);
      expect(within.x).toBeGreaterThanOrEqual(2 * k);
      expect(within.x).toBeLessThanOrEqual(2 * (k + 1));
      expect(within.y).toBeGreaterThanOrEqual(k);
      expect(within.y).toBeLessThanOrEqual(k + 1);
      if (n % 3 === 0) expect(within).toEqual({ x: 2 * k, y: k });
    });
  });

  it('refills a stratum that lost participants from its own counts only', () => {
    const d = decideStratifiedAssignment({
      arms: abc,
      seed: 'refill',
      sequence: 7,
      stratum: { factor: 'document_type', value: 'poem' },
      counts: { a: 3, b: 2, c: 3 },
    });
    expect(d.armKey).toBe('b');
    expect(d.countsSeen).toEqual({ a: 3, b: 2, c: 3 });
    expect(d.algorithmVersion).toBe(STRATIFIED_ALGORITHM_VERSION);
  });

  it('replays from the stored row, and an altered stratum, draw or version does not replay', () => {
    const stratum = { factor: 'topic_question:level', value: 'novice' };
    const d = decideStratifiedAssignment({ arms: abc, seed: 'audit', sequence: 12, stratum, counts: { a: 2, b: 2, c: 1 } });
    const row = { ...d, arms: abc, seed: 'audit', sequence: 12, stratumFactor: stratum.factor, stratum: stratum.value };
    expect(replayAssignment(row)).toEqual({ matches: true, armKey: d.armKey, draw: d.draw });
    expect(replayAssignment({ ...row, stratum: 'expert' }).matches).toBe(false);
    expect(replayAssignment({ ...row, stratumFactor: null }).matches).toBe(false);
    expect(replayAssignment({ ...row, algorithmVersion: ALGORITHM_VERSION }).matches).toBe(false);
    expect(() => stratifiedDraw('s', 0, stratum)).toThrow(/start at 1/);
  });
});
