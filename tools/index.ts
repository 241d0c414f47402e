/**
 * The registry: every tool of every component, in one list. The CLI command tree, the agent and
 * the MCP server all read it. A new component is a folder with an index.ts added here.
 *
 * Tool modules must stay cheap to import (zod and types only): heavy clients such as DuckDB or the
 * AWS SDK are imported inside `run`, so `datastack tools list` starts fast.
 */
import type { AnyTool } from './core/types.js';
import { icebergTools } from './iceberg/index.js';
import { nessieTools } from './nessie/index.js';
import { queryTools } from './query/index.js';
import { stackTools } from './stack/index.js';

export const ALL_TOOLS: readonly AnyTool[] = [...queryTools, ...nessieTools, ...stackTools, ...icebergTools];

export interface ToolFilter {
  /** Only these toolsets (component groups). */
  toolsets?: readonly string[];
  /** Hide every tool that is not read-only. */
  readOnly?: boolean;
}

export function selectTools(filter: ToolFilter = {}, tools: readonly AnyTool[] = ALL_TOOLS): AnyTool[] {
  const wanted = filter.toolsets && filter.toolsets.length > 0 ? new Set(filter.toolsets) : undefined;
  return tools.filter((tool) => (!wanted || wanted.has(tool.toolset)) && (!filter.readOnly || tool.annotations.readOnly));
}

export function findTool(name: string, tools: readonly AnyTool[] = ALL_TOOLS): AnyTool | undefined {
  return tools.find((tool) => tool.name === name);
}

export function toolsetNames(tools: readonly AnyTool[] = ALL_TOOLS): string[] {
  return [...new Set(tools.map((tool) => tool.toolset))];
}
