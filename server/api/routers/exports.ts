import { z } from 'zod';
import { exportSummary } from '../../exports/summary';
import { router, viewerProcedure } from '../trpc';

export const exportsRouter = router({
  /** What an export would contain (counts per table), shown before downloading. */
  summary: viewerProcedure
    .input(z.object({ studyId: z.uuid(), versionIds: z.array(z.uuid()).max(100).default([]), includePreviews: z.boolean().default(false) }))
    .query(({ ctx, input }) => exportSummary(ctx.db, input)),
});
