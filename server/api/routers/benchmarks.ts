/**
 * Benchmark runs. Admins start, cancel and re-score (they spend money on model calls); researchers
 * may also import task sets; every signed-in staff member may read runs, results and conversations.
 */
import { z } from 'zod';
import { adminProcedure, researcherProcedure, router, viewerProcedure } from '../trpc';
import { judgeConfigSchema } from '../../benchmarks/run-config';
import { importTaskSet, previewTaskRows } from '../../benchmarks/tasks/import';
import { runBleuFloor } from '../../benchmarks/bleu-floor';
import { runResults } from '../../benchmarks/results';
import { runAnalysis } from '../../benchmarks/analysis';
import { cancelRun, createRunInput, createRun, requestRescore } from '../../benchmarks/runs/commands';
import { getItemDetail, listItemsInput, listRunItems } from '../../benchmarks/runs/items';
import { listTaskSets, newRunOptions } from '../../benchmarks/runs/options';
import { getRun, getRunProgress, listRuns } from '../../benchmarks/runs/progress';

const runIdInput = z.object({ runId: z.uuid() });
const taskFileInput = z.object({
  format: z.enum(['jsonl', 'csv']),
  // The import applies its own byte and row limits; this only stops absurd payloads early.
  content: z.string().min(1, 'The file is empty').max(6 * 1024 * 1024),
});

export const benchmarksRouter = router({
  list: viewerProcedure.query(({ ctx }) => listRuns(ctx.db)),
  get: viewerProcedure.input(runIdInput).query(({ ctx, input }) => getRun(ctx.db, input.runId)),
  progress: viewerProcedure.input(runIdInput).query(({ ctx, input }) => getRunProgress(ctx.db, input.runId)),
  results: viewerProcedure
    .input(z.object({ runId: z.uuid(), judge: z.string().max(300).optional() }))
    .query(({ ctx, input }) => runResults(ctx.db, input.runId, { judge: input.judge })),
  analysis: viewerProcedure
    .input(
      z.object({
        runId: z.uuid(),
        judge: z.string().max(300).optional(),
        referenceArmKey: z.string().max(40).optional(),
        includeExtractionFailures: z.boolean().optional(),
      }),
    )
    .query(({ ctx, input }) => runAnalysis(ctx.db, input.runId, input)),
  items: viewerProcedure.input(listItemsInput).query(({ ctx, input }) => listRunItems(ctx.db, input)),
  item: viewerProcedure.input(z.object({ itemId: z.uuid() })).query(({ ctx, input }) => getItemDetail(ctx.db, input.itemId)),
  newRunOptions: adminProcedure.query(({ ctx }) => newRunOptions(ctx.db)),
  create: adminProcedure.input(createRunInput).mutation(({ ctx, input }) => createRun(ctx, input)),
  cancel: adminProcedure.input(runIdInput).mutation(({ ctx, input }) => cancelRun(ctx, input.runId)),
  rescore: adminProcedure
    .input(z.object({ runId: z.uuid(), judge: judgeConfigSchema }))
    .mutation(({ ctx, input }) => requestRescore(ctx, input.runId, input.judge)),
  /** BLEU between unrelated tasks' targets of the run (the metric's floor), beside the arms' BLEU. */
  bleuFloor: viewerProcedure.input(runIdInput).query(({ ctx, input }) => runBleuFloor(ctx.db, input.runId)),
  taskSets: viewerProcedure.query(({ ctx }) => listTaskSets(ctx.db)),
  importTaskSet: researcherProcedure
    .input(taskFileInput.extend({ name: z.string().trim().min(1, 'Give the task set a name').max(120), description: z.string().max(2000).optional() }))
    .mutation(({ ctx, input }) => importTaskSet(ctx.db, input)),
  /** What an import would create (counts, duplicates dropped, per-line errors, first rows); writes nothing. */
  previewTaskSet: researcherProcedure.input(taskFileInput).mutation(({ input }) => previewTaskRows(input.format, input.content)),
});
