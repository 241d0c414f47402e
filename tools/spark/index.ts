import type { AnyTool } from '../core/types.js';
import { sparkKill } from './kill.js';
import { sparkApplications } from './list-applications.js';
import { sparkLogs } from './logs.js';
import { sparkStatus } from './status.js';
import { sparkSubmit } from './submit.js';

export const sparkTools: readonly AnyTool[] = [
  sparkSubmit,
  sparkStatus,
  sparkKill,
  sparkApplications,
  sparkLogs,
];
