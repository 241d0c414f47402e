import { pauseTool } from './pause-dag.js';

export const airflowUnpause = pauseTool(false);
