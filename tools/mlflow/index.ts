import type { AnyTool } from '../core/types.js';
import { mlflowCompareRuns } from './compare-runs.js';
import { mlflowCreateExperiment } from './create-experiment.js';
import { mlflowDeleteAlias } from './delete-alias.js';
import { mlflowGetAlias } from './get-alias.js';
import { mlflowListExperiments } from './list-experiments.js';
import { mlflowListModelVersions } from './list-model-versions.js';
import { mlflowMetricHistory } from './metric-history.js';
import { mlflowRegisterModel } from './register-model.js';
import { mlflowSearchRuns } from './search-runs.js';
import { mlflowSetAlias } from './set-alias.js';
import { mlflowShowRun } from './show-run.js';

export const mlflowTools: readonly AnyTool[] = [
  mlflowListExperiments,
  mlflowCreateExperiment,
  mlflowSearchRuns,
  mlflowShowRun,
  mlflowMetricHistory,
  mlflowCompareRuns,
  mlflowRegisterModel,
  mlflowListModelVersions,
  mlflowSetAlias,
  mlflowGetAlias,
  mlflowDeleteAlias,
];
