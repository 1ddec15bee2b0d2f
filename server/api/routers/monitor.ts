import { z } from 'zod';
import { monitorSnapshot } from '../../monitor/service';
import { router, viewerProcedure } from '../trpc';

export const monitorRouter = router({
  snapshot: viewerProcedure
    .input(
      z.object({
        studyId: z.uuid(),
        idleMinutes: z.number().min(0.5).max(240).default(5),
        stuckReplySeconds: z.number().int().min(10).max(3600).default(90),
      }),
    )
    .query(({ ctx, input }) => monitorSnapshot(ctx.db, input)),
});
