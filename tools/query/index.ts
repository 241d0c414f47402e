import type { AnyTool } from '../core/types.js';
import { queryListDatasets } from './list-datasets.js';

export const queryTools: readonly AnyTool[] = [queryListDatasets];
