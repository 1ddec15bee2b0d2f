/**
 * The arm × stratum balance table of the results page, for every study: randomized (non-preview)
 * participants counted per arm within each stratum. Stratified studies are tabulated by their
 * stratification factor; unstratified ones by document type, the stratum a reviewer asks about first.
 * Strata are read from the participant's stored attributes, the same way assignment counts them.
 */
import { and, count, desc, eq, sql } from 'drizzle-orm';
import type { DbExecutor } from '../../db';
import { schema } from '../../db';
import { stratificationOf, type StudyConfig } from '../studies/config';
import { participantScope, type DatasetFilter } from './dataset';

export type BalanceFactor =
  | { kind: 'documentType'; stratified: boolean }
  | { kind: 'topicQuestion'; questionId: string; label: string; stratified: true };

export interface BalanceTable {
  factor: BalanceFactor;
  /** One row per stratum value seen among randomized participants (configured order first). */
  rows: { stratum: string; label: string; counts: Record<string, number>; total: number }[];
}

/** Shown for participants randomized without a value (e.g. assigned before the question existed). */
export const MISSING_STRATUM = '(none)';

export async function loadBalanceTable(db: DbExecutor, filter: DatasetFilter, armKeys: readonly string[]): Promise<BalanceTable> {
  const p = schema.participants;
  const a = schema.assignments;
  const [newest] = await db
    .select({ config: schema.studyVersions.config })
    .from(schema.studyVersions)
    .where(eq(schema.studyVersions.studyId, filter.studyId))
    .orderBy(desc(schema.studyVersions.version))
    .limit(1);
  const config: StudyConfig | undefined = newest?.config;
  const by = config ? stratificationOf(config) : { by: 'none' as const };

  let factor: BalanceFactor;
  let stratumExpr;
  let labels = new Map<string, string>();
  if (by.by === 'topicQuestion') {
    const question = config?.topicQuestions.find((q) => q.id === by.questionId);
    factor = { kind: 'topicQuestion', questionId: by.questionId, label: question?.prompt ?? by.questionId, stratified: true };
    stratumExpr = sql<string | null>`(${p.topicAnswers} ->> ${by.questionId})`;
    labels = new Map((question?.options ?? []).map((o) => [o, o]));
  } else {
    factor = { kind: 'documentType', stratified: by.by === 'documentType' };
    stratumExpr = sql<string | null>`${p.documentType}`;
    labels = new Map((config?.documentTypes ?? []).map((d) => [d.key, d.label]));
  }

  const cells = await db
    .select({ stratum: stratumExpr, armKey: a.armKey, n: count() })
    .from(p)
    .innerJoin(a, eq(a.participantId, p.id))
    .where(and(participantScope(filter)))
    // Positional: a parameterized expression (the question id) is not recognized as the same in GROUP BY.
    .groupBy(sql`1`, sql`2`);

  const keys = [...armKeys];
  for (const c of cells) if (!keys.includes(c.armKey)) keys.push(c.armKey);
  const byStratum = new Map<string, Record<string, number>>();
  for (const c of cells) {
    const stratum = c.stratum ?? MISSING_STRATUM;
    const counts = byStratum.get(stratum) ?? Object.fromEntries(keys.map((k) => [k, 0]));
    counts[c.armKey] = (counts[c.armKey] ?? 0) + Number(c.n);
    byStratum.set(stratum, counts);
  }
  const order = [...labels.keys()];
  const rank = (s: string) => (order.includes(s) ? order.indexOf(s) : order.length);
  const rows = [...byStratum.entries()]
    .sort(([x], [y]) => rank(x) - rank(y) || x.localeCompare(y))
    .map(([stratum, counts]) => ({
      stratum,
      label: labels.get(stratum) ?? stratum,
      counts,
      total: Object.values(counts).reduce((s, n) => s + n, 0),
    }));
  return { factor, rows };
}
