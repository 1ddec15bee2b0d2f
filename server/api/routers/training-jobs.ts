import { adminProcedure, researcherProcedure, router, viewerProcedure } from '../trpc';
import { evaluateTrainedModel, listTrainedModels, registerTrainedModel } from '../../training/jobs/register';
import { evaluateTrainedModelInput, registerTrainedModelInput, startTrainingJobInput, trainingJobIdInput } from '../../training/jobs/schemas';
import {
  cancelTrainingJob,
  getTrainingJob,
  listTrainingJobs,
  resumeTrainingJob,
  startTrainingJob,
  trainingJobOptions,
} from '../../training/jobs/service';

export const trainingJobsRouter = router({
  list: viewerProcedure.query(({ ctx }) => listTrainingJobs(ctx)),
  get: viewerProcedure.input(trainingJobIdInput).query(({ ctx, input }) => getTrainingJob(ctx, input.jobId)),
  options: viewerProcedure.query(({ ctx }) => trainingJobOptions(ctx)),
  start: researcherProcedure.input(startTrainingJobInput).mutation(({ ctx, input }) => startTrainingJob(ctx, input)),
  cancel: researcherProcedure.input(trainingJobIdInput).mutation(({ ctx, input }) => cancelTrainingJob(ctx, input.jobId)),
  resume: researcherProcedure.input(trainingJobIdInput).mutation(({ ctx, input }) => resumeTrainingJob(ctx, input.jobId)),
  trainedModels: viewerProcedure.query(({ ctx }) => listTrainedModels(ctx)),
  register: researcherProcedure.input(registerTrainedModelInput).mutation(({ ctx, input }) => registerTrainedModel(ctx, input)),
  evaluate: adminProcedure.input(evaluateTrainedModelInput).mutation(({ ctx, input }) => evaluateTrainedModel(ctx, input)),
});
