/**
 * Sample-size planner service: reads the chosen source (typed effects, a simulated pilot, the study's own
 * data) and the dropout rate, and hands them to the pure plan (`plan.ts`).
 */
import { eq } from 'drizzle-orm';
import { schema } from '../../db';
import { requireRole } from '../auth/roles';
import { loadStudyOverview } from '../insights/study-access';
import { badRequest, notFound } from '../services/errors';
import type { ServiceContext } from '../services/context';
import type { StudyConfig } from '../studies/config';
import { listPilots, loadPilotOutcomes, loadStudyDropout, loadStudyOutcomes, type PilotSummary, type StudyDropout } from './data';
import { planInput, type PlanInput } from './input';
import { buildPlan, effectsFromObserved, effectsFromTyped, type PlanResult } from './plan';

export { planInput, type PlanInput } from './input';

/** Values drawn by all Mann–Whitney simulations of one request (≈ a few seconds of CPU at most). */
export const SIMULATION_BUDGET = 12_000_000;


async function studyConfig(ctx: ServiceContext, studyId: string): Promise<StudyConfig> {
  const [study] = await ctx.db.select().from(schema.studies).where(eq(schema.studies.id, studyId));
  if (!study) throw notFound('The study');
  if (!study.currentVersionId) return study.draftConfig;
  const [version] = await ctx.db.select({ config: schema.studyVersions.config }).from(schema.studyVersions).where(eq(schema.studyVersions.id, study.currentVersionId));
  return version?.config ?? study.draftConfig;
}

export interface PlanningOptions {
  arms: { key: string; label: string }[];
  pilots: PilotSummary[];
  dropout: StudyDropout;
  inactiveAfterMinutes: number;
}

export async function planningOptions(ctx: ServiceContext, studyId: string): Promise<PlanningOptions> {
  requireRole(ctx.actor, 'viewer');
  const overview = await loadStudyOverview(ctx.db, studyId);
  const config = await studyConfig(ctx, studyId);
  const [pilots, dropout] = await Promise.all([listPilots(ctx.db, studyId), loadStudyDropout(ctx.db, studyId, config.inactiveAfterMinutes)]);
  return { arms: overview.arms, pilots, dropout, inactiveAfterMinutes: config.inactiveAfterMinutes };
}

export interface SampleSizePlan extends PlanResult {
  arms: { key: string; label: string }[];
  referenceArm: string;
  source: { kind: 'typed' | 'pilot' | 'study'; participantsPerArm: Record<string, number> | null; metricsPending: number };
  dropout: { rate: number; fromStudy: StudyDropout | null };
  settings: { alpha: number; power: number; test: 'welch' | 'mann-whitney'; adjustment: 'none' | 'bonferroni' | 'holm'; simulations: number; seed: number; nMax: number };
}

export async function planSampleSize(ctx: ServiceContext, raw: PlanInput): Promise<SampleSizePlan> {
  requireRole(ctx.actor, 'viewer');
  const input = planInput.parse(raw);
  const overview = await loadStudyOverview(ctx.db, input.studyId);
  const config = await studyConfig(ctx, input.studyId);
  const arms = overview.arms;
  if (arms.length < 2) throw badRequest('The study needs at least two arms to compare.');
  if (input.referenceArm !== undefined && !arms.some((a) => a.key === input.referenceArm)) throw badRequest('The reference arm is not one of the study’s arms.');
  const referenceArm = input.referenceArm ?? arms[0]!.key;
  if (input.power <= input.alpha) throw badRequest('The target power must be larger than α.');

  let fromStudy: StudyDropout | null = null;
  let dropoutRate: number;
  if (input.dropout.kind === 'study') {
    fromStudy = await loadStudyDropout(ctx.db, input.studyId, config.inactiveAfterMinutes);
    if (fromStudy.rate === null) throw badRequest('The study has no finished participants yet, so it has no dropout rate: type one instead.');
    if (fromStudy.rate > 0.9) throw badRequest(`The study's dropout so far (${Math.round(fromStudy.rate * 100)}%) is above 90%; type a rate instead.`);
    dropoutRate = fromStudy.rate;
  } else {
    dropoutRate = input.dropout.rate;
  }

  const planArms = { arms, referenceArm };
  let effects;
  let source: SampleSizePlan['source'];
  if (input.source.kind === 'typed') {
    effects = effectsFromTyped(input.source.outcomes, planArms);
    source = { kind: 'typed', participantsPerArm: null, metricsPending: 0 };
  } else {
    const data =
      input.source.kind === 'pilot'
        ? await loadPilotOutcomes(ctx.db, input.studyId, input.source.pilotId)
        : await loadStudyOutcomes(ctx.db, input.studyId, config.attentionChecks?.length ?? 0);
    if (!Object.keys(data.participantsPerArm).length) {
      throw badRequest(input.source.kind === 'pilot' ? 'This pilot has no participants with an arm yet.' : 'The study has no completed participants yet.');
    }
    // Outcomes nobody has a value for (e.g. no judge run yet) would only add empty rows.
    const measured = data.outcomes.filter((o) => Object.values(o.values).some((v) => v.length > 0));
    effects = effectsFromObserved(measured, planArms);
    source = { kind: input.source.kind, participantsPerArm: data.participantsPerArm, metricsPending: data.metricsPending };
  }

  const settings = {
    alpha: input.alpha,
    power: input.power,
    test: input.test,
    adjustment: input.adjustment,
    simulations: input.simulations,
    seed: input.seed,
    nMax: input.nMax,
  };
  const result = buildPlan(effects, planArms, { ...settings, dropoutRate, simulationBudget: SIMULATION_BUDGET });
  return { ...result, arms, referenceArm, source, dropout: { rate: dropoutRate, fromStudy }, settings };
}
