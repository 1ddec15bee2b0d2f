/**
 * Paired-sample statistics: the paired t-test with its confidence interval, the Wilcoxon signed-rank test,
 * and a seeded cluster bootstrap. The tests equal SciPy 1.10's `ttest_rel(a, b)` and `wilcoxon(a, b)` with
 * default arguments (goldens in `__fixtures__/paired-golden.json`, from `scripts/golden/paired_golden.py`).
 * Everything is oriented as a − b; undefined statistics are null, never NaN.
 */
import { normalSf, tCritical, tTwoSidedP } from './distributions';
import { quantileLinear } from './describe';
import { assertSample, averageRanks, mean, variance, type Maybe } from './shared';

function assertPaired(a: readonly number[], b: readonly number[]): void {
  assertSample(a, 'a');
  assertSample(b, 'b');
  if (a.length !== b.length) throw new RangeError(`paired samples must have the same length (got ${a.length} and ${b.length})`);
}

function differences(a: readonly number[], b: readonly number[]): number[] {
  return a.map((x, i) => x - b[i]!);
}

export interface PairedTTestResult {
  /** Number of pairs. */
  n: number;
  /** Mean of a − b. */
  meanDifference: Maybe;
  /** Standard error of the mean difference, sd(d) / √n. */
  se: Maybe;
  df: Maybe;
  /** t = mean(d) / se; ±Infinity when every difference is the same non-zero value (SciPy's answer). */
  t: Maybe;
  /** Two-sided p-value. */
  p: Maybe;
  /** t-based 95% CI of the mean difference, mean ± t(0.975, n − 1) · se. */
  ciLower: Maybe;
  ciUpper: Maybe;
}

/**
 * Paired t-test = `scipy.stats.ttest_rel(a, b)` (SciPy 1.10) plus `.confidence_interval(0.95)`:
 * no pairs → all null; one pair → only the mean difference; all differences 0 → t = p = null (0/0 in SciPy).
 */
export function pairedTTest(a: readonly number[], b: readonly number[]): PairedTTestResult {
  assertPaired(a, b);
  const n = a.length;
  const none = { se: null, df: null, t: null, p: null, ciLower: null, ciUpper: null };
  if (n === 0) return { n, meanDifference: null, ...none };
  const d = differences(a, b);
  const dm = mean(d);
  if (n === 1) return { n, meanDifference: dm, ...none };
  const df = n - 1;
  const se = Math.sqrt(variance(d, 1) / n);
  const half = tCritical(0.975, df) * se;
  const t = dm / se;
  if (Number.isNaN(t)) return { n, meanDifference: dm, se, df, t: null, p: null, ciLower: dm - half, ciUpper: dm + half };
  return { n, meanDifference: dm, se, df, t, p: tTwoSidedP(t, df), ciLower: dm - half, ciUpper: dm + half };
}

export interface WilcoxonResult {
  /** min(R+, R−) over the differences that were ranked (SciPy's two-sided statistic). */
  statistic: Maybe;
  p: Maybe;
  /** Which p-value SciPy's method='auto' computes: the exact null distribution or the normal approximation. */
  method: 'exact' | 'approx' | null;
  /** Pairs with a difference of exactly 0 (dropped by zero_method='wilcox' in the approximation). */
  zeros: number;
  /** Differences that were ranked. */
  ranked: number;
}

/**
 * Exact null distribution of R+ for n untied ranks: probabilities of 0 … n(n+1)/2, built like SciPy's
 * `_get_wilcoxon_distr` (each rank k halves and shifts the previous distribution). Every value is a count
 * over 2^n and n ≤ 50 here, so the doubles are exact.
 */
function wilcoxonNullDistribution(n: number): number[] {
  let c = [1];
  for (let k = 1; k <= n; k++) {
    const next = new Array<number>((k * (k + 1)) / 2 + 1).fill(0);
    const m = c.length;
    for (let i = 0; i < m; i++) next[i] = c[i]! * 0.5;
    for (let i = 0; i < m; i++) next[next.length - m + i] = next[next.length - m + i]! + c[i]! * 0.5;
    c = next;
  }
  return c;
}

/**
 * Wilcoxon signed-rank test of a − b = `scipy.stats.wilcoxon(a, b)` with SciPy 1.10's defaults
 * (zero_method='wilcox', correction=False, alternative='two-sided', method='auto'). SciPy's branches,
 * reproduced exactly:
 * - 'auto' is exact for n ≤ 50 pairs and the normal approximation above;
 * - any zero difference switches exact to the approximation (zeros are then dropped before ranking);
 * - ties do NOT switch: the exact branch then looks up R+ truncated to an integer (SciPy's `int(r_plus)`);
 * - the approximation uses the tie-corrected variance and no continuity correction;
 * - all differences zero (SciPy raises) or no pairs (SciPy returns NaN) → nulls.
 */
export function wilcoxonSignedRank(a: readonly number[], b: readonly number[]): WilcoxonResult {
  assertPaired(a, b);
  const all = differences(a, b);
  const zeros = all.filter((x) => x === 0).length;
  if (all.length === 0 || zeros === all.length) return { statistic: null, p: null, method: null, zeros, ranked: 0 };
  let method: 'exact' | 'approx' = all.length <= 50 ? 'exact' : 'approx';
  if (zeros > 0) method = 'approx';
  const d = method === 'approx' ? all.filter((x) => x !== 0) : all;
  const count = d.length;
  const { ranks, tieTerm } = averageRanks(d.map(Math.abs));
  let rPlus = 0;
  let rMinus = 0;
  d.forEach((x, i) => {
    if (x > 0) rPlus += ranks[i]!;
    else if (x < 0) rMinus += ranks[i]!;
  });
  const statistic = Math.min(rPlus, rMinus);
  let p: number;
  if (method === 'approx') {
    const mn = count * (count + 1) * 0.25;
    // Σ t(t² − 1) over tie groups is the same as averageRanks' Σ(t³ − t).
    const se = Math.sqrt((count * (count + 1) * (2 * count + 1) - 0.5 * tieTerm) / 24);
    const z = (statistic - mn) / se;
    p = 2 * normalSf(Math.abs(z));
  } else {
    const pmf = wilcoxonNullDistribution(count);
    const r = Math.trunc(rPlus);
    if (r === Math.floor((pmf.length - 1) / 2)) p = 1;
    else {
      let less = 0;
      for (let i = 0; i <= r; i++) less += pmf[i]!;
      let greater = 0;
      for (let i = r; i < pmf.length; i++) greater += pmf[i]!;
      p = 2 * Math.min(less, greater);
    }
  }
  return { statistic, p: Math.min(1, Math.max(0, p)), method, zeros, ranked: count };
}

/**
 * mulberry32: a 32-bit generator written out here (not a library) because the bootstrap must draw the same
 * numbers on every platform and Node version and in the Python reference (`paired_golden.py`), which
 * re-implements these few lines; Math.random cannot be seeded.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

export interface PairedObservation {
  /** The resampling unit (the task): pairs of one cluster are drawn together. */
  cluster: string;
  /** The reference arm's value and the other arm's value of one pair. */
  reference: number;
  other: number;
}

export interface BootstrapInterval {
  estimate: Maybe;
  lower: Maybe;
  upper: Maybe;
  /** Resamples whose statistic was undefined (e.g. a reference mean of 0 for a ratio) and were left out. */
  undefinedResamples: number;
}

export interface ClusterBootstrapResult {
  clusters: number;
  resamples: number;
  seed: number;
  /** Mean of other − reference over pairs. */
  meanDifference: BootstrapInterval;
  /** (mean(other) − mean(reference)) / |mean(reference)|, oriented as a raw change (callers flip it for lower-is-better). */
  relativeChange: BootstrapInterval;
}

const BOOTSTRAP_ALPHA = 0.05;

/**
 * Percentile cluster bootstrap (95%): each resample draws as many clusters as there are, with replacement
 * (index ⌊u · K / 2³²⌋ from mulberry32), pools their pairs and computes both statistics on the pool.
 * Percentiles use NumPy's linear interpolation. Clusters are taken in sorted order so the result does not
 * depend on the input order. Fewer than 2 clusters → no interval.
 */
export function clusterBootstrap(observations: readonly PairedObservation[], opts: { seed: number; resamples?: number }): ClusterBootstrapResult {
  const resamples = opts.resamples ?? 2000;
  const seed = opts.seed >>> 0;
  const byCluster = new Map<string, { sumRef: number; sumOther: number; n: number }>();
  for (const o of observations) {
    if (!Number.isFinite(o.reference) || !Number.isFinite(o.other)) throw new TypeError('bootstrap values must be finite numbers');
    const c = byCluster.get(o.cluster) ?? { sumRef: 0, sumOther: 0, n: 0 };
    c.sumRef += o.reference;
    c.sumOther += o.other;
    c.n += 1;
    byCluster.set(o.cluster, c);
  }
  const clusters = [...byCluster.keys()].sort().map((k) => byCluster.get(k)!);
  const K = clusters.length;
  const point = (sumRef: number, sumOther: number, n: number) => {
    const mr = sumRef / n;
    const mo = sumOther / n;
    return { diff: mo - mr, rel: mr === 0 ? null : (mo - mr) / Math.abs(mr) };
  };
  const totals = clusters.reduce((acc, c) => ({ r: acc.r + c.sumRef, o: acc.o + c.sumOther, n: acc.n + c.n }), { r: 0, o: 0, n: 0 });
  const estimate = totals.n > 0 ? point(totals.r, totals.o, totals.n) : null;
  const empty = (est: Maybe): BootstrapInterval => ({ estimate: est, lower: null, upper: null, undefinedResamples: 0 });
  if (K < 2 || !estimate) {
    return { clusters: K, resamples: 0, seed, meanDifference: empty(estimate?.diff ?? null), relativeChange: empty(estimate?.rel ?? null) };
  }
  const next = mulberry32(seed);
  const diffs: number[] = [];
  const rels: number[] = [];
  for (let b = 0; b < resamples; b++) {
    let r = 0;
    let o = 0;
    let n = 0;
    for (let k = 0; k < K; k++) {
      const c = clusters[Math.floor((next() * K) / 4294967296)]!;
      r += c.sumRef;
      o += c.sumOther;
      n += c.n;
    }
    const s = point(r, o, n);
    diffs.push(s.diff);
    if (s.rel !== null) rels.push(s.rel);
  }
  const interval = (values: number[], est: Maybe): BootstrapInterval => {
    const undefinedResamples = resamples - values.length;
    // An interval is only reported when (almost) every resample defines the statistic.
    if (values.length === 0 || undefinedResamples > resamples * BOOTSTRAP_ALPHA) return { estimate: est, lower: null, upper: null, undefinedResamples };
    const sorted = [...values].sort((x, y) => x - y);
    return {
      estimate: est,
      lower: quantileLinear(sorted, BOOTSTRAP_ALPHA / 2),
      upper: quantileLinear(sorted, 1 - BOOTSTRAP_ALPHA / 2),
      undefinedResamples,
    };
  };
  return { clusters: K, resamples, seed, meanDifference: interval(diffs, estimate.diff), relativeChange: interval(rels, estimate.rel) };
}
