/**
 * The `experiment` toolset: a project's training run with its provenance (code, data, environment)
 * logged to MLflow, compared, shown and reproduced.
 */
import type { AnyTool } from '../core/types.js';
import { experimentReadTools } from './read-tools.js';
import { experimentWriteTools } from './write-tools.js';

export const experimentTools: readonly AnyTool[] = [...experimentWriteTools, ...experimentReadTools];
