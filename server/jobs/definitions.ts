/** Every job kind the app runs. A worker claims only kinds it knows, so all processes load this list. */
import { executeBenchmarkItem, isTerminalError } from '../benchmarks/execute-item';
import { rescoreRun } from '../benchmarks/results';
import { benchmarkJobDefinitions } from '../benchmarks/runs/jobs';
import { studyJudgeJobDefinitions } from '../study-judging/jobs';
import { pilotJobDefinitions } from '../pilots/jobs';
import { trainingJobDefinitions } from '../training/jobs';
import { trainingStepJob } from '../training/jobs/steps';
import type { JobDefinition } from './worker';

export function appJobDefinitions(): JobDefinition[] {
  return [
    ...benchmarkJobDefinitions({ executeItem: executeBenchmarkItem, isTerminalError, rescoreRun }),
    ...studyJudgeJobDefinitions(),
    ...trainingJobDefinitions(),
    ...pilotJobDefinitions(),
    trainingStepJob as unknown as JobDefinition,
  ];
}
