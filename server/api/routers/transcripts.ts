import { z } from 'zod';
import { schema } from '../../../db';
import { getTranscript, listTranscripts } from '../../insights/transcripts';
import { router, viewerProcedure } from '../trpc';

export const transcriptsRouter = router({
  list: viewerProcedure
    .input(
      z.object({
        studyId: z.uuid(),
        versionIds: z.array(z.uuid()).max(100).optional(),
        armKey: z.string().max(40).optional(),
        outcome: z.enum([...schema.participantOutcome.enumValues, 'in_progress']).optional(),
        excluded: z.boolean().optional(),
        search: z.string().max(200).optional(),
        page: z.number().int().min(1).max(100_000).default(1),
        pageSize: z.number().int().min(1).max(200).default(50),
      }),
    )
    .query(({ ctx, input }) => listTranscripts(ctx.db, input)),
  get: viewerProcedure
    .input(z.object({ studyId: z.uuid(), participantId: z.uuid() }))
    .query(({ ctx, input }) => getTranscript(ctx.db, input.studyId, input.participantId)),
});
