import type { AnyTool } from '../core/types.js';
import { projectInit } from './init-project.js';

export const projectTools: readonly AnyTool[] = [projectInit];
