/**
 * Test data for the calibration report (tests and e2e support only, never app code): judge scores of a
 * study's participants as the judging job stores them (a judging run, one item per participant, one score
 * per metric), and a finished benchmark run with known scores (items completed directly; no jobs, so no
 * worker touches it).
 */
import { eq } from 'drizzle-orm';
import type { Database } from '../../../db';
import * as schema from '../../../db/schema';
import { ensureBuiltinTaskSet, builtinTaskIds } from '../../benchmarks/tasks/builtin';
import { runConfigSchema, type RunConfigInput } from '../../benchmarks/run-config';

export interface SeedJudgeScore {
  participantId: string;
  quality?: number;
  interactivity?: number;
  /** Recorded on the interactivity score (e.g. { interactivityScale: 'paper-table1', rawScore: 3 }). */
  interactivityDetails?: Record<string, unknown>;
}

export async function seedJudgeScores(db: Database, studyId: string, judge: string, scores: readonly SeedJudgeScore[], opts: { pilotId?: string | null } = {}) {
  const [run] = await db
    .insert(schema.studyJudgeRuns)
    .values({ studyId, pilotId: opts.pilotId ?? null, status: 'completed', config: { judge }, finishedAt: new Date() })
    .returning();
  for (const s of scores) {
    const [item] = await db
      .insert(schema.studyJudgeItems)
      .values({ runId: run!.id, participantId: s.participantId, status: 'completed', attempts: 1, finalDocument: 'Judged document', documentSource: 'pane' })
      .returning();
    const rows: (typeof schema.studyJudgeScores.$inferInsert)[] = [];
    if (s.quality !== undefined) rows.push({ itemId: item!.id, participantId: s.participantId, judge, promptVersion: 'judge-v1', metric: 'quality', value: s.quality });
    if (s.interactivity !== undefined)
      rows.push({ itemId: item!.id, participantId: s.participantId, judge, promptVersion: 'judge-v1', metric: 'interactivity', value: s.interactivity, details: s.interactivityDetails ?? null });
    if (rows.length) await db.insert(schema.studyJudgeScores).values(rows);
  }
  return run!;
}

export interface SeedRunOptions {
  name: string;
  arms: RunConfigInput['arms'];
  referenceArmKey: string;
  judge: string;
  tasks: number;
  replicates: number;
  /** Scores of the conversation of (arm, task index, replicate). */
  score: (armKey: string, task: number, replicate: number) => { quality: number; interactivity: number };
}

export async function seedScoredRun(db: Database, opts: SeedRunOptions) {
  await ensureBuiltinTaskSet(db);
  const taskIds = (await builtinTaskIds(db)).slice(0, opts.tasks);
  const config = runConfigSchema.parse({
    arms: opts.arms,
    referenceArmKey: opts.referenceArmKey,
    taskIds,
    simulator: { connectionId: null },
    judge: { connectionId: null },
    conversationsPerTask: opts.replicates,
    maxTurns: 4,
    seed: `calibration-${opts.name}`,
    concurrency: 1,
  } satisfies RunConfigInput);
  const [run] = await db.insert(schema.benchmarkRuns).values({ name: opts.name, status: 'completed', config, startedAt: new Date(), finishedAt: new Date() }).returning();
  for (const arm of config.arms) {
    for (const [t, taskId] of taskIds.entries()) {
      for (let r = 0; r < opts.replicates; r++) {
        const [conversation] = await db.insert(schema.conversations).values({ kind: 'simulation', armKey: arm.key, metadata: { runId: run!.id, endReason: 'terminated' } }).returning();
        const [item] = await db
          .insert(schema.benchmarkItems)
          .values({ runId: run!.id, taskId, armKey: arm.key, replicate: r, status: 'completed', attempts: 1, conversationId: conversation!.id, finishedAt: new Date() })
          .returning();
        const s = opts.score(arm.key, t, r);
        await db.insert(schema.benchmarkScores).values([
          { itemId: item!.id, judge: opts.judge, metric: 'quality', value: s.quality },
          { itemId: item!.id, judge: opts.judge, metric: 'interactivity', value: s.interactivity },
        ]);
      }
    }
  }
  await db.update(schema.benchmarkRuns).set({ status: 'completed' }).where(eq(schema.benchmarkRuns.id, run!.id));
  return { run: run!, taskIds };
}
