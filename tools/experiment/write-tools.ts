/** `experiment run` and `experiment reproduce`: training with provenance, logged to MLflow. */
import type { AnyTool } from '../core/types.js';
import { experimentReproduce } from './reproduce-run.js';
import { experimentRun } from './run-experiment.js';

export const experimentWriteTools: readonly AnyTool[] = [experimentRun, experimentReproduce];
