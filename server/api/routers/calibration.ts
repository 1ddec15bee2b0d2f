import { z } from 'zod';
import { calibrationReport, simulationVsPeople } from '../../calibration/service';
import { cleanText } from '../../lib/text';
import { router, viewerProcedure } from '../trpc';

const armKey = z.string().min(1).max(40).transform(cleanText);

export const calibrationRouter = router({
  /** Judges vs people for every judge label, plus the benchmark runs one can compare the study with. */
  report: viewerProcedure.input(z.object({ studyId: z.uuid() })).query(({ ctx, input }) => calibrationReport(ctx.db, input)),
  /** A benchmark run's effects vs its reference arm beside the study's, per matched arm. */
  simulationVsPeople: viewerProcedure
    .input(
      z.object({
        studyId: z.uuid(),
        runId: z.uuid(),
        /** Study arm key → run arm key, for arms whose keys differ. */
        armMapping: z
          .record(armKey, armKey)
          .refine((m) => Object.keys(m).length <= 12, 'at most 12 arms')
          .optional(),
        judge: z.string().min(1).max(300).transform(cleanText).optional(),
      }),
    )
    .query(({ ctx, input }) => simulationVsPeople(ctx.db, input)),
});
