import type { AnyTool } from '../core/types.js';
import { notebookExecute } from './execute-notebook.js';
import { notebookGenerate } from './generate-notebook.js';

export const notebookTools: readonly AnyTool[] = [notebookGenerate, notebookExecute];
