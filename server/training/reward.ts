/**
 * Multiturn-aware reward (MR) arithmetic (pure: no database, no network, no clock).
 *
 * One forward conversation's reward is the paper's R* ≈ R_ext + R_int (collabllm-paper.md §1.1, Eq. 2–4):
 *   reward = Σ_i weight_i · component_i  −  min(λ · tokens, 1)
 * where the components are the task metric (e.g. BLEU of the extracted document against the target) and judge
 * scores (e.g. interactivity, 0–1), and `tokens` are the tokens the user reads and writes in the conversation.
 * A candidate's MR is the mean over its S forward samples; the spread (population std, numpy's default, as
 * the paper's code uses np.mean/np.std) is kept because ties between candidates are broken by it.
 */

/** Component names a reward can weigh; values come from server/benchmarks judges and metrics. */
export const REWARD_COMPONENTS = ['bleu_char', 'bleu_word', 'interactivity', 'quality_01'] as const;
export type RewardComponent = (typeof REWARD_COMPONENTS)[number];

export interface RewardFormula {
  /** Weight per component; a component with weight 0 (or absent) does not count and need not be present. */
  weights: Partial<Record<RewardComponent, number>>;
  /** Token penalty per token (the paper: 1e-4 for documents, 5e-4 for code and math). */
  lambda: number;
}

export interface RewardInput {
  components: Partial<Record<RewardComponent, number>>;
  /** Tokens the user reads (assistant messages) and writes (user messages) in the whole conversation. */
  tokens: number;
}

export interface RewardBreakdown {
  reward: number;
  /** weight × value per counted component. */
  terms: Partial<Record<RewardComponent, number>>;
  /** −min(λ·tokens, 1); never below −1. */
  tokenPenalty: number;
}

export function tokenPenalty(lambda: number, tokens: number): number {
  if (!(lambda >= 0) || !(tokens >= 0)) throw new RangeError('λ and the token count must be non-negative numbers');
  return -Math.min(lambda * tokens, 1);
}

export function conversationReward(formula: RewardFormula, input: RewardInput): RewardBreakdown {
  const terms: Partial<Record<RewardComponent, number>> = {};
  let reward = 0;
  for (const name of REWARD_COMPONENTS) {
    const weight = formula.weights[name] ?? 0;
    if (weight === 0) continue;
    const value = input.components[name];
    if (value === undefined || !Number.isFinite(value)) throw new RangeError(`The reward needs the "${name}" score (weight ${weight}) and it is missing.`);
    terms[name] = weight * value;
    reward += weight * value;
  }
  const penalty = tokenPenalty(formula.lambda, input.tokens);
  return { reward: reward + penalty, terms, tokenPenalty: penalty };
}

export interface SampleSummary {
  mean: number;
  /** Population standard deviation (ddof = 0). */
  std: number;
  n: number;
}

/** Mean and population std of the forward samples' rewards. Sums in index order (reproducible). */
export function summarizeRewards(rewards: readonly number[]): SampleSummary {
  if (rewards.length === 0) throw new RangeError('No samples to summarize.');
  const mean = rewards.reduce((a, b) => a + b, 0) / rewards.length;
  const variance = rewards.reduce((a, r) => a + (r - mean) ** 2, 0) / rewards.length;
  return { mean, std: Math.sqrt(variance), n: rewards.length };
}

/** Mean of each numeric field across samples (fields missing in some samples average over those that have them). */
export function meanComponents(samples: readonly Record<string, number | undefined>[]): Record<string, number> {
  const sums = new Map<string, { sum: number; n: number }>();
  for (const s of samples)
    for (const [k, v] of Object.entries(s)) {
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      const e = sums.get(k) ?? { sum: 0, n: 0 };
      e.sum += v;
      e.n++;
      sums.set(k, e);
    }
  return Object.fromEntries([...sums].map(([k, { sum, n }]) => [k, sum / n]));
}

export interface ScoredCandidate {
  idx: number;
  mean: number;
  std: number;
}

/**
 * Chosen = highest mean MR, rejected = lowest. Ties are resolved as the paper's code does: among equal means
 * the lower reward spread wins (is chosen), the higher spread loses; then the lower index, for determinism.
 * A pair exists when there are two candidates and the chosen mean exceeds the rejected by at least `minGap`.
 */
export function pickPreference(
  candidates: readonly ScoredCandidate[],
  minGap: number,
): { chosen: ScoredCandidate; rejected: ScoredCandidate | null; gap: number } {
  if (candidates.length === 0) throw new RangeError('No candidates to choose from.');
  const ranked = [...candidates].sort((a, b) => b.mean - a.mean || a.std - b.std || a.idx - b.idx);
  const chosen = ranked[0]!;
  const rejected = ranked.length > 1 ? ranked[ranked.length - 1]! : null;
  const gap = rejected ? chosen.mean - rejected.mean : 0;
  // A tiny epsilon so a gap of exactly minGap computed in floating point (0.32 − 0.30) still counts.
  return { chosen, rejected: rejected && gap >= minGap - 1e-12 ? rejected : null, gap };
}
