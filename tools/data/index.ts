import type { AnyTool } from '../core/types.js';
import { dataAdd } from './add-data.js';
import { dataDiff } from './diff-data.js';
import { dataPull } from './pull-data.js';
import { dataPush } from './push-data.js';
import { dataRemote } from './configure-remote.js';
import { dataRestore } from './restore-data.js';
import { dataStatus } from './show-status.js';
import { dataVersion } from './version-data.js';

export const dataTools: readonly AnyTool[] = [
  dataAdd,
  dataVersion,
  dataStatus,
  dataDiff,
  dataRemote,
  dataPush,
  dataPull,
  dataRestore,
];
