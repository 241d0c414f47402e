import type { AnyTool } from '../core/types.js';

export const mlflowTools: readonly AnyTool[] = [];
