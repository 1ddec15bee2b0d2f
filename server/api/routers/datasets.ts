/**
 * Training datasets (issue 10 §2). Researchers and admins create and cancel (synthetic generation spends
 * model calls); every signed-in staff member may read datasets, conversations and exports.
 */
import { z } from 'zod';
import { researcherProcedure, router, viewerProcedure } from '../trpc';
import { createHumanStudyDataset } from '../../training/datasets/human-study';
import {
  cancelDataset,
  createSyntheticDataset,
  getDataset,
  getDatasetConversation,
  listDatasetConversations,
  listDatasets,
  newDatasetOptions,
} from '../../training/datasets/service';

const datasetIdInput = z.object({ datasetId: z.uuid() });
const baseFields = {
  name: z.string().trim().min(1, 'Give the dataset a name').max(120),
  seed: z.string().min(1).max(100).optional(),
  splitSeed: z.string().min(1).max(100).optional(),
  evalRatio: z.number().min(0).max(0.5).optional(),
};

export const datasetsRouter = router({
  list: viewerProcedure.query(({ ctx }) => listDatasets(ctx)),
  get: viewerProcedure.input(datasetIdInput).query(({ ctx, input }) => getDataset(ctx, input.datasetId)),
  conversations: viewerProcedure
    .input(z.object({ datasetId: z.uuid(), offset: z.number().int().min(0).max(1_000_000).default(0), limit: z.number().int().min(1).max(100).default(25) }))
    .query(({ ctx, input }) => listDatasetConversations(ctx, input)),
  conversation: viewerProcedure.input(z.object({ conversationId: z.uuid() })).query(({ ctx, input }) => getDatasetConversation(ctx, input.conversationId)),
  newOptions: researcherProcedure.query(({ ctx }) => newDatasetOptions(ctx)),
  // Settings are validated by the service (one zod schema, field-level messages).
  createSynthetic: researcherProcedure
    .input(z.object({ ...baseFields, settings: z.record(z.string(), z.unknown()) }))
    .mutation(({ ctx, input }) => createSyntheticDataset(ctx, input as Parameters<typeof createSyntheticDataset>[1])),
  createFromStudy: researcherProcedure
    .input(z.object({ name: baseFields.name, splitSeed: baseFields.splitSeed, evalRatio: baseFields.evalRatio, settings: z.record(z.string(), z.unknown()) }))
    .mutation(({ ctx, input }) => createHumanStudyDataset(ctx, input)),
  cancel: researcherProcedure.input(datasetIdInput).mutation(({ ctx, input }) => cancelDataset(ctx, input.datasetId)),
});
