/** `experiment run` and `experiment reproduce`: training with provenance, logged to MLflow. */
import type { AnyTool } from '../core/types.js';

export const experimentWriteTools: readonly AnyTool[] = [];
