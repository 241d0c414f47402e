import type { AnyTool } from '../core/types.js';
import { dataAdd } from './add-data.js';
import { dataDiff } from './diff-data.js';
import { dataVersion } from './version-data.js';

export const dataTools: readonly AnyTool[] = [dataAdd, dataVersion, dataDiff];
