/**
 * Judging a study's conversations with the benchmark's judges. Researchers start, cancel and retry (model
 * calls cost money, as running the study does); every signed-in staff member reads runs and scores.
 */
import { z } from 'zod';
import {
  cancelJudgeRun,
  judgeRunOptions,
  listJudgeRuns,
  participantJudgeScores,
  retryFailedJudgeItems,
  startJudgeRunAsStaff,
  startJudgeRunInput,
} from '../../study-judging/service';
import { researcherProcedure, router, viewerProcedure } from '../trpc';

const studyInput = z.object({ studyId: z.uuid() });
const runInput = z.object({ studyId: z.uuid(), runId: z.uuid() });

export const studyJudgingRouter = router({
  options: viewerProcedure.input(studyInput).query(({ ctx, input }) => judgeRunOptions(ctx.db, input.studyId)),
  list: viewerProcedure.input(studyInput).query(({ ctx, input }) => listJudgeRuns(ctx.db, input.studyId)),
  participantScores: viewerProcedure
    .input(z.object({ studyId: z.uuid(), participantId: z.uuid() }))
    .query(({ ctx, input }) => participantJudgeScores(ctx.db, input)),
  start: researcherProcedure.input(startJudgeRunInput).mutation(({ ctx, input }) => startJudgeRunAsStaff(ctx, input)),
  cancel: researcherProcedure.input(runInput).mutation(({ ctx, input }) => cancelJudgeRun(ctx, input)),
  retryFailed: researcherProcedure.input(runInput).mutation(({ ctx, input }) => retryFailedJudgeItems(ctx, input)),
});
