import type { AnyTool } from '../core/types.js';
import { aiSuggest } from './suggest.js';

export const aiTools: readonly AnyTool[] = [aiSuggest];
