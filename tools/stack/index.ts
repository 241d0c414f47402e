import type { AnyTool } from '../core/types.js';
import { stackLogs } from './read-logs.js';
import { stackStatus } from './service-status.js';
import { stackUp } from './start-services.js';
import { stackDown } from './stop-services.js';
import { stackCompose } from './write-compose.js';

export const stackTools: readonly AnyTool[] = [stackUp, stackDown, stackStatus, stackLogs, stackCompose];

export { ensurePythonPackages } from './python.js';
