import type { AnyTool } from '../core/types.js';
import { edaGenerateReport } from './generate-report.js';

export const edaTools: readonly AnyTool[] = [edaGenerateReport];
