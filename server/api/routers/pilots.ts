/**
 * Simulated pilots of a study (issue 11 §3). Researchers and admins start and cancel them (a pilot spends
 * model calls on the study's arms); every signed-in staff member may read them.
 */
import { z } from 'zod';
import { researcherProcedure, router, viewerProcedure } from '../trpc';
import { cancelPilot, listPilots, startPilot, startPilotInput } from '../../pilots/service';
import { pilotDetail, pilotTranscript } from '../../pilots/outcomes';

const pilotInput = z.object({ studyId: z.uuid(), pilotId: z.uuid() });

export const pilotsRouter = router({
  list: viewerProcedure.input(z.object({ studyId: z.uuid() })).query(({ ctx, input }) => listPilots(ctx, input)),
  get: viewerProcedure.input(pilotInput).query(({ ctx, input }) => pilotDetail(ctx, input)),
  transcript: viewerProcedure
    .input(pilotInput.extend({ participantId: z.uuid() }))
    .query(({ ctx, input }) => pilotTranscript(ctx, input)),
  start: researcherProcedure.input(startPilotInput).mutation(({ ctx, input }) => startPilot(ctx, input)),
  cancel: researcherProcedure.input(pilotInput).mutation(({ ctx, input }) => cancelPilot(ctx, input)),
});
