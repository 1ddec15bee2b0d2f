/**
 * Who is analysed, and why someone is excluded. Pure functions over AnalysisRow so the rules are
 * stated once and tested directly.
 *
 * Intention-to-treat (ITT): every randomized (assigned) participant, analysed in the arm they were
 * assigned to, whatever happened afterwards: completers, dropouts, time-outs, failed attention checks
 * and excluded participants all stay in. A participant contributes to an outcome only if it was
 * measured for them (someone who left before the final survey has no document-quality rating), so
 * n can differ between outcomes.
 *
 * Completers (per-protocol): assigned participants who reached the end of the study (outcome
 * "completed") and are not excluded, neither automatically (failed attention checks) nor manually.
 */
import type { AnalysisRow } from './dataset';

export type Population = 'itt' | 'completers';

export const populationDefinitions: Record<Population, string> = {
  itt:
    'Intention-to-treat: every randomized participant in the arm they were assigned to, including dropouts, time-outs and excluded participants. Each outcome uses the participants for whom it was measured.',
  completers:
    'Completers: randomized participants who finished the study and are not excluded (failed attention checks or excluded by a researcher).',
};

/** Prolific's policy: a submission may be rejected only when at least two attention checks fail. */
export function attentionFailureThreshold(checkCount: number): number {
  return Math.max(1, Math.min(2, checkCount));
}

export type ExclusionKind = 'attention_checks' | 'manual';

export interface Exclusion {
  kind: ExclusionKind;
  reason: string;
}

export function exclusionOf(row: AnalysisRow, attentionCheckCount: number): Exclusion | null {
  if (row.excluded) return { kind: 'manual', reason: row.exclusionReason?.trim() || 'Excluded by a researcher' };
  const failedAttention =
    row.outcome === 'failed_checks' ||
    (attentionCheckCount > 0 && (row.attentionFailures ?? 0) >= attentionFailureThreshold(attentionCheckCount));
  if (failedAttention) return { kind: 'attention_checks', reason: 'Failed attention checks' };
  return null;
}

export function inPopulation(row: AnalysisRow, population: Population, attentionCheckCount: number): boolean {
  if (!row.armKey) return false;
  if (population === 'itt') return true;
  return row.outcome === 'completed' && exclusionOf(row, attentionCheckCount) === null;
}

export interface ArmFlow {
  armKey: string;
  assigned: number;
  completed: number;
  inProgress: number;
  timedOut: number;
  failedChecks: number;
  excluded: { reason: string; kind: ExclusionKind; n: number }[];
  excludedTotal: number;
  analysedItt: number;
  analysedCompleters: number;
}

export interface StudyFlow {
  /** Before randomization, so study-wide. */
  entered: number;
  consented: number;
  declinedConsent: number;
  /** Consented but not (yet) randomized: left during instructions/setup or still there. */
  consentedNotAssigned: number;
  assigned: number;
  arms: ArmFlow[];
}

export function studyFlow(rows: AnalysisRow[], armKeys: string[], attentionCheckCount: number): StudyFlow {
  const arms = new Map<string, ArmFlow>();
  const arm = (key: string) => {
    let f = arms.get(key);
    if (!f)
      arms.set(
        key,
        (f = {
          armKey: key,
          assigned: 0,
          completed: 0,
          inProgress: 0,
          timedOut: 0,
          failedChecks: 0,
          excluded: [],
          excludedTotal: 0,
          analysedItt: 0,
          analysedCompleters: 0,
        }),
      );
    return f;
  };
  for (const key of armKeys) arm(key);
  const flow: StudyFlow = { entered: 0, consented: 0, declinedConsent: 0, consentedNotAssigned: 0, assigned: 0, arms: [] };
  for (const row of rows) {
    flow.entered++;
    if (row.consented) flow.consented++;
    if (row.outcome === 'no_consent') flow.declinedConsent++;
    if (!row.armKey) {
      if (row.consented) flow.consentedNotAssigned++;
      continue;
    }
    flow.assigned++;
    const f = arm(row.armKey);
    f.assigned++;
    if (row.outcome === 'completed') f.completed++;
    else if (row.outcome === 'timed_out') f.timedOut++;
    else if (row.outcome === 'failed_checks') f.failedChecks++;
    else if (row.outcome === null) f.inProgress++;
    const exclusion = exclusionOf(row, attentionCheckCount);
    if (exclusion) {
      f.excludedTotal++;
      const existing = f.excluded.find((e) => e.reason === exclusion.reason && e.kind === exclusion.kind);
      if (existing) existing.n++;
      else f.excluded.push({ ...exclusion, n: 1 });
    }
    f.analysedItt++;
    if (inPopulation(row, 'completers', attentionCheckCount)) f.analysedCompleters++;
  }
  flow.arms = [...arms.values()];
  for (const f of flow.arms) f.excluded.sort((a, b) => b.n - a.n || a.reason.localeCompare(b.reason));
  return flow;
}
