/** `experiment compare` and `experiment show`: reading runs back, over the MLflow client. */
import type { AnyTool } from '../core/types.js';
import { experimentCompare } from './compare-tool.js';
import { experimentShow } from './show-tool.js';

export const experimentReadTools: readonly AnyTool[] = [experimentCompare, experimentShow];
