import type { AnyTool } from '../core/types.js';
import { airflowClearFailed } from './clear-failed.js';
import { airflowDeployDag } from './deploy-dag.js';
import { airflowImportErrors } from './import-errors.js';
import { airflowListDags } from './list-dags.js';
import { airflowPause } from './pause-dag.js';
import { airflowShowDag } from './show-dag.js';
import { airflowTaskLogs } from './task-logs.js';
import { airflowTaskStates } from './task-states.js';
import { airflowTrigger } from './trigger-dag.js';
import { airflowUnpause } from './unpause-dag.js';
import { airflowWait } from './wait-run.js';

export const airflowTools: readonly AnyTool[] = [
  airflowListDags,
  airflowShowDag,
  airflowTrigger,
  airflowWait,
  airflowTaskStates,
  airflowTaskLogs,
  airflowPause,
  airflowUnpause,
  airflowClearFailed,
  airflowImportErrors,
  airflowDeployDag,
];
