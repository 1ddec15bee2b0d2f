import { z } from 'zod';
import { researcherProcedure, router, viewerProcedure } from '../trpc';
import {
  createStudy,
  getStudy,
  getStudyVersionConfig,
  launchStudy,
  listConnectionChoices,
  listStudies,
  publishStudyVersion,
  setStudyStatus,
  updateStudyDraft,
} from '../../studies/service';
import { compareConfigs, duplicateStudy } from '../../studies/history';
import {
  compareConfigsInput,
  createStudyInput,
  duplicateStudyInput,
  launchInput,
  publishVersionInput,
  setStatusInput,
  studyIdInput,
  updateDraftInput,
} from '../../studies/schemas';

export const studiesRouter = router({
  list: viewerProcedure.query(({ ctx }) => listStudies(ctx)),
  get: viewerProcedure.input(studyIdInput).query(({ ctx, input }) => getStudy(ctx, input.studyId)),
  versionConfig: viewerProcedure
    .input(z.object({ studyId: z.uuid(), version: z.number().int().min(1) }))
    .query(({ ctx, input }) => getStudyVersionConfig(ctx, input)),
  connectionChoices: viewerProcedure.query(({ ctx }) => listConnectionChoices(ctx)),
  create: researcherProcedure.input(createStudyInput).mutation(({ ctx, input }) => createStudy(ctx, input)),
  updateDraft: researcherProcedure.input(updateDraftInput).mutation(({ ctx, input }) => updateStudyDraft(ctx, input)),
  launch: researcherProcedure.input(launchInput).mutation(({ ctx, input }) => launchStudy(ctx, input)),
  publishVersion: researcherProcedure.input(publishVersionInput).mutation(({ ctx, input }) => publishStudyVersion(ctx, input)),
  compare: viewerProcedure.input(compareConfigsInput).query(({ ctx, input }) => compareConfigs(ctx, input)),
  duplicate: researcherProcedure.input(duplicateStudyInput).mutation(({ ctx, input }) => duplicateStudy(ctx, input)),
  setStatus: researcherProcedure.input(setStatusInput).mutation(({ ctx, input }) => setStudyStatus(ctx, input)),
});
