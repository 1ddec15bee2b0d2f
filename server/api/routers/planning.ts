import { z } from 'zod';
import { planInput, planningOptions, planSampleSize } from '../../planning/service';
import { router, viewerProcedure } from '../trpc';

/** Sample-size planner (read-only, so every staff role may plan). */
export const planningRouter = router({
  options: viewerProcedure.input(z.object({ studyId: z.uuid() })).query(({ ctx, input }) => planningOptions(ctx, input.studyId)),
  plan: viewerProcedure.input(planInput).query(({ ctx, input }) => planSampleSize(ctx, input)),
});
