import { z } from 'zod';
import { buildDashboard } from '../../insights/dashboard';
import { setExclusion } from '../../insights/exclusions';
import { researcherProcedure, router, viewerProcedure } from '../trpc';

export const resultsRouter = router({
  dashboard: viewerProcedure
    .input(
      z.object({
        studyId: z.uuid(),
        population: z.enum(['itt', 'completers']).default('itt'),
        referenceArm: z.string().max(40).optional(),
        versionIds: z.array(z.uuid()).max(100).default([]),
      }),
    )
    .query(({ ctx, input }) => buildDashboard(ctx.db, input)),
  setExclusion: researcherProcedure
    .input(
      z.object({
        studyId: z.uuid(),
        participantId: z.uuid(),
        excluded: z.boolean(),
        reason: z.string().max(500).optional(),
      }),
    )
    .mutation(({ ctx, input }) => setExclusion(ctx, input)),
});
