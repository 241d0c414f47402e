/** `experiment compare` and `experiment show`: reading runs back, over the MLflow client. */
import type { AnyTool } from '../core/types.js';

export const experimentReadTools: readonly AnyTool[] = [];
