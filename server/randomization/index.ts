/**
 * Balanced, dropout-aware, seeded arm assignment. Pure: no database, no clock, no network.
 *
 * ## Algorithm (ALGORITHM_VERSION below; bump it whenever any step changes)
 *
 * Inputs: the current arms in configured order with integer weights w_a (W = Σ w_a), the study's
 * seed, the assignment's sequence number s (1, 2, 3… per study), and the *live* count c_a of each
 * current arm. "Live" is decided by the caller (server/participants/assignment.ts): completed
 * participants plus those still in progress and seen within the inactivity timeout; abandoned,
 * excluded and preview participants, and participants of arms no longer in the arm set, are not
 * counted. Counts for keys that are not current arms are ignored here too.
 *
 * 1. Block level.  k = min_a ⌊c_a / w_a⌋ — the number of complete blocks every arm has filled.
 * 2. Open slots.   r_a = max(0, (k + 1)·w_a − c_a) — what each arm still needs to fill block k+1.
 *                  At least one arm (the one attaining the minimum) has r_a > 0.
 * 3. Draw.         u = uniformFromHash([ALGORITHM_VERSION, seed, s]) ∈ [0, 1) (see draw.ts).
 * 4. Choice.       R = Σ r_a, t = ⌊u·R⌋; walk the arms in configured order and take the first arm
 *                  whose cumulative open slots exceed t (probability r_a / R).
 *
 * Without dropouts this is exactly permuted-block randomization with block size W: drawing
 * without replacement from an urn holding w_a balls per arm, with probability proportional to the
 * balls left, yields a uniformly random permutation of the block. So after every n assignments
 * each arm holds between k·w_a and (k+1)·w_a participants, k = ⌊n / W⌋, and after each full block
 * the counts are exactly proportional to the weights. With equal weights no two arms ever differ
 * by more than one.
 *
 * With dropouts, an abandoned participant leaves the live count; the arm's c_a falls, k may fall,
 * and that arm gets open slots back while arms at or above their share have none: under-filled
 * arms are refilled first (deterministically when only they have open slots), and the seeded draw
 * breaks ties between arms with open slots. The same rule makes a newly added arm catch up with
 * the live counts of the others before it is randomized again.
 *
 * Reproducibility: the draw depends only on (version, seed, sequence); the arm depends only on
 * the draw, the arms with weights (frozen in the study version) and the counts seen (stored with
 * the assignment). `replayAssignment` recomputes both from a stored record.
 */
import { uniformFromHash } from './draw';

export { uniformFromHash } from './draw';

export const ALGORITHM_VERSION = 'blocked-urn-live/v1';

export interface ArmWeight {
  key: string;
  /** Positive integer: the arm's number of slots in each block. */
  weight: number;
}

export type ArmCounts = Readonly<Record<string, number>>;

export class RandomizationInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RandomizationInputError';
  }
}

export function validateArms(arms: readonly ArmWeight[]): void {
  if (arms.length === 0) throw new RandomizationInputError('At least one arm is needed to assign participants.');
  const seen = new Set<string>();
  for (const arm of arms) {
    if (!arm.key) throw new RandomizationInputError('Every arm needs a key.');
    if (seen.has(arm.key)) throw new RandomizationInputError(`Arm key "${arm.key}" appears twice.`);
    seen.add(arm.key);
    if (!Number.isSafeInteger(arm.weight) || arm.weight < 1)
      throw new RandomizationInputError(`Arm "${arm.key}" needs a positive whole-number weight (got ${arm.weight}).`);
  }
}

/** Live counts restricted to the current arms, with zeros filled in, in arm order. */
export function countsForArms(arms: readonly ArmWeight[], counts: ArmCounts): Record<string, number> {
  const out: Record<string, number> = {};
  for (const arm of arms) {
    const c = counts[arm.key] ?? 0;
    if (!Number.isSafeInteger(c) || c < 0)
      throw new RandomizationInputError(`The count for arm "${arm.key}" must be a non-negative whole number (got ${c}).`);
    out[arm.key] = c;
  }
  return out;
}

/** Steps 1–2: open slots per arm in the block the live counts are currently filling. */
export function openSlots(arms: readonly ArmWeight[], counts: ArmCounts): Record<string, number> {
  validateArms(arms);
  const c = countsForArms(arms, counts);
  const level = Math.min(...arms.map((a) => Math.floor(c[a.key]! / a.weight)));
  const slots: Record<string, number> = {};
  for (const arm of arms) slots[arm.key] = Math.max(0, (level + 1) * arm.weight - c[arm.key]!);
  return slots;
}

/** Step 4: the arm a draw selects given the open slots. */
export function chooseArm(arms: readonly ArmWeight[], counts: ArmCounts, draw: number): string {
  if (!(draw >= 0 && draw < 1)) throw new RandomizationInputError(`A draw must lie in [0, 1) (got ${draw}).`);
  const slots = openSlots(arms, counts);
  const total = arms.reduce((sum, a) => sum + slots[a.key]!, 0);
  // Integer target: the choice never depends on floating-point rounding of cumulative fractions.
  const target = Math.floor(draw * total);
  let cumulative = 0;
  for (const arm of arms) {
    cumulative += slots[arm.key]!;
    if (target < cumulative) return arm.key;
  }
  // Unreachable: target < total and the cumulative sum reaches total.
  throw new Error('chooseArm: no arm selected');
}

/** Step 3: the recorded draw for the assignment with this sequence number. */
export function assignmentDraw(seed: string, sequence: number): number {
  if (!Number.isSafeInteger(sequence) || sequence < 1)
    throw new RandomizationInputError(`Sequence numbers start at 1 (got ${sequence}).`);
  return uniformFromHash([ALGORITHM_VERSION, seed, sequence]);
}

/**
 * Preview sessions must not consume sequence numbers or shift the draws of real participants,
 * so they draw from their own stream keyed by the participant id and ignore counts (weighted random).
 */
export function previewDraw(seed: string, participantId: string): number {
  return uniformFromHash([ALGORITHM_VERSION, seed, 'preview', participantId]);
}

export interface AssignmentDecision {
  armKey: string;
  draw: number;
  /** The live counts of the current arms the decision was based on (store for audit). */
  countsSeen: Record<string, number>;
  algorithmVersion: string;
}

export function decideAssignment(input: {
  arms: readonly ArmWeight[];
  seed: string;
  sequence: number;
  counts: ArmCounts;
}): AssignmentDecision {
  validateArms(input.arms);
  const countsSeen = countsForArms(input.arms, input.counts);
  const draw = assignmentDraw(input.seed, input.sequence);
  return { armKey: chooseArm(input.arms, countsSeen, draw), draw, countsSeen, algorithmVersion: ALGORITHM_VERSION };
}

export function decidePreviewAssignment(input: {
  arms: readonly ArmWeight[];
  seed: string;
  participantId: string;
}): AssignmentDecision {
  validateArms(input.arms);
  const draw = previewDraw(input.seed, input.participantId);
  return { armKey: chooseArm(input.arms, {}, draw), draw, countsSeen: {}, algorithmVersion: ALGORITHM_VERSION };
}

/**
 * ## Stratified variant (STRATIFIED_ALGORITHM_VERSION)
 *
 * The same rule run separately inside each stratum: the caller passes the live counts of the
 * participants *in the entering participant's stratum* only, so steps 1, 2 and 4 give permuted blocks
 * per stratum (the guarantee above holds within every stratum, dropouts refilled within it). Step 3
 * draws u = uniformFromHash([STRATIFIED_ALGORITHM_VERSION, seed, s, factor, value]), where s is still
 * the per-study sequence (so draws stay distinct across strata) and the stratum is part of the hash, so
 * a stored stratum that was altered later no longer replays.
 */
export const STRATIFIED_ALGORITHM_VERSION = 'blocked-urn-live-strata/v1';

/** What a stratum is: the factor ("document_type", "topic_question:<id>") and the participant's value of it. */
export interface Stratum {
  factor: string;
  value: string;
}

export function stratifiedDraw(seed: string, sequence: number, stratum: Stratum): number {
  if (!Number.isSafeInteger(sequence) || sequence < 1)
    throw new RandomizationInputError(`Sequence numbers start at 1 (got ${sequence}).`);
  if (!stratum.factor) throw new RandomizationInputError('A stratum needs a factor.');
  return uniformFromHash([STRATIFIED_ALGORITHM_VERSION, seed, sequence, stratum.factor, stratum.value]);
}

export function decideStratifiedAssignment(input: {
  arms: readonly ArmWeight[];
  seed: string;
  sequence: number;
  stratum: Stratum;
  /** Live counts of the current arms among participants of this stratum only. */
  counts: ArmCounts;
}): AssignmentDecision {
  validateArms(input.arms);
  const countsSeen = countsForArms(input.arms, input.counts);
  const draw = stratifiedDraw(input.seed, input.sequence, input.stratum);
  return {
    armKey: chooseArm(input.arms, countsSeen, draw),
    draw,
    countsSeen,
    algorithmVersion: STRATIFIED_ALGORITHM_VERSION,
  };
}

/**
 * Recomputes a stored assignment. `matches` is false when the record was not produced by this
 * algorithm version from these inputs (tampering, a bug, or arms that differ from the version's).
 * Stratified records need their stored stratum (`stratumFactor`, `stratum`); unstratified ones ignore it.
 */
export function replayAssignment(record: {
  arms: readonly ArmWeight[];
  seed: string;
  sequence: number;
  countsSeen: ArmCounts;
  draw: number;
  armKey: string;
  algorithmVersion: string;
  stratumFactor?: string | null;
  stratum?: string | null;
}): { matches: boolean; armKey: string; draw: number } {
  let draw: number;
  if (record.algorithmVersion === ALGORITHM_VERSION) draw = assignmentDraw(record.seed, record.sequence);
  else if (record.algorithmVersion === STRATIFIED_ALGORITHM_VERSION && record.stratumFactor && record.stratum !== null && record.stratum !== undefined)
    draw = stratifiedDraw(record.seed, record.sequence, { factor: record.stratumFactor, value: record.stratum });
  else return { matches: false, armKey: '', draw: Number.NaN };
  const armKey = chooseArm(record.arms, record.countsSeen, draw);
  return { matches: draw === record.draw && armKey === record.armKey, armKey, draw };
}
